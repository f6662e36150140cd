// The source's configurations for other tenants: in report.json, the terminal summary, report.md and report.html, escaped, and never analysed.
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { analyzeSnapshot, ruleInfoMap } from "../../src/app/analyze.js";
import { renderHtml } from "../../src/report/html.js";
import { renderMarkdown } from "../../src/report/md.js";
import type { OtherConfigurationRef, Report } from "../../src/report/model.js";
import { terminalSummary } from "../../src/report/terminal.js";
import { scenarioDir } from "../helpers/pair.js";

const WOODGROVE_SP = "3b7e1f42-8c5d-4e9a-b6f1-2d4c8a9e0f13";
const WOODGROVE_TENANT = "9c5d131d-b1c3-4fc4-9e3f-c6557947d551";
const rules = ruleInfoMap();
const out = await mkdtemp(path.join(os.tmpdir(), "cts-other-configs-"));
const { report } = await analyzeSnapshot(scenarioDir("mto-second-configuration"), out, ["json", "md", "html"], "high");
afterAll(() => rm(out, { recursive: true, force: true }));

describe("configurations for other tenants, mto-second-configuration", () => {
  it("lists Woodgrove in report.json next to the configuration analysed", async () => {
    const json = JSON.parse(await readFile(path.join(out, "report.json"), "utf8")) as Report;
    expect(json.configuration?.servicePrincipalId).toBe("c8c95753-f628-48e1-9fab-76c2d4cf624c");
    expect(json.otherConfigurations).toEqual([
      {
        servicePrincipalId: WOODGROVE_SP,
        name: "Woodgrove",
        targetTenantId: WOODGROVE_TENANT,
        basis: "companyId",
        evidence: `its CompanyId is ${WOODGROVE_TENANT}, not the target tenant`,
      },
    ]);
  });

  it("no rule reports it: no finding, object or reason names its service principal", () => {
    expect(report.results.filter((r) => r.status === "fail")).toEqual([]);
    expect(JSON.stringify(report.results)).not.toContain(WOODGROVE_SP);
  });

  it("shows it on one terminal line, in report.md and in report.html", async () => {
    const line = `Also in the source: 1 configuration(s) for other tenants, not analysed: "Woodgrove" (${WOODGROVE_SP}, tenant ${WOODGROVE_TENANT})`;
    expect(terminalSummary(report, rules)).toContain(line);
    const md = await readFile(path.join(out, "report.md"), "utf8");
    expect(md).toContain("Also in the source: 1 configuration\\(s\\) for other tenants, not analysed:");
    expect(md).toContain(`- "Woodgrove" \\(${WOODGROVE_SP}, tenant ${WOODGROVE_TENANT}\\): its CompanyId is ${WOODGROVE_TENANT}, not the target tenant`);
    const html = await readFile(path.join(out, "report.html"), "utf8");
    expect(html).toContain("<dt>Other configurations</dt>");
    expect(html).toContain(
      `<li>&quot;Woodgrove&quot; (${WOODGROVE_SP}, tenant ${WOODGROVE_TENANT}): its CompanyId is ${WOODGROVE_TENANT}, not the target tenant</li>`,
    );
  });
});

describe("configurations for other tenants, hostile names", () => {
  const hostile: OtherConfigurationRef = {
    servicePrincipalId: "x",
    name: "<img src=x onerror=alert(1)>*bold*\u001b[2J\nfake line\u202E",
    basis: "display-name",
    evidence: "its secrets could not be read",
  };
  const withHostile: Report = { ...report, otherConfigurations: [hostile] };

  it("are escaped in every format", () => {
    const html = renderHtml(withHostile, rules);
    expect(html).not.toContain("<img src=x");
    expect(html).toContain("&lt;img src&#x3D;x onerror&#x3D;alert(1)&gt;");
    expect(html).toContain("[U+202E]");
    const md = renderMarkdown(withHostile, rules);
    expect(md).not.toContain("<img");
    expect(md).toContain("\\*bold\\*");
    const lines = terminalSummary(withHostile, rules);
    const all = lines.join("\n");
    expect(all.includes("\u001b") || all.includes("\u202E")).toBe(false);
    expect(lines.filter((l) => l.includes("fake line"))).toHaveLength(1);
    expect(lines.find((l) => l.includes("fake line"))).toContain("CompanyId unknown");
  });

  it("are absent when there are none", () => {
    const none: Report = { ...report };
    delete none.otherConfigurations;
    expect(terminalSummary(none, rules).join("\n")).not.toContain("Also in the source");
    expect(renderMarkdown(none, rules)).not.toContain("Also in the source");
    expect(renderHtml(none, rules)).not.toContain("Other configurations");
  });
});
