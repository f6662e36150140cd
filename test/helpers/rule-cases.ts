// Table-driven rule tests: every fixtures/rules/<rule-id>/{valid,invalid}/*.json case runs against the rule.
import { readdirSync, readFileSync, existsSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runRule } from "../../src/engine/run.js";
import type { Rule, Side, Status } from "../../src/engine/types.js";
import { packageRoot } from "../../src/version.js";
import { pairFrom, type PairPatch } from "./pair.js";

export interface RuleCase extends PairPatch {
  /** What the case shows, one line. */
  description: string;
  /** Scenario the patch applies to (default "healthy"). */
  base?: string;
  expect: {
    status: Status;
    /** Expected findings, in order: side, optional error code, and the affected object ids. */
    findings?: { side: Side; errorCode?: string; objectIds?: string[] }[];
    /** A substring the reason must contain (for inconclusive / not-applicable). */
    reason?: string;
  };
}

export const caseDir = (ruleId: string): string => path.join(packageRoot, "fixtures", "rules", ruleId);

export function loadCases(ruleId: string, kind: "valid" | "invalid"): [string, RuleCase][] {
  const dir = path.join(caseDir(ruleId), kind);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((f) => [f.replace(/\.json$/, ""), JSON.parse(readFileSync(path.join(dir, f), "utf8")) as RuleCase]);
}

/** Runs a rule's valid cases (expected not to fail) and invalid cases (expected to fail with the given findings). */
export function runRuleCases(rule: Rule): void {
  const valid = loadCases(rule.id, "valid");
  const invalid = loadCases(rule.id, "invalid");
  describe(rule.id, () => {
    it("has valid and invalid cases", () => {
      expect(valid.length).toBeGreaterThan(0);
      expect(invalid.length).toBeGreaterThan(0);
    });
    it.each(valid)("valid: %s", async (_name, c) => {
      const result = runRule(rule, await pairFrom(c.base ?? "healthy", c));
      expect(result.status, result.reason).toBe(c.expect.status);
      expect(result.status).not.toBe("fail");
      if (c.expect.reason) expect(result.reason).toContain(c.expect.reason);
    });
    it.each(invalid)("invalid: %s", async (_name, c) => {
      const result = runRule(rule, await pairFrom(c.base ?? "healthy", c));
      expect(result.status, result.reason).toBe("fail");
      const got = result.findings.map((f) => ({
        side: f.side,
        ...(f.errorCode ? { errorCode: f.errorCode } : {}),
        objectIds: f.objects.map((o) => o.id),
      }));
      const want = (c.expect.findings ?? []).map((f) => ({ side: f.side, ...(f.errorCode ? { errorCode: f.errorCode } : {}), objectIds: f.objectIds ?? got[0]?.objectIds ?? [] }));
      expect(got).toEqual(want);
    });
  });
}
