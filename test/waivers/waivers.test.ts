// Waivers: file validation, expiry on whole UTC days, and which findings a waiver accepts.
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { Finding, RuleResult } from "../../src/engine/types.js";
import type { Report } from "../../src/report/model.js";
import { applyWaivers, isExpired, loadWaivers, parseWaivers, type Waiver } from "../../src/waivers/waivers.js";

const finding = (ids: string[]): Finding => ({ message: "m", side: "source", objects: ids.map((id) => ({ id, type: "user", displayName: id })), evidence: {} });
const result = (ruleId: string, findings: Finding[], status: RuleResult["status"] = "fail"): RuleResult => ({
  ruleId,
  title: ruleId,
  severity: "high",
  side: "source",
  area: "users",
  status,
  reason: "",
  findings,
});
const report = (results: RuleResult[]) => ({ results }) as unknown as Report;
const base = { reason: "accepted", owner: "ops", expires: "2026-03-31" };

describe("parseWaivers", () => {
  it("reads a YAML file with dates as written", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "waivers-"));
    const file = path.join(dir, "waivers.yaml");
    await writeFile(
      file,
      "waivers:\n  - ruleId: sms-sign-in-users-skipped\n    pair: hub-fabrikam\n    objectIds: [u1]\n    reason: VIP keeps SMS\n    owner: ciso@contoso.com\n    expires: 2026-03-31\n",
    );
    expect(await loadWaivers(file)).toEqual([
      {
        ruleId: "sms-sign-in-users-skipped",
        pair: "hub-fabrikam",
        objectIds: ["u1"],
        reason: "VIP keeps SMS",
        owner: "ciso@contoso.com",
        expires: "2026-03-31",
      },
    ]);
  });

  it.each([
    [{ waivers: [{ ruleId: "r", owner: "o", expires: "2026-01-01" }] }, /waivers\.0\.reason/],
    [{ waivers: [{ ruleId: "r", reason: "x", owner: "o", expires: "next week" }] }, /waivers\.0\.expires: must be a date/],
    [{ waivers: [{ ruleId: "r", reason: "x", owner: "o", expires: "2026-02-30" }] }, /not a calendar date/],
    [{ waivers: [{ ruleId: "r", reason: "x", owner: "o", expires: "2026-02-01", until: "x" }] }, /unknown key "until"/],
    [{ waivers: [{ ruleId: "r", reason: " ", owner: "o", expires: "2026-02-01" }] }, /say why/],
  ])("rejects %j", (raw, message) => {
    expect(() => parseWaivers(raw, "w.yaml")).toThrow(message);
  });
});

describe("isExpired", () => {
  it("applies through the whole expiry day in UTC", () => {
    expect(isExpired({ expires: "2026-03-31" }, new Date("2026-03-31T23:59:59Z"))).toBe(false);
    expect(isExpired({ expires: "2026-03-31" }, new Date("2026-04-01T00:00:00Z"))).toBe(true);
  });
});

describe("applyWaivers", () => {
  const now = new Date("2026-02-01T00:00:00Z");

  it("waives a rule's findings for the named pair only", () => {
    const waivers: Waiver[] = [{ ruleId: "r", pair: "a", ...base }];
    const hit = applyWaivers(report([result("r", [finding(["u1"]), finding([])])]), "a", waivers, now);
    expect(hit.results[0]!.waivedFindings).toBe(2);
    expect(hit.results[0]!.findings[0]!.waived).toEqual(base);
    const miss = applyWaivers(report([result("r", [finding(["u1"])])]), "b", waivers, now);
    expect(miss.results[0]!.waivedFindings).toBeUndefined();
    expect(miss.waivers).toEqual({ applied: [], expired: [] });
  });

  it("with object ids, waives only findings whose objects are all listed (case-insensitive)", () => {
    const waivers: Waiver[] = [{ ruleId: "r", objectIds: ["U1", "u2"], ...base }];
    const r = applyWaivers(report([result("r", [finding(["u1"]), finding(["u1", "u3"]), finding([])])]), "any", waivers, now);
    expect(r.results[0]!.findings.map((f) => Boolean(f.waived))).toEqual([true, false, false]);
    expect(r.waivers?.applied[0]).toMatchObject({ pair: "*", matched: 1 });
  });

  it("marks findings of an expired waiver and lists it as expired; a valid waiver for the same finding wins", () => {
    const expired: Waiver = { ruleId: "r", ...base, expires: "2026-01-31" };
    const r = applyWaivers(report([result("r", [finding(["u1"])])]), "p", [expired], now);
    expect(r.results[0]!.findings[0]!.waived).toBeUndefined();
    expect(r.results[0]!.findings[0]!.waiverExpired).toMatchObject({ expires: "2026-01-31" });
    expect(r.waivers).toEqual({ applied: [], expired: [expect.objectContaining({ ruleId: "r", matched: 1 })] });
    const both = applyWaivers(report([result("r", [finding(["u1"])])]), "p", [expired, { ruleId: "r", ...base }], now);
    expect(both.results[0]!.findings[0]!.waived).toEqual(base);
  });

  it("leaves passing and inconclusive results alone", () => {
    const r = applyWaivers(report([result("r", [], "pass"), result("r", [], "inconclusive")]), "p", [{ ruleId: "r", ...base }], now);
    expect(r.results.every((x) => x.waivedFindings === undefined)).toBe(true);
  });
});
