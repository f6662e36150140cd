// Error codes in the provisioning logs: their spellings folded, the documented CTS codes, and what an entry's code is.
import type { ProvisioningLogEntry } from "../snapshot/graph-types.js";

/** Codes errorSignals reports from the logs (connection-test and cross-cloud rules match on code or message). */
export const WATCHED_CODES = ["ExternalTenantNotFound", "AzureActiveDirectoryTokenExpired"] as const;

/** Group key for a failure that carries no code at all (provisioning-errors reports it as unknown). */
export const NO_ERROR_CODE = "NoErrorCode";

export const ENTITY_TYPE_NOT_SUPPORTED = "EntityTypeNotSupported";

/**
 * The docs were rebranded ("Microsoft Entra IDForbidden", "Microsoft Entra ID Forbidden") while the service still
 * emits AzureActiveDirectory…; fold every spelling into the emitted one.
 */
export function normalizeErrorCode(code: string | null | undefined): string | undefined {
  if (!code) return undefined;
  const trimmed = code.trim();
  const m = /^Microsoft\s*Entra\s*ID\s*(.*)$/i.exec(trimmed);
  return m ? `AzureActiveDirectory${(m[1] ?? "").replace(/\s+/g, "")}` : trimmed;
}

/**
 * The error codes Microsoft documents for a failing cross-tenant synchronization connection test or job
 * (entra-docs cross-tenant-synchronization-configure.md and its cross-cloud pivot, "Troubleshoot").
 */
export const CTS_ERROR_CODES = [
  "AzureActiveDirectoryCrossTenantSyncPolicyCheckFailure",
  "AzureDirectoryB2BManagementPolicyCheckFailure",
  "ExternalTenantNotFound",
  "AzureActiveDirectoryTokenExpired",
] as const;

export type CtsErrorCode = (typeof CTS_ERROR_CODES)[number];

/** A code as a word in free text, with the rebranded spellings normalizeErrorCode folds ("Microsoft Entra ID…"). */
const CTS_CODE_IN_TEXT = new Map<CtsErrorCode, RegExp>(
  CTS_ERROR_CODES.map((c) => {
    const body = c.startsWith("AzureActiveDirectory") ? `(?:AzureActiveDirectory|Microsoft\\s*Entra\\s*ID\\s*)${c.slice("AzureActiveDirectory".length)}` : c;
    return [c, new RegExp(`(?<![A-Za-z])${body}(?![A-Za-z])`, "i")];
  }),
);

/**
 * The documented CTS code an error names: its own code, else one quoted in its message. validateCredentials publishes
 * only `204 No Content` and no error contract (docs-contrib synchronization-synchronizationjob-validatecredentials.md),
 * so a real answer may carry a generic code such as `BadRequest` with the CTS code inside the message.
 */
export function ctsErrorCode(code: string | null | undefined, message: string | null | undefined): CtsErrorCode | undefined {
  const own = normalizeErrorCode(code)?.toLowerCase();
  return CTS_ERROR_CODES.find((c) => c.toLowerCase() === own) ?? CTS_ERROR_CODES.find((c) => namesCtsCode(null, message, c));
}

/** Whether an error with this code and message names `cts`, in either. */
export function namesCtsCode(code: string | null | undefined, message: string | null | undefined, cts: CtsErrorCode): boolean {
  return normalizeErrorCode(code)?.toLowerCase() === cts.toLowerCase() || (!!message && (CTS_CODE_IN_TEXT.get(cts)?.test(message) ?? false));
}

/** Error code of a provisioning-log entry (normalised), if any. */
export function logErrorCode(entry: ProvisioningLogEntry): string | undefined {
  return normalizeErrorCode(entry.provisioningStatusInfo?.errorInformation?.errorCode);
}

/** True when a log entry is a user skipped by the built-in "Filter external users" scoping clause (SMS sign-in). */
export function isExternalUsersFilterSkip(entry: ProvisioningLogEntry): boolean {
  return (entry.provisioningSteps ?? []).some((step) => {
    const result = step.details?.["ScopeEvaluationResult"];
    return typeof result === "string" && /alternativeSecurityIds\s+EQUALS\s+'None'"\s*:\s*false/i.test(result);
  });
}

const statusOf = (e: ProvisioningLogEntry): string => (e.provisioningStatusInfo?.status ?? "").toLowerCase();

/** The code of a non-successful entry: errorInformation.errorCode, else a step's SkipReason; undefined for a success. */
export function problemCode(e: ProvisioningLogEntry): string | undefined {
  const status = statusOf(e);
  if (status === "success") return undefined;
  const code = logErrorCode(e) ?? normalizeErrorCode((e.provisioningSteps ?? []).map((s) => s.details?.["SkipReason"]).find(Boolean));
  if (code) return code;
  // A skip without a code is a scoping decision (the configuration's own filters): nothing to fix here.
  return status === "failure" ? NO_ERROR_CODE : undefined;
}
