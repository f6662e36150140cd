// What source.provisioningOutcomes should hold, worked out from a whole log (the tests' oracle for log-outcomes.ts).
import type { ProvisioningLogEntry } from "../../src/snapshot/graph-types.js";

/** Each problem object's latest success after its own first problem (object id → entry id). */
export function latestAfterFirstProblem(logs: readonly ProvisioningLogEntry[]): Map<string, string> {
  const time = (e: ProvisioningLogEntry) => Date.parse(e.activityDateTime);
  const idOf = (e: ProvisioningLogEntry) => e.sourceIdentity?.id ?? "";
  const first = new Map<string, number>();
  for (const e of logs.filter((x) => x.provisioningStatusInfo?.status !== "success")) first.set(idOf(e), Math.min(time(e), first.get(idOf(e)) ?? Infinity));
  const latest = new Map<string, ProvisioningLogEntry>();
  for (const e of logs.filter((x) => x.provisioningStatusInfo?.status === "success")) {
    const known = latest.get(idOf(e));
    if (time(e) > (first.get(idOf(e)) ?? Infinity) && (!known || time(e) > time(known))) latest.set(idOf(e), e);
  }
  return new Map([...latest].map(([id, e]) => [id, e.id]));
}
