// The HTML report's predict section: capped lists, the unavailable case, escaping, and no section without a prediction.
import { describe, expect, it } from "vitest";
import type { PredictSection } from "../../src/predict/section.js";
import type { UserPrediction } from "../../src/predict/types.js";
import { predictView } from "../../src/report/html-predict.js";
import { FIRST_PAGE } from "../../src/report/html-view.js";
import { renderHtml } from "../../src/report/html.js";
import { fixtureReport, rules } from "./fixtures.js";

const user = (i: number): UserPrediction => ({
  action: "create",
  displayName: i === 0 ? "<script>alert(1)</script>" : `User ${i}`,
  sourceUserPrincipalName: `user${i}@contoso.com`,
  changes: [{ attribute: "department", expression: "[department]", old: null, new: i === 0 ? "<b>Sales</b>" : "Sales", drift: false }],
  unknown: [],
});

const section = (count: number, omitted = 0): PredictSection => ({
  counts: { create: count + omitted, update: 0, "no-change": 3, skip: 0, deprovision: 0, inconclusive: 0 },
  lastCycleSucceeded: true,
  driftChanges: 0,
  users: { create: Array.from({ length: count }, (_, i) => user(i)) },
  omitted: omitted ? { create: omitted } : {},
});

describe("HTML predict section", () => {
  it("lists at most the first page of users per action and counts the rest, report.json's omitted included", () => {
    const view = predictView({ ...fixtureReport(), predict: section(FIRST_PAGE + 10, 5) });
    expect(view?.actions.map((a) => [a.action, a.count, a.users.length, a.more])).toEqual([["create", FIRST_PAGE + 15, FIRST_PAGE, 15]]);
    expect(view?.counts.find((c) => c.action === "no-change")?.count).toBe(3);
  });

  it("says why when the snapshot cannot support a prediction, and has no section without one", () => {
    const html = renderHtml({ ...fixtureReport(), predict: { unavailable: "the schema was not collected" } }, rules);
    expect(html).toContain("No prediction: the schema was not collected");
    expect(renderHtml(fixtureReport(), rules)).not.toContain('id="predict"');
  });

  it("escapes tenant names and values", () => {
    const html = renderHtml({ ...fixtureReport(), predict: section(2) }, rules);
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(html).toContain("→ &lt;b&gt;Sales&lt;/b&gt;");
    expect(html).not.toContain("<script>alert(1)");
    expect(html).not.toContain("<b>Sales</b>");
  });
});
