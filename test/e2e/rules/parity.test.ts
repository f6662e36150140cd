// Registry ⇄ folders ⇄ READMEs ⇄ tests ⇄ fixture cases stay in step; every README is what the metadata generates.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ruleList, rules } from "../../../rules/index.js";
import { README_HEADINGS, ruleReadme } from "../../../src/engine/readme.js";
import { FACET_IDS } from "../../../src/snapshot/facets.js";
import { packageRoot } from "../../../src/version.js";
import { loadCases } from "../../helpers/rule-cases.js";

const rulesDir = path.join(packageRoot, "rules");
const folders = readdirSync(rulesDir, { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => e.name)
  .sort();

describe("rule registry", () => {
  it("lists exactly the rule folders, sorted by id, each under its own id", () => {
    const keys = Object.keys(rules);
    expect(keys).toEqual([...keys].sort());
    expect(keys).toEqual(folders);
    for (const [key, rule] of Object.entries(rules)) expect(rule.id).toBe(key);
  });

  it.each(ruleList.map((r) => [r.id, r] as const))("%s has rule.ts, README, test and cases", (id, rule) => {
    for (const f of ["rule.ts", "README.md", "rule.test.ts"]) expect(existsSync(path.join(rulesDir, id, f)), f).toBe(true);
    expect(loadCases(id, "valid").length, "valid cases").toBeGreaterThan(0);
    expect(loadCases(id, "invalid").length, "invalid cases").toBeGreaterThan(0);
    const readme = readFileSync(path.join(rulesDir, id, "README.md"), "utf8");
    const headings = [...readme.matchAll(/^## (.+)$/gm)].map((m) => m[1]);
    expect(headings).toEqual([...README_HEADINGS]);
    expect(readme, "README is stale: run `cts-doctor rules docs`").toBe(ruleReadme(rule));
  });

  it.each(ruleList.map((r) => [r.id, r] as const))("%s declares real facets and complete metadata", (_id, rule) => {
    for (const f of [...rule.needs, ...(rule.uses ?? []), ...(rule.needsAnyOf ?? []).flat()]) expect(FACET_IDS).toContain(f);
    expect(rule.symptom.length).toBeGreaterThan(20);
    expect(rule.cause.length).toBeGreaterThan(20);
    expect(rule.fix.portal.length).toBeGreaterThan(10);
    for (const ref of rule.references) expect(ref.url).toMatch(/^https:\/\/learn\.microsoft\.com\//);
  });
});
