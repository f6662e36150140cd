// Waived findings and changes in each reporter, with hostile tenant data: SARIF stays schema-valid, HTML and Markdown stay inert.
import { readFileSync } from "node:fs";
import path from "node:path";
import ajvDraft04 from "ajv-draft-04";
import ajvFormats from "ajv-formats";
import { XMLParser } from "fast-xml-parser";
import { describe, expect, it } from "vitest";
import { diffRuns, findingEntries } from "../../src/history/changes.js";
import { renderFindingsCsv, renderResultsCsv } from "../../src/report/csv.js";
import { renderHtml } from "../../src/report/html.js";
import { renderJunit } from "../../src/report/junit.js";
import { renderMarkdown } from "../../src/report/md.js";
import type { Report } from "../../src/report/model.js";
import { renderSarif } from "../../src/report/sarif.js";
import { packageRoot } from "../../src/version.js";
import { applyWaivers } from "../../src/waivers/waivers.js";
import { IMG, MD, fixtureReport, rules } from "../report/fixtures.js";

const now = new Date("2025-01-02T04:00:00Z");

/** The report fixture with every finding of its first failing rule waived (hostile reason) and changes against an empty run. */
function waivedReport(): Report {
  const report = fixtureReport();
  const first = report.results.find((r) => r.status === "fail")!;
  const second = report.results.filter((r) => r.status === "fail")[1]!;
  applyWaivers(
    report,
    "p",
    [
      { ruleId: first.ruleId, reason: `${IMG} ${MD}`, owner: IMG, expires: "2025-12-31" },
      { ruleId: second.ruleId, reason: "old", owner: "ops", expires: "2024-12-31" },
    ],
    now,
  );
  report.pair = IMG;
  report.jobs = [{ servicePrincipalId: "sp", jobId: "job", status: "Quarantine" }];
  report.changes = diffRuns(
    findingEntries(report),
    report.jobs,
    {
      generatedAt: "2025-01-01T04:00:00Z",
      findings: [{ ruleId: "gone-rule", objectId: IMG }],
      jobs: [{ servicePrincipalId: "sp", jobId: "job", status: "Active" }],
    },
    "history",
  );
  return report;
}

describe("reporters with waivers and changes", () => {
  const report = waivedReport();
  const first = report.results.find((r) => r.status === "fail")!;

  it("SARIF: waived findings carry an accepted external suppression, results a baseline state, and the log stays schema-valid", () => {
    const schema = JSON.parse(readFileSync(path.join(packageRoot, "test", "report", "sarif-schema-2.1.0.json"), "utf8")) as object;
    const ajv = new ajvDraft04.default({ allErrors: true, strict: false });
    ajvFormats.default(ajv);
    const validate = ajv.compile(schema);
    const log = JSON.parse(renderSarif(report, rules));
    expect(validate(log), JSON.stringify(validate.errors)).toBe(true);
    const results = log.runs[0].results as {
      ruleId: string;
      kind: string;
      suppressions?: { status: string; justification: string }[];
      baselineState?: string;
    }[];
    const mine = results.filter((r) => r.ruleId === first.ruleId);
    expect(mine.length).toBe(first.findings.length);
    expect(mine.every((r) => r.suppressions?.[0]?.status === "accepted")).toBe(true);
    expect(results.filter((r) => r.kind === "fail" && r.ruleId !== first.ruleId).every((r) => !r.suppressions)).toBe(true);
    expect(results.filter((r) => r.kind === "fail").every((r) => r.baselineState === "new")).toBe(true);
  });

  it("HTML: waived badges, the expired waiver, the changes section, all escaped", () => {
    const html = renderHtml(report, rules);
    expect(html).not.toContain(IMG);
    expect(html).toContain('<span class="badge waived">waived</span>');
    expect(html).toContain('<span class="badge waiver-expired">waiver expired</span>');
    expect(html).toContain('id="changes"');
    expect(html).toContain("Quarantine");
    expect(html).toContain("&lt;img src&#x3D;x onerror&#x3D;alert(1)&gt;");
  });

  it("Markdown: waived findings, expired waiver, changes and job transition; no tags from tenant data", () => {
    const md = renderMarkdown(report, rules);
    expect(md).toContain("**Waived** — ");
    expect(md).toContain("**1 expired waiver**");
    expect(md).toContain("| job | Active | Quarantine |");
    expect(md).toContain("### Resolved (1)");
    expect(md).not.toContain("<img");
  });

  it("JUnit: a fully waived rule is skipped, not a failure", () => {
    const xml = new XMLParser({ ignoreAttributes: false }).parse(renderJunit(report, rules));
    const cases = xml.testsuites.testsuite.testcase as { "@_name": string; skipped?: { "@_message": string }; failure?: unknown }[];
    const waived = cases.find((c) => c["@_name"].startsWith(`${first.ruleId}:`))!;
    expect(waived.failure).toBeUndefined();
    expect(waived.skipped?.["@_message"]).toMatch(/^Waived: /);
    const fails = report.results.filter((r) => r.status === "fail").length;
    expect(Number(xml.testsuites["@_failures"])).toBe(fails - 1);
  });

  it("CSV: waiver columns only when the run used waivers", () => {
    expect(renderFindingsCsv(report, rules).split("\r\n")[0]).toContain('"waived","waiverReason","waiverOwner","waiverExpires"');
    expect(renderResultsCsv(report, rules).split("\r\n")[0]).toContain('"waivedFindings"');
    expect(renderFindingsCsv(fixtureReport(), rules).split("\r\n")[0]).not.toContain("waived");
  });
});
