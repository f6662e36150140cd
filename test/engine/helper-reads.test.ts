// Model helpers declare the facets they read, and every rule that calls one declares them too (the view enforces it at run time).
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ruleList } from "../../rules/index.js";
import { listScenarios } from "../../src/cli/scenarios.js";
import { PRECONDITION_READS } from "../../src/engine/preconditions.js";
import { declaredFacets, ruleView } from "../../src/engine/view.js";
import { ACTIVITY_READS, provisioningActivity } from "../../src/model/activity.js";
import { CONFIGURATION_READS, configurationForTarget, configurationInUse, configurationsForTargetTenant } from "../../src/model/configuration.js";
import { loadPair } from "../../src/model/pair.js";
import { SCOPE_READS, scopeOf } from "../../src/model/scope.js";
import { errorSignals, SIGNAL_READS } from "../../src/model/signals.js";
import type { FacetId } from "../../src/snapshot/facets.js";
import { packageRoot } from "../../src/version.js";

const READS: Record<string, readonly FacetId[]> = { ...CONFIGURATION_READS, ...SCOPE_READS, ...SIGNAL_READS, ...ACTIVITY_READS, ...PRECONDITION_READS };

/** The code a rule's check runs: its folder's modules, less its tests and its fix (fix builders read the whole pair). */
function checkSources(id: string): string {
  const dir = path.join(packageRoot, "rules", id);
  return readdirSync(dir)
    .filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts") && f !== "fix.ts")
    .map((f) => readFileSync(path.join(dir, f), "utf8"))
    .join("\n");
}

describe("facets declared = facets read", () => {
  it.each(ruleList.map((r) => [r.id, r] as const))("%s declares every facet of the model helpers it calls", (_id, rule) => {
    const source = checkSources(rule.id);
    const declared = declaredFacets(rule);
    for (const [helper, reads] of Object.entries(READS)) {
      if (!new RegExp(`\\b${helper}\\(`).test(source)) continue;
      expect(
        reads.filter((f) => !declared.has(f)),
        `${rule.id} calls ${helper}`,
      ).toEqual([]);
    }
  });

  it("each helper's reads are all it reads: it runs on every scenario with a view limited to them", async () => {
    const only = (reads: readonly FacetId[]) => new Set(reads);
    for (const scenario of await listScenarios()) {
      const pair = await loadPair(scenario.dir);
      const where = scenario.name;
      expect(() => configurationForTarget(ruleView(pair, "helper", only(CONFIGURATION_READS.configurationForTarget))), where).not.toThrow();
      expect(() => configurationsForTargetTenant(ruleView(pair, "helper", only(CONFIGURATION_READS.configurationsForTargetTenant))), where).not.toThrow();
      expect(() => errorSignals(ruleView(pair, "helper", only(SIGNAL_READS.errorSignals))), where).not.toThrow();
      expect(() => provisioningActivity(ruleView(pair, "helper", only(ACTIVITY_READS.provisioningActivity))), where).not.toThrow();
      const config = pair.has("source.syncServicePrincipals") ? configurationInUse(pair) : undefined;
      if (config && pair.has("source.syncAssignments")) expect(() => scopeOf(ruleView(pair, "helper", only(SCOPE_READS.scopeOf)), config), where).not.toThrow();
    }
  });
});
