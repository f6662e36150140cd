// Building blocks rule fixes share: the partner-record and sync-policy steps, the configuration and job in use.
import {
  consentBody,
  createPartner,
  identitySync,
  JOB_PATH,
  patchPartner,
  putSecrets,
  recipePath,
  syncAllowedBody,
  XTAP_PARTNERS,
  type FixRecipe,
} from "../engine/fix-recipes.js";
import { configurationInUse, jobOf, notificationSettings, type SyncConfiguration } from "../model/configuration.js";
import type { Pair } from "../model/pair.js";
import type { TenantSide } from "../snapshot/facets.js";
import type { SynchronizationJob } from "../snapshot/graph-types.js";
import { ownedPath } from "./live.js";
import type { FixOutcome, StepDraft } from "./types.js";

/** Run order of step kinds: records before their policies, policies before the job, the job before on-demand runs. */
export const ORDER = { createPartner: 10, patchPartner: 20, identitySync: 30, tenantSetting: 40, secrets: 50, userMethod: 60, job: 70, onDemand: 80 } as const;

export const skipped = (reason: string): FixOutcome => ({ skipped: reason });

type Request = Pick<StepDraft, "tenant" | "method" | "version" | "path" | "body" | "permission">;

/**
 * The request part of a step, from the recipe the rule's documented fix is made of (fix-recipes.ts): its tenant,
 * method, version and permission, its path filled with `values`, and `body` when given.
 */
export function recipeRequest(recipe: FixRecipe, values: Record<string, string>, body?: unknown): Request {
  if (recipe.method === "GET") throw new Error(`recipe ${recipe.path} is a read, not a step`);
  const path = recipePath(recipe, values);
  return {
    tenant: recipe.tenant,
    method: recipe.method,
    version: recipe.version,
    path,
    ...(body === undefined ? {} : { body }),
    permission: recipe.permission,
  };
}

/** The placeholder values of a pair's partner paths. */
export function tenantValues(pair: Pair): { sourceTenantId: string; targetTenantId: string } {
  return { sourceTenantId: pair.source.tenantId, targetTenantId: pair.target.tenantId };
}

/** The tenant a side's partner record points at. */
export function otherTenant(pair: Pair, side: TenantSide): string {
  return side === "source" ? pair.target.tenantId : pair.source.tenantId;
}

/**
 * The change to a partner record's automaticUserConsentSettings: PATCH when the record exists (the complex property is
 * replaced as a whole, so the other direction is sent back unchanged), POST the record when it is missing.
 */
export function autoRedeemSteps(pair: Pair, side: TenantSide, direction: "inboundAllowed" | "outboundAllowed", summary: string): StepDraft[] {
  const partnerId = otherTenant(pair, side);
  const record = pair.get(`${side}.partner`);
  const check = `automaticUserConsentSettings.${direction}`;
  if (!record) return [createPartnerStep(side, partnerId, consentBody(direction), summary, check)];
  const current = record.automaticUserConsentSettings ?? {};
  const other = direction === "inboundAllowed" ? "outboundAllowed" : "inboundAllowed";
  const request = recipeRequest(patchPartner(side), tenantValues(pair), consentBody(direction, { [other]: current[other] ?? null }));
  const path = request.path;
  const read = { tenant: side, version: "v1.0" as const, path };
  return [
    {
      ...request,
      summary,
      read,
      // The other direction is sent back as read, so it must still be what was read.
      precondition: [
        { path: check, equals: current[direction] ?? null },
        { path: `automaticUserConsentSettings.${other}`, equals: current[other] ?? null },
      ],
      effect: [{ path: check, equals: true }],
      undo: { method: "PATCH", version: "v1.0", path, restore: "paths" },
      order: ORDER.patchPartner,
      mergeKey: `${side} PATCH ${path}`,
    },
  ];
}

/** POST a partner record that does not exist yet; several fixes may ask for it, so they merge into one request. */
export function createPartnerStep(side: TenantSide, partnerId: string, body: Record<string, unknown>, summary: string, effectPath?: string): StepDraft {
  const path = `${XTAP_PARTNERS}/${partnerId}`;
  return {
    ...recipeRequest(createPartner(side), {}, { tenantId: partnerId, ...body }),
    summary,
    read: { tenant: side, version: "v1.0", path },
    precondition: [{ path: "tenantId", equals: null }],
    effect: [{ path: "tenantId", in: [partnerId, partnerId.toLowerCase()] }, ...(effectPath ? [{ path: effectPath, equals: true }] : [])],
    undo: { method: "DELETE", version: "v1.0", path },
    order: ORDER.createPartner,
    mergeKey: `${side} POST ${XTAP_PARTNERS}/${partnerId}`,
  };
}

export interface JobInUse {
  config: SyncConfiguration;
  job: SynchronizationJob;
  jobPath: string;
}

/** The configuration in use and its job, or why a job step cannot be planned. */
export function jobInUse(pair: Pair): JobInUse | string {
  const config = configurationInUse(pair);
  if (!config) return "there is no configuration whose CompanyId is the target tenant";
  if (!pair.has("source.syncJobs")) return "the job was not collected";
  const job = jobOf(pair, config);
  if (!job) return "the configuration has no provisioning job (finish Provisioning → Get started in the portal first)";
  return { config, job, jobPath: recipePath(JOB_PATH, jobValues(config, job)) };
}

