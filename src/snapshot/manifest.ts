// The snapshot manifest: schema version, tenants, collection window and the status of every facet.
import { z } from "zod";
import { CLOUD_NAMES } from "../config/clouds.js";
import { GUID } from "../guid.js";

export const SNAPSHOT_SCHEMA_VERSION = 1;

/** degraded: read to the end, but with more anomalies than chance explains (see notFound); treated as missing data. */
export const FACET_STATUSES = ["ok", "denied", "failed", "skipped", "degraded"] as const;
export type FacetStatus = (typeof FACET_STATUSES)[number];

const guid = z.string().regex(GUID, "must be a GUID");

const errorSchema = z.object({
  code: z.string(),
  message: z.string(),
  httpStatus: z.number().int().optional(),
  requestId: z.string().optional(),
});

/**
 * The code a facet fails with when Graph answered that it does not offer the read (405, or 400/404/501 for the
 * route): not a missing permission.
 */
export const NOT_OFFERED = "NotOffered";

/**
 * The 403 Graph gives when the tenant lacks the licence a report needs (provisioning, sign-in and audit logs need
 * Microsoft Entra ID P1 or P2): not a missing permission, so recorded as failed, never as denied. entra-docs
 * monitoring-health/howto-analyze-provisioning-logs.md, "Prerequisites" (P1/P2 for the logs).
 */
export const NON_PREMIUM_TENANT = "Authentication_RequestFromNonPremiumTenantOrB2CTenant";

/** Whether an error code says the tenant has no Entra ID P1/P2 licence (case-insensitive: Graph casing varies). */
export function isLicenceError(code: string | null | undefined): boolean {
  return (code ?? "").toLowerCase() === NON_PREMIUM_TENANT.toLowerCase();
}

export const facetEntrySchema = z.object({
  status: z.enum(FACET_STATUSES),
  file: z.string().optional(),
  count: z.number().int().nonnegative().optional(),
  /** Graph error (denied/failed) or why the facet was skipped. */
  error: errorSchema.optional(),
  permission: z.string().optional(),
  /** Per-object reads that answered 404 for objects this collection had just listed (counted, not written). */
  notFound: z.number().int().nonnegative().optional(),
  /** Set while a collector is still running; a finished snapshot never has it. */
  partial: z.boolean().optional(),
  /**
   * The facet holds a filtered subset: "non-success" = provisioning logs without success entries (counted by the
   * job's counters instead). Absent: everything in the window.
   */
  filter: z.enum(["non-success", "assigned-only"]).optional(),
  /**
   * A per-user facet read for some users only (source.phoneMethods): the selection rule, how many users were read and
   * not read, and the read users counted by the reason they were chosen.
   */
  selection: z
    .object({
      rule: z.enum(["targeted", "all"]),
      read: z.number().int().nonnegative(),
      notRead: z.number().int().nonnegative(),
      reasons: z.record(z.string(), z.number().int().nonnegative()),
    })
    .optional(),
  /** Graph requests the facet took, where that number is bounded by design (source.provisioningOutcomes: groups + pages). */
  requests: z.number().int().nonnegative().optional(),
  /**
   * Per-object reads of a facet made of one read per service principal (source.syncSecrets): the Graph version that
   * answered, or the error of the last version tried when none did.
   */
  reads: z.record(z.string(), z.object({ version: z.enum(["beta", "v1.0"]).optional(), error: errorSchema.optional() })).optional(),
});
export type FacetEntry = z.infer<typeof facetEntrySchema>;

const tenantSchema = z.object({ tenantId: guid, cloud: z.enum(CLOUD_NAMES) });

export const manifestSchema = z.object({
  schemaVersion: z.number().int(),
  tool: z.object({ name: z.string(), version: z.string() }),
  createdAt: z.string(),
  source: tenantSchema,
  target: tenantSchema,
  window: z.object({ since: z.string(), until: z.string() }),
  facets: z.record(z.string(), facetEntrySchema),
  /** `--configuration` / `configuration:`: the CTS configuration the user named (service principal id or displayName). */
  configuration: z.string().optional(),
  /** `collection.staleJobAfterHours`: hours without a completed cycle before job-not-synced-recently fails (default 4). */
  staleJobAfterHours: z.number().positive().optional(),
  /** Set by `redact` / `--redact`: personal data in this snapshot is pseudonymised (src/snapshot/redact.ts). */
  redacted: z.boolean().optional(),
});
export type Manifest = z.infer<typeof manifestSchema>;
