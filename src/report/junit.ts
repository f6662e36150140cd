// report.junit.xml: a test case per rule for CI dashboards; fail → <failure>, inconclusive and not applicable → <skipped>.
import { visible } from "./html-view.js";
import type { Report, RuleInfo } from "./model.js";
import { describeWaiver, fillPlaceholders, isFullyWaived } from "./model.js";
import type { WaivedResult } from "../waivers/types.js";

/** Affected objects listed per finding in a failure's text; report.json and findings.csv keep them all. */
export const JUNIT_OBJECTS_PER_FINDING = 100;

// Characters XML 1.0 cannot carry at all (even as references): show them as code points instead of dropping them.
// eslint-disable-next-line no-control-regex -- matching control characters is the point: they are neutralised or shown
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const codePoint = (c: string) => `[U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}]`;

/** Escape text for element content. */
export function xmlText(value: string): string {
  return visible(value).replace(NOT_XML, codePoint).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** Escape text for a double-quoted attribute; line breaks and tabs are kept as references so parsers do not fold them. */
export function xmlAttr(value: string): string {
  return xmlText(value).replace(/"/g, "&quot;").replace(/'/g, "&apos;").replace(/\n/g, "&#10;").replace(/\r/g, "&#13;").replace(/\t/g, "&#9;");
}

const attrs = (pairs: Record<string, string | number>) =>
  Object.entries(pairs)
    .map(([k, v]) => ` ${k}="${xmlAttr(String(v))}"`)
    .join("");

function failureText(r: WaivedResult, info: RuleInfo | undefined, report: Report): string {
  const lines: string[] = [];
  if (info) lines.push(`Symptom: ${fillPlaceholders(info.symptom, report)}`, "");
  r.findings.forEach((f, i) => {
    lines.push(
      `Finding ${i + 1} (${f.severity ?? r.severity}, side ${f.side}${f.errorCode ? `, error code ${f.errorCode}` : ""}${f.waived ? ", waived" : ""}): ${f.message}`,
    );
    if (f.waived) lines.push(`  Waived: ${describeWaiver(f.waived)}`);
    if (f.waiverExpired) lines.push(`  Waiver expired on ${f.waiverExpired.expires} (${f.waiverExpired.owner}: ${f.waiverExpired.reason}); counts again.`);
    for (const o of f.objects.slice(0, JUNIT_OBJECTS_PER_FINDING))
      lines.push(`  - ${o.type} ${o.id} ${o.displayName}${o.userPrincipalName ? ` <${o.userPrincipalName}>` : ""}`);
    const more = f.objects.length - JUNIT_OBJECTS_PER_FINDING;
    if (more > 0) lines.push(`  …and ${more} more (see findings.csv or report.json)`);
  });
  if (info) lines.push("", `Fix: ${fillPlaceholders(info.fix.summary, report)}`, `Admin center: ${fillPlaceholders(info.fix.portal, report)}`);
  return lines.join("\n");
}

function testCase(r: WaivedResult, info: RuleInfo | undefined, report: Report): string {
  const head = `<testcase${attrs({ classname: `cts-doctor.${r.area}`, name: `${r.ruleId}: ${info?.title ?? r.title}`, time: 0 })}`;
  if (isFullyWaived(r)) {
    // isFullyWaived: there is a first finding, and it is waived.
    const waiver = r.findings[0]?.waived;
    const why = `Waived: ${r.findings.length} finding${r.findings.length === 1 ? "" : "s"} accepted${waiver ? ` (${describeWaiver(waiver)})` : ""}`;
    return `${head}>
      <skipped${attrs({ message: why })}>${xmlText(failureText(r, info, report))}</skipped>
    </testcase>`;
  }
  if (r.status === "fail") {
    const first = r.findings[0]?.message ?? r.reason;
    return `${head}>\n      <failure${attrs({ type: r.severity, message: first })}>${xmlText(failureText(r, info, report))}</failure>\n    </testcase>`;
  }
  if (r.status === "inconclusive" || r.status === "not-applicable") {
    const permissions = [...new Set((r.missing ?? []).flatMap((m) => (m.permission ? [m.permission] : [])))];
    const why =
      r.status === "inconclusive"
        ? `Inconclusive: ${r.reason}${permissions.length ? ` (grant ${permissions.join(", ")})` : ""}`
        : `Not applicable: ${r.reason}`;
    return `${head}>\n      <skipped${attrs({ message: why })}/>\n    </testcase>`;
  }
  return `${head}/>`;
}

/** Render report.junit.xml: one suite for the tenant pair, one test case per rule. */
export function renderJunit(report: Report, rules: ReadonlyMap<string, RuleInfo>): string {
  const results = [...report.results].sort((a, b) => a.ruleId.localeCompare(b.ruleId));
  const counts = {
    tests: results.length,
    failures: results.filter((r) => r.status === "fail" && !isFullyWaived(r)).length,
    errors: 0,
    skipped: results.filter((r) => r.status === "inconclusive" || r.status === "not-applicable" || isFullyWaived(r)).length,
    time: 0,
  };
  const name = `${report.tool.name} ${report.source.tenantId} → ${report.target.tenantId}`;
  const properties = {
    sourceTenantId: report.source.tenantId,
    sourceCloud: report.source.cloud,
    targetTenantId: report.target.tenantId,
    targetCloud: report.target.cloud,
    logWindow: `${report.collection.window.since}/${report.collection.window.until}`,
    toolVersion: report.tool.version,
  };
  return [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<testsuites${attrs({ name: report.tool.name, ...counts })}>`,
    `  <testsuite${attrs({ name, ...counts, timestamp: report.generatedAt.replace(/\.\d+Z$/, "Z") })}>`,
    `    <properties>`,
    ...Object.entries(properties).map(([k, v]) => `      <property${attrs({ name: k, value: v })}/>`),
    `    </properties>`,
    ...results.map((r) => `    ${testCase(r, rules.get(r.ruleId), report)}`),
    `  </testsuite>`,
    `</testsuites>`,
    "",
  ].join("\n");
}
