// The HTML report's provisioning chart: stacked bars per day with a table alternative, or a note when logs are missing.
import { describe, expect, it } from "vitest";
import { renderHtml } from "../../src/report/html.js";
import { buildReport } from "../../src/report/model.js";
import { NOW, fixtureReport, hostileObjects, manifest, provisioning, results, rules } from "./fixtures.js";

const section = (html: string) => /<section aria-labelledby="activity-heading"[\s\S]*?<\/section>/.exec(html)?.[0] ?? "";

describe("provisioning outcomes chart", () => {
  it("stacks success, skipped and failure per day and lists every day in a table", () => {
    const html = section(renderHtml(fixtureReport(), rules));
    expect(html).toContain('role="img"');
    for (const o of ["success", "skipped", "failure"]) expect(html).toContain(`class="out-fill-${o}"`);
    // one rect per non-zero count
    const nonZero = provisioning.byDay.reduce((n, d) => n + [d.success, d.skipped, d.failure].filter((c) => c > 0).length, 0);
    expect(html.match(/<rect /g)).toHaveLength(nonZero);
    expect(html.match(/<th scope="row"><time>/g)).toHaveLength(provisioning.byDay.length);
    expect(html).toContain("Totals over the window: 164 success, 7 skipped, 28 failure.");
    // the failure spike is the tallest bar and sits on top of its day's stack
    const failure = [...html.matchAll(/class="out-fill-failure" x="[\d.]+" y="([\d.]+)" width="[\d.]+" height="([\d.]+)"/g)].map((m) => Number(m[2]));
    expect(Math.max(...failure)).toBeGreaterThan(80);
  });

  it("says so when logs were not collected, and is absent without activity data", () => {
    const none = section(renderHtml(fixtureReport(hostileObjects, { ...provisioning, basis: "none", byDay: [] }), rules));
    expect(none).toContain("Provisioning logs were not collected");
    expect(none).not.toContain("<svg");
    const html = renderHtml(buildReport(manifest, results(), NOW), rules);
    expect(html).not.toContain('id="activity"');
  });

  it("escapes day labels from the data", () => {
    const hostile = { ...provisioning, byDay: [{ day: "<img src=x onerror=alert(1)>", success: 1, skipped: 0, failure: 0, warning: 0 }] };
    const html = renderHtml(fixtureReport(hostileObjects, hostile), rules);
    expect(html).not.toContain("<img");
  });
});
