// The outcomes facet folded into the log summary: a later success clears an object's problems, an earlier one does not.
import { describe, expect, it } from "vitest";
import { applyOutcomes, jobCounters, latestSuccesses } from "../../src/model/log-outcomes.js";
import { summarizeLogs } from "../../src/model/log-queries.js";
import type { ProvisioningLogEntry, SynchronizationJob } from "../../src/snapshot/graph-types.js";

const failure = (id: string, user: string, at: string, code = "Timeout"): ProvisioningLogEntry => ({
  id,
  activityDateTime: at,
  provisioningAction: "update",
  provisioningStatusInfo: { status: "failure", errorInformation: { errorCode: code, reason: "timed out" } },
  sourceIdentity: { id: user, displayName: `User ${user}`, identityType: "User" },
});

const success = (id: string, user: string, at: string, status = "success"): ProvisioningLogEntry => ({
  id,
  activityDateTime: at,
  provisioningStatusInfo: { status: status as "success" },
  sourceIdentity: { id: user },
});

describe("log outcomes", () => {
  it("keeps each object's latest success and ignores entries that are not successes", () => {
    const latest = latestSuccesses([
      success("1", "a", "2025-03-01T10:00:00Z"),
      success("2", "a", "2025-03-02T10:00:00Z"),
      success("3", "b", "2025-03-03T10:00:00Z", "failure"),
    ]);
    expect([...latest]).toEqual([["a", Date.parse("2025-03-02T10:00:00Z")]]);
  });

  it("clears the problems of an object whose latest entry is a success, and only those", () => {
    const summary = summarizeLogs([
      failure("f1", "a", "2025-03-01T10:00:00Z"),
      failure("f2", "b", "2025-03-01T11:00:00Z"),
      failure("f3", "c", "2025-03-01T12:00:00Z", "AzureActiveDirectoryForbidden"),
    ]);
    expect(summary.openProblems().map((p) => [p.code, p.count])).toEqual([
      ["Timeout", 2],
      ["AzureActiveDirectoryForbidden", 1],
    ]);
    applyOutcomes(summary, [
      success("s1", "a", "2025-03-01T10:40:00Z"), // after a's failure: cleared
      success("s2", "b", "2025-03-01T10:40:00Z"), // before b's failure: b still fails
      success("s3", "c", "2025-03-01T12:40:00Z"),
      success("s4", "z", "2025-03-01T12:40:00Z"), // an object the logs never named: nothing to clear
    ]);
    expect(summary.openProblems().map((p) => [p.code, p.objects.map((o) => o.id)])).toEqual([["Timeout", ["b"]]]);
    // The latest entry moved too: c no longer "still fails" with the code.
    expect(summary.stillFailing("AzureActiveDirectoryForbidden").count).toBe(0);
    expect(summary.stillFailing("Timeout").objects.map((o) => o.id)).toEqual(["b"]);
  });

  it("changes nothing without the facet", () => {
    const summary = summarizeLogs([failure("f1", "a", "2025-03-01T10:00:00Z")]);
    applyOutcomes(summary, undefined);
    expect(summary.openProblems()).toHaveLength(1);
  });

  it("reads the job's counters, and nothing when the job has no status", () => {
    const job = {
      id: "j",
      status: {
        code: "Active",
        lastExecution: { state: "EntryLevelErrors", countEscrowed: 2, countExported: 3, timeEnded: "2025-03-04T10:21:05Z" },
        progress: [{ completedUnits: 5, totalUnits: 10, units: "Objects", progressObservationDateTime: "2025-03-04T10:20:00Z" }],
      },
    } as SynchronizationJob;
    expect(jobCounters(job)).toEqual({
      code: "Active",
      escrowed: 2,
      lastCycle: { state: "EntryLevelErrors", timeEnded: "2025-03-04T10:21:05Z", exported: 3, escrowed: 2 },
      progress: [{ completedUnits: 5, totalUnits: 10, units: "Objects", observed: "2025-03-04T10:20:00Z" }],
    });
    expect(jobCounters({ id: "j" })).toBeUndefined();
    expect(jobCounters(undefined)).toBeUndefined();
  });
});
