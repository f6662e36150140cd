// Error codes wherever the service reports them (connection test, job status, quarantine, provisioning logs).
import type { ProvisioningLogEntry, SynchronizationError } from "../snapshot/graph-types.js";
import { configurationInUse, jobOf } from "./configuration.js";
import type { Pair } from "./pair.js";

/**
 * The docs were rebranded ("Microsoft Entra IDForbidden", "Microsoft Entra ID Forbidden") while the service still
 * emits AzureActiveDirectory…; fold every spelling into the emitted one.
 */
export function normalizeErrorCode(code: string | null | undefined): string | undefined {
  if (!code) return undefined;
  const trimmed = code.trim();
  const m = /^Microsoft\s*Entra\s*ID\s*(.*)$/i.exec(trimmed);
  return m ? `AzureActiveDirectory${m[1]!.replace(/\s+/g, "")}` : trimmed;
}

export type SignalSource = "connectionTest" | "lastExecution" | "quarantine" | "provisioningLog";

export interface ErrorSignal {
  code: string;
  message: string;
  source: SignalSource;
  /** Log entry id, job id or service principal id. */
  ref: string;
  at?: string;
}

function fromError(err: SynchronizationError | null | undefined, source: SignalSource, ref: string, at?: string): ErrorSignal[] {
  const code = normalizeErrorCode(err?.code);
  return code ? [{ code, message: err?.message ?? "", source, ref, ...(at ? { at } : {}) }] : [];
}

/** Error code of a provisioning-log entry (normalised), if any. */
export function logErrorCode(entry: ProvisioningLogEntry): string | undefined {
  return normalizeErrorCode(entry.provisioningStatusInfo?.errorInformation?.errorCode);
}

/**
 * Every error code the pair shows, from whichever of these facets were collected: source.connectionTest,
 * source.syncJobs (last execution, quarantine), source.provisioningLogs. Needs the configuration facets to find the job.
 */
export function errorSignals(pair: Pair): ErrorSignal[] {
  const out: ErrorSignal[] = [];
  const test = pair.maybe("source.connectionTest");
  if (test && !test.ok && test.error) out.push(...fromError(test.error, "connectionTest", test.servicePrincipalId, test.testedAt));
  const config = pair.has("source.syncServicePrincipals") && pair.has("source.syncSecrets") ? configurationInUse(pair) : undefined;
  const job = config && pair.has("source.syncJobs") ? jobOf(pair, config) : undefined;
  if (job) {
    out.push(...fromError(job.status?.lastExecution?.error, "lastExecution", job.id, job.status?.lastExecution?.timeEnded));
    out.push(...fromError(job.status?.quarantine?.error, "quarantine", job.id, job.status?.quarantine?.currentBegan));
  }
  for (const entry of pair.maybe("source.provisioningLogs") ?? []) {
    const code = logErrorCode(entry);
    if (code) out.push({ code, message: entry.provisioningStatusInfo?.errorInformation?.reason ?? "", source: "provisioningLog", ref: entry.id, at: entry.activityDateTime });
  }
  return out;
}

/** True when a log entry is a user skipped by the built-in "Filter external users" scoping clause (SMS sign-in). */
export function isExternalUsersFilterSkip(entry: ProvisioningLogEntry): boolean {
  return (entry.provisioningSteps ?? []).some((step) => {
    const result = step.details?.["ScopeEvaluationResult"];
    return typeof result === "string" && /alternativeSecurityIds\s+EQUALS\s+'None'"\s*:\s*false/i.test(result);
  });
}
