// Error codes wherever the service reports them (connection test, job status, quarantine, provisioning logs).
import type { SynchronizationError } from "../snapshot/graph-types.js";
import { ctsErrorCode, normalizeErrorCode, type CtsErrorCode } from "./log-codes.js";
import type { FacetId } from "../snapshot/facets.js";
import { CONFIGURATION_READS, configurationInUse, jobOf } from "./configuration.js";
import type { Pair } from "./pair.js";

/** The facets errorSignals reads (a rule calling it declares them): each error source, and the configuration to find the job. */
export const SIGNAL_READS = {
  errorSignals: [...CONFIGURATION_READS.configurationInUse, "source.connectionTest", "source.syncJobs", "source.provisioningLogs"],
} satisfies Record<string, readonly FacetId[]>;

// The log-entry code helpers live in log-codes.ts; re-exported here for existing callers.
export { ctsErrorCode, CTS_ERROR_CODES, namesCtsCode, isExternalUsersFilterSkip, logErrorCode, normalizeErrorCode, type CtsErrorCode } from "./log-codes.js";

export type SignalSource = "connectionTest" | "lastExecution" | "quarantine" | "provisioningLog";

const SOURCE_LABEL: Record<SignalSource, string> = {
  connectionTest: "the connection test",
  lastExecution: "the job's last execution",
  quarantine: "the job quarantine",
  provisioningLog: "the provisioning logs",
};

/** Where signals were seen, for a finding's message: "the connection test, the job quarantine". */
export function whereSeen(signals: readonly { source: SignalSource }[]): string {
  return [...new Set(signals.map((s) => SOURCE_LABEL[s.source]))].join(", ");
}

export interface ErrorSignal {
  code: string;
  message: string;
  source: SignalSource;
  /** Log entry id, job id or service principal id. */
  ref: string;
  at?: string;
  /** The documented CTS code the signal names, in its code or its message (`ctsErrorCode`). */
  ctsCode?: CtsErrorCode;
}

function fromError(err: SynchronizationError | null | undefined, source: SignalSource, ref: string, at?: string): ErrorSignal[] {
  const message = err?.message ?? "";
  const ctsCode = ctsErrorCode(err?.code, message);
  // An error without a code still counts when its message names a documented one.
  const code = normalizeErrorCode(err?.code) ?? ctsCode;
  return code ? [{ code, message, source, ref, ...(at ? { at } : {}), ...(ctsCode ? { ctsCode } : {}) }] : [];
}

/**
 * Every error code the pair shows (from the logs, the cross-cloud codes only), from whichever of these facets were collected: source.connectionTest,
 * source.syncJobs (last execution, quarantine), source.provisioningLogs. Needs the configuration facets to find the job.
 */
export function errorSignals(pair: Pair): ErrorSignal[] {
  const out: ErrorSignal[] = [];
  const test = pair.maybe("source.connectionTest");
  if (test && !test.ok && test.error) out.push(...fromError(test.error, "connectionTest", test.servicePrincipalId, test.testedAt));
  const config = pair.has("source.syncServicePrincipals") ? configurationInUse(pair) : undefined;
  const job = config && pair.has("source.syncJobs") ? jobOf(pair, config) : undefined;
  if (job) {
    out.push(...fromError(job.status?.lastExecution?.error, "lastExecution", job.id, job.status?.lastExecution?.timeEnded));
    out.push(...fromError(job.status?.quarantine?.error, "quarantine", job.id, job.status?.quarantine?.currentBegan));
  }
  // From the logs only the entries that name a WATCHED_CODES code (log-codes.ts): the only ones rules look for there.
  for (const s of pair.logs()?.signals ?? []) {
    const ctsCode = ctsErrorCode(s.code, s.message);
    out.push({ ...s, source: "provisioningLog", ...(ctsCode ? { ctsCode } : {}) });
  }
  return out;
}