/** The placeholder values of a job's paths (the job id is URL-encoded: it may hold any character). */
export function jobValues(config: SyncConfiguration, job: SynchronizationJob): { servicePrincipalId: string; jobId: string } {
  return { servicePrincipalId: config.servicePrincipal.id, jobId: encodeURIComponent(job.id) };
}

type SyncSetting = "userSyncInbound" | "groupSyncInbound";

/**
 * Allow the given settings in the target's cross-tenant sync policy for the source. A PUT over an existing policy is
 * refused with 409 (entra-docs cross-tenant-synchronization-configure-graph.md, Troubleshooting), so apply PATCHes the
 * changed properties when the live read finds the policy and PUTs it only after a 404 (which needs the partner record
 * first). Beta only when groups are asked for: v1.0 has no groupSyncInbound, and a v1.0 PATCH that does not name it
 * leaves it as it is.
 */
export function identitySyncSteps(pair: Pair, allow: Partial<Record<SyncSetting, true>>, summary: string): StepDraft[] {
  const sourceId = pair.source.tenantId;
  const steps: StepDraft[] = [];
  if (!pair.get("target.partner"))
    steps.push(createPartnerStep("target", sourceId, {}, `Target: add the source tenant ${sourceId} to cross-tenant access settings.`));
  const current = pair.maybe("target.identitySynchronization") ?? null;
  const version = allow.groupSyncInbound ? "beta" : "v1.0";
  const names = Object.keys(allow) as SyncSetting[];
  const isAllowed = (name: SyncSetting) => current?.[name]?.isSyncAllowed ?? null;
  // Only what changes is sent; a PUT creating the policy must allow user sync too (it is the policy's one required part).
  const changed = current ? names.filter((name) => isAllowed(name) !== true) : names;
  const createBody = { ...sourceDisplayName(pair), userSyncInbound: { isSyncAllowed: allow.userSyncInbound === true }, ...syncAllowedBody(names) };
  const request = recipeRequest(identitySync(current ? "PATCH" : "PUT", version), tenantValues(pair), syncAllowedBody(changed));
  const path = request.path;
  steps.push({
    ...request,
    summary,
    read: { tenant: "target", version: "beta", path },
    precondition: changed.map((name) => ({ path: `${name}.isSyncAllowed`, equals: isAllowed(name) })),
    effect: names.map((name) => ({ path: `${name}.isSyncAllowed`, equals: true })),
    upsert: { existed: current !== null, createBody },
    undo: { method: "PATCH", version, path, restore: "paths" },
    order: ORDER.identitySync,
    mergeKey: `target upsert ${path}`,
  });
  return steps;
}

/** The documented create example names the policy after the partner tenant. */
function sourceDisplayName(pair: Pair): { displayName?: string } {
  const name = pair.maybe("source.organization")?.[0]?.displayName;
  return name ? { displayName: name } : {};
}

const NOTIFICATION_KEY = "SyncNotificationSettings";
export const TRUE_VALUES = [true, "true", "True", "TRUE"];

/**
 * PUT the configuration's provisioning secrets with properties of SyncNotificationSettings changed. The PUT replaces
 * every secret and the snapshot keeps only some keys, so the body is built at apply time from the live GET (beta, the
 * one Microsoft publishes, then v1.0): every key is sent back as read and only `change` is merged into the owned JSON.
 */
export function notificationSettingsStep(pair: Pair, change: Record<string, unknown>, effect: StepDraft["effect"], summary: string): StepDraft | string {
  const config = configurationInUse(pair);
  if (!config) return "there is no configuration whose CompanyId is the target tenant";
  // Without the secrets as read the plan cannot hold CompanyId and the values it changes as preconditions.
  if (!config.secretsRead) return "the configuration's secrets could not be read, so the plan has nothing to check the live secrets against";
  const owned = (name: string) => ownedPath(NOTIFICATION_KEY, name);
  const companyId = config.secrets.find((s) => s.key.toLowerCase() === "companyid")?.value ?? null;
  const path = recipePath(putSecrets, { servicePrincipalId: config.servicePrincipal.id });
  return {
    tenant: putSecrets.tenant,
    method: "PUT",
    version: putSecrets.version,
    path,
    secrets: { key: NOTIFICATION_KEY, set: change },
    permission: putSecrets.permission,
    summary,
    read: { tenant: "source", version: "beta", path, fallbackVersion: "v1.0" },
    // Still the configuration for the target, and the properties changed are still what the plan read.
    precondition: [
      { path: "value[key=CompanyId].value", equals: companyId },
      ...Object.keys(change).map((name) => ({ path: owned(name), equals: notificationSettings(config)?.[name] ?? null })),
    ],
    effect: effect.map((c) => ({ ...c, path: owned(c.path) })),
    undo: { method: "PUT", version: "v1.0", path, restore: "secrets" },
    order: ORDER.secrets,
    mergeKey: `source PUT ${path}`,
  };
}
