// "A stopped job": whether a CTS job runs, was just started (first cycle pending) or is stopped, decided once.
import type { SynchronizationJob } from "../snapshot/graph-types.js";

export type JobRunState =
  | { state: "running" }
  /**
   * Just started: entra-docs cross-tenant-synchronization-configure-graph.md, Step 13, shows a started job as
   * `schedule.state: Active` with `status.code: NotRun` (and `lastExecution.state: Failed`, `error.code: None`)
   * until its first cycle completes. Not a stopped job.
   */
  | { state: "pending" }
  | { state: "stopped"; why: "paused" | "notRun" | "notConfigured" | "scheduleStopped" };

const STOPPED_STATUS = { Paused: "paused", NotRun: "notRun", NotConfigured: "notConfigured" } as const;
const STOPPED_SCHEDULE = new Set(["Disabled", "Paused"]);

/** Quarantine is not decided here: a quarantined job is running on a longer interval (job-quarantined). */
export function jobRunState(job: SynchronizationJob): JobRunState {
  const status = job.status?.code;
  const schedule = job.schedule?.state;
  if (status === "NotRun" && schedule === "Active") return { state: "pending" };
  if (status && status in STOPPED_STATUS) return { state: "stopped", why: STOPPED_STATUS[status as keyof typeof STOPPED_STATUS] };
  if (schedule !== undefined && STOPPED_SCHEDULE.has(schedule)) return { state: "stopped", why: "scheduleStopped" };
  return { state: "running" };
}
