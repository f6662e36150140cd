// How long a running job has gone without a completed or successful cycle, judged against the snapshot, not the clock.
import type { SynchronizationJob } from "../../src/snapshot/graph-types.js";
import type { Manifest } from "../../src/snapshot/manifest.js";

/** entra-docs app-provisioning/how-provisioning-works.md, "Incremental cycles": about every 40 minutes. */
export const CYCLE_MINUTES = 40;
/** Default: 6 missed cycles, rounded to 4 hours. */
export const DEFAULT_STALE_HOURS = 4;

const HOUR_MS = 60 * 60 * 1000;

/** The threshold the collection recorded (config `collection.staleJobAfterHours`), else the default. */
export function staleAfterHours(manifest: Manifest): number {
  const h = manifest.staleJobAfterHours;
  return typeof h === "number" && h > 0 ? h : DEFAULT_STALE_HOURS;
}

export interface Staleness {
  kind: "notRun" | "noSuccess";
  /** Whole hours between the relevant end time and the reference time. */
  hours: number;
}

function endMs(at: string | null | undefined): number | undefined {
  const t = at ? Date.parse(at) : NaN;
  // The service prints 0001-01-01 for "never".
  return Number.isNaN(t) || t <= 0 ? undefined : t;
}

/**
 * notRun: no execution at all ended within the threshold. noSuccess: executions ended recently but the last
 * success is older than the threshold and the last execution failed completely (entry-level errors are a success
 * with escrows: provisioning-errors reports those). Undefined when the job is fresh or the reference time is unreadable.
 */
export function jobStaleness(job: SynchronizationJob, referenceTime: string, thresholdHours: number): Staleness | undefined {
  const ref = Date.parse(referenceTime);
  if (Number.isNaN(ref)) return undefined;
  const s = job.status ?? {};
  const last = endMs(s.lastExecution?.timeEnded);
  const success = endMs(s.lastSuccessfulExecution?.timeEnded);
  const latest = Math.max(last ?? 0, success ?? 0);
  const limit = thresholdHours * HOUR_MS;
  const hours = (t: number) => Math.floor((ref - t) / HOUR_MS);
  if (latest === 0) return undefined; // never ran: job-not-running and the pending state cover a job without cycles
  if (ref - latest > limit) return { kind: "notRun", hours: hours(latest) };
  const failed = s.lastExecution?.state === "Failed" && (s.countSuccessiveCompleteFailures ?? 0) > 0;
  if (failed && (success === undefined || ref - success > limit))
    return { kind: "noSuccess", hours: success === undefined ? hours(last ?? Number.NaN) : hours(success) };
  return undefined;
}
