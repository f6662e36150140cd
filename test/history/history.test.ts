// History in SQLite: runs and findings recorded per pair, the previous run found, changes computed, trend rendered.
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import type { Finding, RuleResult } from "../../src/engine/types.js";
import { diffRuns, findingEntries } from "../../src/history/changes.js";
import { HistoryStore } from "../../src/history/store.js";
import { renderHistory, trendCell } from "../../src/history/trend.js";
import type { Report } from "../../src/report/model.js";

const finding = (ids: string[], extra: Partial<Finding> = {}): Finding => ({
  message: "m",
  side: "source",
  objects: ids.map((id) => ({ id, type: "user", displayName: id })),
  evidence: {},
  ...extra,
});
const result = (ruleId: string, status: RuleResult["status"], findings: Finding[] = []): RuleResult => ({
  ruleId,
  title: ruleId,
  severity: "high",
  side: "source",
  area: "users",
  status,
  reason: "",
  findings,
});

function report(results: RuleResult[], jobStatus: string, generatedAt: string): Report {
  const byStatus = { fail: 0, pass: 0, inconclusive: 0, "not-applicable": 0 };
  for (const r of results) byStatus[r.status]++;
  return {
    generatedAt,
    results,
    summary: { byStatus, failedBySeverity: { critical: 0, high: 0, medium: 0, low: 0, info: 0 } },
    jobs: [{ servicePrincipalId: "sp", jobId: "job1", status: jobStatus }],
  } as unknown as Report;
}

const tempDb = async () => path.join(await mkdtemp(path.join(tmpdir(), "history-")), "nested", "history.sqlite");

describe("findingEntries and diffRuns", () => {
  it("keys findings by rule and object, one entry per rule for object-less findings", () => {
    const r = report(
      [result("a", "fail", [finding(["u1", "u2"]), finding(["u1"], { severity: "critical" }), finding([])]), result("b", "pass")],
      "Active",
      "t",
    );
    expect(findingEntries(r)).toEqual([
      { ruleId: "a", severity: "high" },
      { ruleId: "a", objectId: "u1", severity: "critical" },
      { ruleId: "a", objectId: "u2", severity: "high" },
    ]);
  });

  it("splits into new, resolved and persisting and reports job transitions", () => {
    const before = {
      generatedAt: "t0",
      findings: [{ ruleId: "a", objectId: "u1" }, { ruleId: "b" }],
      jobs: [{ servicePrincipalId: "sp", jobId: "j", status: "Active" }],
    };
    const c = diffRuns(
      [
        { ruleId: "a", objectId: "U1" },
        { ruleId: "c", objectId: "u9" },
      ],
      [{ servicePrincipalId: "sp", jobId: "j", status: "Quarantine" }],
      before,
      "history",
    );
    expect(c).toEqual({
      basis: "history",
      previousGeneratedAt: "t0",
      new: [{ ruleId: "c", objectId: "u9" }],
      resolved: [{ ruleId: "b" }],
      persisting: [{ ruleId: "a", objectId: "U1" }],
      jobs: [{ jobId: "j", from: "Active", to: "Quarantine" }],
    });
  });
});

describe("HistoryStore", () => {
  it("records runs per pair, returns the previous one and renders both runs with a per-rule trend", async () => {
    const file = await tempDb();
    const store = HistoryStore.open(file);
    const run1 = store.startRun(new Date("2026-01-01T02:00:00Z"), "0.1.0");
    expect(store.previous("hub-fabrikam", run1)).toBeUndefined();
    const r1 = report(
      [result("sms", "fail", [finding(["u1"])]), result("inbound", "fail", [finding(["t1"])]), result("ok", "pass")],
      "Active",
      "2026-01-01T02:01:00Z",
    );
    store.recordPair(run1, { pair: "hub-fabrikam", sourceTenantId: "s", targetTenantId: "t", verdict: "fail", report: r1 });
    store.recordPair(run1, { pair: "hub-tailspin", sourceTenantId: "s", targetTenantId: "x", verdict: "error", error: "target tenant not reachable" });

    const run2 = store.startRun(new Date("2026-01-02T02:00:00Z"), "0.1.0");
    const prev = store.previous("hub-fabrikam", run2)!;
    expect(prev.generatedAt).toBe("2026-01-01T02:01:00Z");
    expect(prev.findings).toEqual(
      [
        { ruleId: "inbound", objectId: "t1", severity: "high", waived: false },
        { ruleId: "sms", objectId: "u1", severity: "high", waived: false },
      ].sort((a, b) => a.ruleId.localeCompare(b.ruleId)),
    );
    expect(prev.jobs).toEqual([{ servicePrincipalId: "sp", jobId: "job1", status: "Active" }]);
    // A pair whose only run failed to collect has nothing to compare with.
    expect(store.previous("hub-tailspin", run2)).toBeUndefined();

    const r2 = report([result("sms", "fail", [finding(["u1", "u2"])]), result("inbound", "pass"), result("ok", "pass")], "Quarantine", "2026-01-02T02:01:00Z");
    r2.changes = diffRuns(findingEntries(r2), r2.jobs!, prev, "history");
    store.recordPair(run2, { pair: "hub-fabrikam", sourceTenantId: "s", targetTenantId: "t", verdict: "fail", report: r2 });
    store.close();

    const reopened = HistoryStore.open(file, { create: false });
    const runs = reopened.pairRuns("hub-fabrikam");
    expect(runs.map((r) => [r.runId, r.verdict, r.newCount, r.resolvedCount])).toEqual([
      [run1, "fail", 0, 0],
      [run2, "fail", 1, 1],
    ]);
    const text = renderHistory(reopened, { pair: "hub-fabrikam" });
    reopened.close();
    expect(text).toContain("Pair hub-fabrikam (s → t)");
    expect(text).toContain("2026-01-01T02:00:00.000Z");
    expect(text).toContain("2026-01-02T02:00:00.000Z");
    expect(text).toMatch(/inbound\s+F1\s+ok/);
    expect(text).toMatch(/sms\s+F1\s+F2/);
    expect(text).not.toMatch(/^\s+ok\s/m);
    expect(text).not.toContain("hub-tailspin");
  });

  it("refuses a database written by a newer schema and a missing file when reading", async () => {
    const file = await tempDb();
    HistoryStore.open(file).close();
    const db = new Database(file);
    db.pragma("user_version = 99");
    db.close();
    expect(() => HistoryStore.open(file)).toThrow(/newer cts-doctor/);
    expect(() => HistoryStore.open(path.join(path.dirname(file), "none.sqlite"), { create: false })).toThrow(/not found/);
  });

  it("trend cells", () => {
    expect(trendCell({ pairRunId: 1, ruleId: "r", status: "fail", severity: "high", findings: 2, objects: 5, waived: 2 })).toBe("W5");
    expect(trendCell({ pairRunId: 1, ruleId: "r", status: "fail", severity: "high", findings: 2, objects: 0, waived: 1 })).toBe("F2");
    expect(trendCell({ pairRunId: 1, ruleId: "r", status: "fail", severity: "high", findings: 2, objects: 0, waived: 2 })).toBe("W2");
    expect(trendCell({ pairRunId: 1, ruleId: "r", status: "inconclusive", severity: "high", findings: 0, objects: 0, waived: 0 })).toBe("?");
    expect(trendCell(undefined)).toBe("·");
  });
});
