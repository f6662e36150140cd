// The tenant-pair configuration: zod schema with messages precise enough to fix a file by.
import { z } from "zod";
import { CLOUD_NAMES } from "./clouds.js";
import { GUID } from "../guid.js";

const guid = z.string().regex(GUID, "must be a tenant id GUID like 1fd6544e-e994-4de2-9f1b-787b51c7d325");
// Bounded: the name is quoted in the "is not set" error.
const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,127}$/, "must be an environment variable name (at most 128 characters)");

const clientId = { clientId: guid.describe("application (client) id") };

/** Keys that would put a secret into the config file; refused with a pointer to the safe alternative. */
export const INLINE_SECRET_KEYS = ["clientSecret", "secret", "password", "token", "accessToken", "certificatePassword"];

const authSchema = z.discriminatedUnion("method", [
  z
    .object({ method: z.literal("client-secret"), ...clientId, secretEnv: envName.optional(), secretFile: z.string().min(1).optional() })
    .strict()
    .refine((a) => Boolean(a.secretEnv) !== Boolean(a.secretFile), { error: "client-secret needs exactly one of secretEnv or secretFile" }),
  z
    .object({
      method: z.literal("client-certificate"),
      ...clientId,
      certificatePath: z.string().min(1),
      certificatePasswordEnv: envName.optional(),
      sendCertificateChain: z.boolean().optional(),
    })
    .strict(),
  z.object({ method: z.literal("device-code"), ...clientId }).strict(),
  z.object({ method: z.literal("interactive"), ...clientId, loginHint: z.string().optional() }).strict(),
  z.object({ method: z.literal("azure-cli") }).strict(),
  z.object({ method: z.literal("managed-identity"), clientId: guid.optional() }).strict(),
  z.object({ method: z.literal("workload-identity"), ...clientId, tokenFilePath: z.string().min(1).optional() }).strict(),
  z
    .object({ method: z.literal("access-token"), tokenEnv: envName.optional(), tokenFile: z.string().min(1).optional() })
    .strict()
    .refine((a) => Boolean(a.tokenEnv) !== Boolean(a.tokenFile), { error: "access-token needs exactly one of tokenEnv or tokenFile" }),
]);
export type AuthConfig = z.infer<typeof authSchema>;

const endpoint = z
  .url("must be a URL like https://graph.microsoft.com")
  .refine((u) => /^https?:\/\//i.test(u), "must be an http:// or https:// URL")
  .refine((u) => !/\/(v1\.0|beta)\/?$/i.test(u), "must not include the version (/v1.0 or /beta)");

export const tenantSchema = z
  .object({
    tenantId: guid,
    cloud: z.enum(CLOUD_NAMES).default("global"),
    graphEndpoint: endpoint.optional(),
    auth: authSchema,
    /** Credentials for `remediate apply` (writes); the read-only `auth` is used for writes only when explicitly allowed. */
    remediation: z.object({ auth: authSchema }).strict().optional(),
  })
  .strict();
export type TenantConfig = z.infer<typeof tenantSchema>;

export const collectionSchema = z
  .object({
    /** Provisioning-log window: "7d", "24h", or an ISO date-time. */
    since: z.string().optional(),
    connectionTest: z.boolean().optional(),
    /** Read every in-scope user's phone methods, not only those whose state can change the diagnosis. */
    allPhoneMethods: z.boolean().optional(),
    concurrency: z.number().int().min(1).max(16).optional(),
    timeoutSeconds: z.number().positive().max(600).optional(),
    /** job-not-synced-recently: hours without a completed cycle (default 4, about 6 cycles of 40 minutes). */
    staleJobAfterHours: z
      .number()
      .positive()
      .max(24 * 28)
      .optional(),
  })
  .strict();

export const configSchema = z
  .object({
    source: tenantSchema,
    target: tenantSchema,
    collection: collectionSchema.optional(),
    /** The source's CTS configuration for the target (service principal id or displayName), when its secrets cannot tell. */
    configuration: z.string().trim().min(1, "must name a configuration: its service principal id or displayName").optional(),
  })
  .strict()
  .refine((c) => c.source.tenantId.toLowerCase() !== c.target.tenantId.toLowerCase(), {
    error: "source and target must be different tenants",
    path: ["target", "tenantId"],
  });
export type Config = z.infer<typeof configSchema>;
