// Each logged object's latest outcome: the problem entries of the logs plus the successes source.provisioningOutcomes read.
import type { FacetEntry } from "../snapshot/manifest.js";
import type { ProvisioningLogEntry, SynchronizationJob } from "../snapshot/graph-types.js";
import type { LogSummary } from "./log-queries.js";

/** The latest success time of each object in the outcomes facet (entries that are not successes are ignored). */
export function latestSuccesses(outcomes: Iterable<ProvisioningLogEntry>): Map<string, number> {
  const latest = new Map<string, number>();
  for (const e of outcomes) {
    const id = e.sourceIdentity?.id;
    const t = Date.parse(e.activityDateTime);
    if (!id || Number.isNaN(t) || (e.provisioningStatusInfo?.status ?? "").toLowerCase() !== "success") continue;
    if (t > (latest.get(id) ?? -Infinity)) latest.set(id, t);
  }
  return latest;
}

/**
 * Fold the outcomes into the summary: an object whose latest entry is a success has no open problem, exactly as when
 * the logs were collected whole. Without the facet (not collected, denied, older snapshots) nothing changes.
 */
export function applyOutcomes(summary: LogSummary, outcomes: Iterable<ProvisioningLogEntry> | undefined): void {
  if (!outcomes) return;
  for (const [id, t] of latestSuccesses(outcomes)) summary.noteSuccess(id, t);
}

/** Whether the latest outcome of each problem object is known although the logs hold no successes. */
export function outcomesKnown(entry: FacetEntry | undefined): boolean {
  return entry?.status === "ok";
}

/** The job's own counters, as evidence beside what the logs say (synchronizationJob status, graph-api.md §3). */
export interface JobCounters {
  code: string | null;
  /** Objects the last cycle left in escrow (failed, to be retried): the service's count of what is still failing. */
  escrowed: number | null;
  lastCycle: { state: string | null; timeEnded: string | null; exported: number | null; escrowed: number | null } | null;
  progress: { completedUnits: number | null; totalUnits: number | null; units: string | null; observed: string | null }[];
}

const num = (v: unknown): number | null => (typeof v === "number" ? v : null);
const text = (v: unknown): string | null => (typeof v === "string" ? v : null);

export function jobCounters(job: SynchronizationJob | undefined): JobCounters | undefined {
  const status = job?.status;
  if (!status) return undefined;
  const last = status.lastExecution;
  return {
    code: text(status.code),
    escrowed: num(last?.countEscrowed),
    lastCycle: last ? { state: text(last.state), timeEnded: text(last.timeEnded), exported: num(last.countExported), escrowed: num(last.countEscrowed) } : null,
    progress: (status.progress ?? []).map((p) => ({
      completedUnits: num(p.completedUnits),
      totalUnits: num(p.totalUnits),
      units: text(p.units),
      observed: text(p.progressObservationDateTime),
    })),
  };
}
