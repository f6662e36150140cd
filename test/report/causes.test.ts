// Root causes first: the demo pair's failures grouped by explainedBy, in the same order in report.md and on the terminal.
import { describe, expect, it } from "vitest";
import { ruleList } from "../../rules/index.js";
import { ruleInfoMap } from "../../src/app/analyze.js";
import { AFTER_CHANGES, analyzeCauses, sideOf } from "../../src/report/causes.js";
import { buildView } from "../../src/report/html-view.js";
import { renderMarkdown } from "../../src/report/md.js";
import { colorEnabled, terminalSummary } from "../../src/report/terminal.js";
import { terminalLine as safeText } from "../../src/report/html-view.js";
import { scenarioReport } from "../helpers/report.js";

const rules = ruleInfoMap();
const report = await scenarioReport("contoso-fabrikam");
const analysis = analyzeCauses(report, rules);
const POLICY = ["source-outbound-auto-redeem-disabled", "target-inbound-auto-redeem-disabled", "target-inbound-sync-disabled"];
const SOURCE_CHANGES = [
  "source-outbound-auto-redeem-disabled",
  "sms-sign-in-users-skipped",
  "group-mapping-disabled",
  "nested-group-assignment",
  "usertype-mapping-create-only",
];
const TARGET_CHANGES = [
  "guest-invitations-blocked",
  "target-inbound-auto-redeem-disabled",
  "target-inbound-sync-disabled",
  "pending-acceptance-upn-stale",
  "provisioning-errors",
  "soft-deleted-target-users",
  "external-users-can-leave",
];

describe("analyzeCauses on the demo pair", () => {
  it("folds the failed connection test and the quarantine under the policy rules", () => {
    const roots = analysis.causes.map((c) => c.result.ruleId);
    expect(roots).not.toContain("connection-test-failed");
    expect(roots).not.toContain("job-quarantined");
    const first = analysis.causes[0]!;
    expect(first.result.ruleId).toBe("source-outbound-auto-redeem-disabled");
    expect(first.consequences.map((r) => r.ruleId).sort()).toEqual(["connection-test-failed", "job-quarantined"]);
    for (const id of POLICY.slice(1))
      expect(
        analysis.causes
          .find((c) => c.result.ruleId === id)
          ?.alsoExplains.map((r) => r.ruleId)
          .sort(),
      ).toEqual(["connection-test-failed", "job-quarantined"]);
    expect(analysis.after).toBe(AFTER_CHANGES.restart);
  });

  it("lists the changes per tenant, named, most severe first", () => {
    expect(analysis.actions.map((a) => `${a.label}: ${a.countLabel}`)).toEqual(["Source tenant (Contoso): 5 changes", "Target tenant (Fabrikam): 7 changes"]);
    expect(analysis.actions[0]!.causes.map((c) => c.result.ruleId)).toEqual(SOURCE_CHANGES);
    expect(analysis.actions[1]!.causes.map((c) => c.result.ruleId)).toEqual(TARGET_CHANGES);
  });

  it("keeps a rule a root cause when its causes pass, and names the tenants by id without organization data", () => {
    const lone = { ...report, source: { ...report.source, displayName: undefined }, results: report.results.filter((r) => !POLICY.includes(r.ruleId)) };
    delete lone.source.displayName;
    const a = analyzeCauses(lone, rules);
    expect(a.causes.map((c) => c.result.ruleId)).toContain("connection-test-failed");
    expect(a.actions[0]!.label).toBe(`Source tenant (${report.source.tenantId})`);
  });

  it("adds up the verdict by side to the rule count, with connection-test-failed on both", () => {
    const { view } = buildView(report, rules);
    const total = view.sides.reduce((n, s) => n + Number(/^(\d+) rule/.exec(s.detail)?.[1] ?? 0), 0);
    expect(total).toBe(report.results.length);
    expect(sideOf(report.results.find((r) => r.ruleId === "connection-test-failed")!)).toBe("both");
    expect(view.sides.find((s) => s.name === "both")?.label).toBe("Failing (critical)");
  });

  it("has every explainedBy id in the registry", () => {
    for (const r of ruleList) for (const id of r.explainedBy ?? []) expect(rules.has(id), `${r.id} → ${id}`).toBe(true);
  });
});

describe("report.md and the terminal on the demo pair", () => {
  const order = (text: string, ids: string[]) => ids.map((id) => text.indexOf(id));
  it("report.md opens with the action list, then the failing rules in root-cause order", () => {
    const md = renderMarkdown(report, rules);
    const actions = md.indexOf("## What to change");
    expect(actions).toBeGreaterThan(0);
    expect(actions).toBeLessThan(md.indexOf("## Summary"));
    expect(md).toContain("### Source tenant \\(Contoso\\): 5 changes");
    expect(md).toContain("### Target tenant \\(Fabrikam\\): 7 changes");
    expect(md).toContain(`**${AFTER_CHANGES.restart}**`);
    expect(md).toContain("Contoso \\(contoso.com, 1fd6544e-e994-4de2-9f1b-787b51c7d325\\)");
    const failing = md.slice(md.indexOf("## Failing rules"));
    const headings = [...failing.matchAll(/^#{3,4} .*$/gm)].map((m) => m[0]);
    expect(headings[0]).toMatch(/^### CRITICAL: Source tenant does not automatically redeem/);
    expect(headings[1]).toMatch(/^#### Consequence — CRITICAL: The cross-tenant synchronization job is in quarantine/);
    expect(headings[2]).toMatch(/^#### Consequence — CRITICAL: Test connection/);
    expect(headings).toHaveLength(14);
  });

  it("the terminal prints the same order, the per-tenant counts, and colour only when asked", () => {
    const lines = terminalSummary(report, rules, false);
    const text = lines.join("\n");
    expect(lines).toContain("  Source tenant (Contoso): 5 changes");
    expect(lines).toContain("  Target tenant (Fabrikam): 7 changes");
    const roots = lines.filter((l) => /^ {2}[A-Z]+ +(source|target|both) /.test(l)).map((l) => l.split(/\s+/)[3]);
    expect(roots).toEqual(analysis.causes.map((c) => c.result.ruleId));
    const pos = order(text, ["source-outbound-auto-redeem-disabled", "job-quarantined", "connection-test-failed", "guest-invitations-blocked"]);
    expect([...pos].sort((a, b) => a - b)).toEqual(pos);
    expect(text).not.toContain("\u001b[");
    expect(terminalSummary(report, rules, true).join("\n")).toContain("\u001b[1m\u001b[31mCRITICAL");
  });

  it("decides colour from the stream, NO_COLOR and --no-color", () => {
    expect(colorEnabled({ isTTY: true }, {}, undefined)).toBe(true);
    expect(colorEnabled({ isTTY: true }, { NO_COLOR: "1" }, undefined)).toBe(false);
    expect(colorEnabled({ isTTY: true }, {}, false)).toBe(false);
    expect(colorEnabled({ isTTY: false }, {}, true)).toBe(false);
    expect(colorEnabled({}, {}, undefined)).toBe(false);
  });

  it("neutralises escape sequences and bidi characters in terminal text", () => {
    expect(safeText("a\u001b[31mb\u202Ec\nd")).toBe("a[U+001B][31mb[U+202E]c[U+000A]d");
  });
});
