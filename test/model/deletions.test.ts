// The log summary counts deprovisioning: staged deletes (held back by the threshold) and deletes/disables done.
import { describe, expect, it } from "vitest";
import { summarizeLogs } from "../../src/model/log-queries.js";
import type { ProvisioningLogEntry } from "../../src/snapshot/graph-types.js";

const entry = (id: string, user: string, action: string, status: string): ProvisioningLogEntry =>
  ({
    id,
    activityDateTime: "2025-03-03T07:40:00Z",
    provisioningAction: action,
    provisioningStatusInfo: { status },
    sourceIdentity: { id: user, displayName: `User ${user}`, identityType: "User" },
  }) as ProvisioningLogEntry;

describe("log summary deletions", () => {
  it("counts staged, done and failed deprovisioning apart, each object listed once", () => {
    const s = summarizeLogs([
      entry("1", "a", "stagedDelete", "skipped"),
      entry("2", "a", "stagedDelete", "skipped"),
      entry("3", "b", "delete", "success"),
      entry("4", "c", "disable", "success"),
      entry("5", "d", "delete", "failure"),
      entry("6", "e", "update", "success"),
    ]);
    expect(s.deletions).toMatchObject({ staged: 2, deleted: 1, disabled: 1 });
    expect(s.deletions.objects.map((o) => o.id)).toEqual(["a", "b", "c"]);
    expect(s.deletions.done.map((o) => o.id)).toEqual(["b", "c"]);
  });
});
