// Table-driven rule tests: every fixtures/rules/<rule-id>/{valid,invalid}/*.json case runs through the rule tester.
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { Rule } from "../../src/engine/types.js";
import { packageRoot } from "../../src/version.js";
import { loadRuleCases, type LoadedCase, type RuleCase } from "./rule-case-file.js";
import { checkCase, checkCoverage } from "./rule-tester.js";

export type { RuleCase } from "./rule-case-file.js";

export const caseDir = (ruleId: string): string => path.join(packageRoot, "fixtures", "rules", ruleId);

/** A rule's validated cases of one kind, as [name, case] pairs; throws RuleCaseError on a bad or duplicate file. */
export function loadCases(ruleId: string, kind: "valid" | "invalid"): [string, RuleCase][] {
  return loadRuleCases(caseDir(ruleId), packageRoot)[kind].map((c) => [c.name, c.case]);
}

/**
 * Runs a rule's valid cases (expected not to fail) and invalid cases (expected to fail with exactly the given findings:
 * messageId, side, error code, objects and the stated data), and checks that every declared message is covered.
 */
export function runRuleCases(rule: Rule, dir = caseDir(rule.id)): void {
  const { valid, invalid } = loadRuleCases(dir, packageRoot);
  const row = (c: LoadedCase): [string, LoadedCase] => [c.name, c];
  describe(rule.id, () => {
    it("has valid and invalid cases", () => {
      expect(valid.length).toBeGreaterThan(0);
      expect(invalid.length).toBeGreaterThan(0);
    });
    it("has an invalid case for every declared message id", () => {
      checkCoverage(rule, invalid);
    });
    it.each(valid.map(row))("valid: %s", async (_name, c) => {
      await checkCase(rule, c);
    });
    it.each(invalid.map(row))("invalid: %s", async (_name, c) => {
      await checkCase(rule, c);
    });
  });
}
