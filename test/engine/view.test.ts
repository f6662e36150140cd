// The check sees only the facets its rule declares (needs, uses, needsAnyOf); needsAnyOf is inconclusive only when none of a group is there.
import { describe, expect, it } from "vitest";
import { defineRule } from "../../src/engine/define.js";
import { runRule } from "../../src/engine/run.js";
import type { Rule } from "../../src/engine/types.js";
import { ruleView, UndeclaredFacetError } from "../../src/engine/view.js";
import { configurationInUse } from "../../src/model/configuration.js";
import { pairFrom } from "../helpers/pair.js";

const base = {
  id: "made-up",
  title: "t",
  severity: "medium" as const,
  side: "source" as const,
  area: "policies" as const,
  symptom: "s",
  cause: "c",
  detection: "d",
  messages: { m: "found {{what}}" },
  fix: { summary: "s", portal: "p", graph: [] },
  references: [{ title: "r", url: "https://learn.microsoft.com/x" }],
};

const made = (extra: Pick<Rule<"m">, "needs" | "check"> & Partial<Rule<"m">>): Rule => defineRule<"m">({ ...base, ...extra });
const denied = { status: "denied" as const, error: { code: "Authorization_RequestDenied", message: "no", httpStatus: 403 } };

describe("the rule's view of the pair", () => {
  it("hands the check its declared facets and refuses any other read, by name", async () => {
    const pair = await pairFrom("healthy");
    for (const read of [
      (p: typeof pair) => p.get("target.partner"),
      (p: typeof pair) => p.maybe("target.partner"),
      (p: typeof pair) => p.has("target.partner"),
      (p: typeof pair) => p.entry("target.partner"),
      (p: typeof pair) => p.logs(),
    ]) {
      const r = runRule(made({ needs: ["source.partner"], check: (p) => void read(p) }), pair);
      expect(r.status).toBe("inconclusive");
      expect(r.reason).toMatch(/^Rule error: rule made-up read facet (target\.partner|source\.provisioningLogs) it did not declare$/);
    }
    const ok = runRule(
      made({
        needs: ["source.partner"],
        uses: ["target.partner"],
        check: (p, ctx) => {
          if (p.get("source.partner") && p.maybe("target.partner") && p.source.tenantId) ctx.report({ messageId: "m", data: { what: "both" } });
        },
      }),
      pair,
    );
    expect(ok.findings.map((f) => f.message)).toEqual(["found both"]);
  });

  it("checks the reads of a model helper the check calls, and lets the helper's own logic run on the pair", async () => {
    const pair = await pairFrom("contoso-fabrikam");
    const view = ruleView(pair, "r", new Set(["source.syncServicePrincipals", "source.syncSecrets", "target.organization"]));
    expect(configurationInUse(view)?.servicePrincipal.id).toBe(configurationInUse(pair)?.servicePrincipal.id);
    const narrow = ruleView(pair, "r", new Set(["source.syncServicePrincipals"]));
    expect(() => configurationInUse(narrow)).toThrow(UndeclaredFacetError);
    expect(() => configurationInUse(narrow)).toThrow("rule r read facet source.syncSecrets it did not declare");
    // The view is still a Pair for code that checks.
    expect(view.manifest).toBe(pair.manifest);
  });

  it("needsAnyOf: runs with any one of the group, inconclusive naming them all when none was collected", async () => {
    const anyOf = made({
      needs: ["source.organization"],
      needsAnyOf: [["source.partner", "target.partner"]],
      check: (p, ctx) => {
        ctx.report({ messageId: "m", data: { what: String(p.has("source.partner")) + String(p.has("target.partner")) } });
      },
    });
    const one = runRule(anyOf, await pairFrom("healthy", { status: { "source.partner": denied } }));
    expect(one.findings.map((f) => f.message)).toEqual(["found falsetrue"]);
    const none = runRule(anyOf, await pairFrom("healthy", { status: { "source.partner": denied, "target.partner": denied } }));
    expect(none.status).toBe("inconclusive");
    expect(none.missing?.map((m) => m.facet)).toEqual(["source.partner", "target.partner"]);
    expect(none.reason).toMatch(/^Data not collected: source\.partner: 403 Authorization_RequestDenied .*; target\.partner: 403/);
  });
});
