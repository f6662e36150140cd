// Provisioning outcomes per day over the collection window, from the logs (and the job's counters when logs are absent).
import { configurationInUse, jobOf } from "./configuration.js";
import type { Pair } from "./pair.js";

export interface DayOutcomes {
  day: string;
  success: number;
  skipped: number;
  failure: number;
  warning: number;
}

export interface ProvisioningActivity {
  /** Where the numbers come from: collected log entries, or none (facet not collected). */
  basis: "logs" | "none";
  window: { since: string; until: string };
  byDay: DayOutcomes[];
  totals: Omit<DayOutcomes, "day">;
  /** The job's synchronizedEntryCountByType (e.g. "User to User": 40), when the job was read. */
  synchronizedByType?: Record<string, number>;
  /**
   * Set when the logs were collected without successes (manifest facet filter "non-success"): per-day success is
   * unknown (0), and `totals.success` comes from the job's counters ("job": objects synchronized) or is unknown ("none").
   */
  successFrom?: "job" | "none";
}

const DAY_MS = 86_400_000;

export function provisioningActivity(pair: Pair): ProvisioningActivity {
  const window = pair.manifest.window;
  const since = Date.parse(window.since);
  const until = Date.parse(window.until);
  const days = new Map<string, DayOutcomes>();
  if (Number.isFinite(since) && Number.isFinite(until) && until >= since && until - since <= 31 * DAY_MS) {
    for (let t = Date.UTC(new Date(since).getUTCFullYear(), new Date(since).getUTCMonth(), new Date(since).getUTCDate()); t <= until; t += DAY_MS) {
      const day = new Date(t).toISOString().slice(0, 10);
      days.set(day, { day, success: 0, skipped: 0, failure: 0, warning: 0 });
    }
  }
  const logs = pair.logs();
  const totals = { success: 0, skipped: 0, failure: 0, warning: 0 };
  for (const [day, counts] of logs?.byDay ?? []) {
    const bucket = days.get(day) ?? { day, success: 0, skipped: 0, failure: 0, warning: 0 };
    for (const status of ["success", "skipped", "failure", "warning"] as const) {
      bucket[status] += counts[status];
      totals[status] += counts[status];
    }
    days.set(day, bucket);
  }
  const config = pair.has("source.syncServicePrincipals") ? configurationInUse(pair) : undefined;
  const job = config && pair.has("source.syncJobs") ? jobOf(pair, config) : undefined;
  const counts = job?.status?.synchronizedEntryCountByType;
  // Successes were not asked for (they are most of a busy log): the job's counters stand in for their total.
  const filtered = logs !== undefined && pair.entry("source.provisioningLogs").filter === "non-success";
  if (filtered) totals.success = counts?.length ? counts.reduce((n, c) => n + (typeof c.value === "number" && Number.isFinite(c.value) ? c.value : 0), 0) : 0;
  return {
    basis: logs ? "logs" : "none",
    window,
    byDay: [...days.values()].sort((a, b) => a.day.localeCompare(b.day)),
    totals,
    ...(counts?.length ? { synchronizedByType: Object.fromEntries(counts.map((c): [string, number] => [String(c.key), c.value as number])) } : {}),
    ...(filtered ? { successFrom: counts?.length ? ("job" as const) : ("none" as const) } : {}),
  };
}
