// A fix is written once: every step a fix builds on the bundled scenarios is a request its rule documents, with the permission `permissions --remediation` lists.
import { describe, expect, it } from "vitest";
import { fixRegistry } from "../../rules/fixes.js";
import { rules } from "../../rules/index.js";
import { fixPermissions } from "../../src/cli/permissions.js";
import { listScenarios } from "../../src/cli/scenarios.js";
import { createPartner, documented, jobAction, recipePath } from "../../src/engine/fix-recipes.js";
import { runRules } from "../../src/engine/run.js";
import type { FixRequest, Rule } from "../../src/engine/types.js";
import { loadPair } from "../../src/model/pair.js";
import { recipeRequest } from "../../src/remediate/fix-helpers.js";
import type { StepDraft } from "../../src/remediate/types.js";

const ruleById = new Map<string, Rule>(Object.values(rules).map((r) => [r.id, r as Rule]));

/** `/v1.0/servicePrincipals/{servicePrincipalId}/…` as a pattern: each placeholder is one path segment. */
function templatePattern(url: string): RegExp {
  const escaped = url.replace(/[.*+?^$()|[\]\\]/g, "\\$&");
  return new RegExp(`^${escaped.replace(/\\?\{\w+\\?\}|\{\w+\}/g, "[^/?]+")}$`);
}

/** The rule's documented request this step is, or (for a record a PATCH needs first) the partner create of its tenant. */
function documentedFor(rule: Rule, step: StepDraft): FixRequest | undefined {
  const url = `/${step.version}${step.path}`;
  const match = rule.fix.graph.find((g) => g.tenant === step.tenant && g.method === step.method && templatePattern(g.url).test(url));
  if (match) return match;
  const create = documented(createPartner(step.tenant));
  const patchesPartner = rule.fix.graph.some((g) => g.tenant === step.tenant && g.method === "PATCH" && g.url.startsWith(create.url));
  return patchesPartner && step.method === create.method && url === create.url ? create : undefined;
}

const scenarios = await listScenarios();

describe("fix steps agree with the rules' documented fixes", () => {
  it("every step on every scenario is a documented request of its rule, with the permission listed for it", async () => {
    const built = new Set<string>();
    const listed = fixPermissions();
    for (const scenario of scenarios) {
      const pair = await loadPair(scenario.dir);
      const results = runRules([...ruleById.values()], pair);
      for (const result of results.filter((r) => r.status === "fail")) {
        const builder = fixRegistry.get(result.ruleId);
        if (!builder) continue;
        const outcome = builder({ pair, result, options: { allowTenantWide: true, notificationEmail: "admins@example.com" } });
        if ("skipped" in outcome) continue;
        const rule = ruleById.get(result.ruleId)!;
        for (const step of outcome.steps) {
          const where = `${scenario.name}: ${result.ruleId}: ${step.method} /${step.version}${step.path}`;
          const request = documentedFor(rule, step);
          expect(request, `${where} is not in the rule's fix.graph`).toBeDefined();
          expect(step.permission, where).toBe(request!.permission);
          expect(listed, where).toContainEqual({ ruleId: result.ruleId, tenant: step.tenant, permission: step.permission });
          built.add(result.ruleId);
        }
      }
    }
    // The scenarios exercise every fix that builds steps (connection-test-failed only points at its causes).
    expect([...built].sort()).toEqual([...fixRegistry.keys()].filter((id) => id !== "connection-test-failed"));
  });

  it("a recipe fills its placeholders and refuses to leave one unfilled", () => {
    expect(recipeRequest(jobAction("start"), { servicePrincipalId: "sp", jobId: "Azure2Azure.x" })).toEqual({
      tenant: "source",
      method: "POST",
      version: "v1.0",
      path: "/servicePrincipals/sp/synchronization/jobs/Azure2Azure.x/start",
      permission: "Synchronization.ReadWrite.All",
    });
    expect(() => recipePath(jobAction("start"), { servicePrincipalId: "sp" })).toThrow(/no value for \{jobId\}/);
    expect(() => recipeRequest({ ...jobAction("start"), method: "GET" }, { servicePrincipalId: "sp", jobId: "j" })).toThrow(/is a read/);
  });
});
