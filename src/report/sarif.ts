// report.sarif: SARIF 2.1.0 for code-scanning dashboards; a result per finding of a failing rule, inconclusive rules as "open".
import { createHash } from "node:crypto";
import type { Severity, Side } from "../engine/types.js";
import { SEVERITIES } from "../engine/types.js";
import { safeHref, visible } from "./html-view.js";
import { escapeMd, fence } from "./md.js";
import type { Report, RuleInfo } from "./model.js";
import { describeWaiver, fillPlaceholders } from "./model.js";
import type { WaivedFinding, WaivedResult } from "../waivers/types.js";

/** Affected objects listed as logical locations per result; the message says how many more there are. */
export const SARIF_OBJECTS_PER_RESULT = 100;

const SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

type Level = "error" | "warning" | "note" | "none";

export function sarifLevel(severity: Severity): Level {
  return severity === "critical" || severity === "high" ? "error" : severity === "medium" ? "warning" : "note";
}

// GitHub's own 0–10 scale for ranking alerts; our severities map onto its critical/high/medium/low bands.
const SECURITY_SEVERITY: Record<Severity, string> = { critical: "9.5", high: "8.0", medium: "5.5", low: "3.0", info: "0.0" };

/**
 * Code scanning rejects results without a physical location, and tenant objects have no file. Each result therefore
 * points at a stable pseudo-path per tenant side; the objects themselves are logical locations.
 */
const artifactFor = (side: Side) => `cts-doctor/${side}-tenant`;

function helpFor(info: RuleInfo, report: Report): { text: string; markdown: string } {
  const fill = (t: string) => fillPlaceholders(t, report);
  const requests = info.fix.graph.map((g) => ({
    label: `Microsoft Graph, in the ${g.tenant} tenant (needs ${g.permission})`,
    code: `${g.method} ${fill(g.url)}${g.body === undefined ? "" : `\n\n${fill(JSON.stringify(g.body, null, 2))}`}`,
  }));
  const refs = info.references.map((r) => ({ title: r.title, href: safeHref(r.url), url: r.url }));
  const text = [
    `Symptom: ${fill(info.symptom)}`,
    `Cause: ${fill(info.cause)}`,
    `Detection: ${info.detection}`,
    `Fix: ${fill(info.fix.summary)}`,
    `Admin center: ${fill(info.fix.portal)}`,
    ...requests.map((r) => `${r.label}:\n${r.code}`),
    ...(info.fix.powershell ? [`PowerShell:\n${fill(info.fix.powershell)}`] : []),
    ...refs.map((r) => `Reference: ${r.title} ${r.url}`),
  ].join("\n\n");
  const markdown = [
    `**Symptom:** ${escapeMd(fill(info.symptom))}`,
    `**Cause:** ${escapeMd(fill(info.cause))}`,
    `**Detection:** ${escapeMd(info.detection)}`,
    `**Fix:** ${escapeMd(fill(info.fix.summary))}`,
    `Admin center: ${escapeMd(fill(info.fix.portal))}`,
    ...requests.map((r) => `${escapeMd(r.label)}:\n\n${fence(r.code, "http")}`),
    ...(info.fix.powershell ? [`PowerShell:\n\n${fence(fill(info.fix.powershell), "powershell")}`] : []),
    ...(refs.length ? [refs.map((r) => (r.href ? `- [${escapeMd(r.title)}](${r.href})` : `- ${escapeMd(r.title)}`)).join("\n")] : []),
  ].join("\n\n");
  return { text: visible(text), markdown };
}

function ruleDescriptor(id: string, info: RuleInfo | undefined, fallback: WaivedResult, report: Report) {
  const severity = info?.severity ?? fallback.severity;
  const helpUri = info?.references.map((r) => safeHref(r.url)).find((h) => h !== null);
  return {
    id,
    // A PascalCase name is what SARIF viewers show next to the id.
    name: id.replace(/(^|[^A-Za-z0-9])([A-Za-z0-9])/g, (_, __, c: string) => c.toUpperCase()),
    shortDescription: { text: visible(info?.title ?? fallback.title) },
    ...(info ? { fullDescription: { text: visible(fillPlaceholders(info.symptom, report)) }, help: helpFor(info, report) } : {}),
    ...(helpUri ? { helpUri } : {}),
    defaultConfiguration: { level: sarifLevel(severity) },
    properties: {
      tags: ["cross-tenant-sync", info?.area ?? fallback.area, `side:${info?.side ?? fallback.side}`],
      severity,
      "security-severity": SECURITY_SEVERITY[severity],
    },
  };
}

/** Plain text for a SARIF message: brackets are escaped so a viewer never turns tenant data into an embedded link (§3.11.6). */
export function sarifText(text: string): string {
  return visible(text).replace(/[[\]]/g, (c) => `\\${c}`);
}

const sha = (parts: string[]) => createHash("sha256").update(parts.join("\u0000"), "utf8").digest("hex").slice(0, 32);

function objectLocations(f: WaivedFinding) {
  return f.objects.slice(0, SARIF_OBJECTS_PER_RESULT).map((o) => ({
    name: visible(o.displayName || o.id),
    fullyQualifiedName: visible(`${f.side}/${o.type}/${o.id}`),
    kind: "resource",
    properties: { objectId: visible(o.id), objectType: o.type, ...(o.userPrincipalName ? { userPrincipalName: visible(o.userPrincipalName) } : {}) },
  }));
}

type BaselineState = (ruleId: string, f: WaivedFinding) => { baselineState?: string };

/** A waived finding is an accepted, external suppression: dashboards show it as dismissed, not as open. */
function suppressionsOf(f: WaivedFinding) {
  if (!f.waived) return {};
  return {
    suppressions: [
      {
        kind: "external",
        status: "accepted",
        justification: sarifText(describeWaiver(f.waived)),
        properties: { owner: visible(f.waived.owner), expires: f.waived.expires },
      },
    ],
  };
}

/** One SARIF result per finding of a failed rule. `seen` numbers repeats of a fingerprint within the run. */
function failResults(r: WaivedResult, ruleIndex: number, seen: Map<string, number>, baselineState: BaselineState): object[] {
  return r.findings.map((f) => {
    const severity = f.severity ?? r.severity;
    const key = sha([r.ruleId, f.side, f.errorCode ?? ""]);
    const n = (seen.get(key) ?? 0) + 1;
    seen.set(key, n);
    const more = f.objects.length - SARIF_OBJECTS_PER_RESULT;
    const count = f.objects.length
      ? ` ${f.objects.length} affected object${f.objects.length === 1 ? "" : "s"}${more > 0 ? ` (first ${SARIF_OBJECTS_PER_RESULT} listed, ${more} more in report.json)` : ""}.`
      : "";
    return {
      ruleId: r.ruleId,
      ruleIndex,
      kind: "fail",
      level: sarifLevel(severity),
      message: { text: sarifText(`${f.message.replace(/\.\s*$/, "")}${f.errorCode ? ` (error code ${f.errorCode})` : ""}.${count}`) },
      locations: [{ physicalLocation: { artifactLocation: { uri: artifactFor(f.side) } }, logicalLocations: objectLocations(f) }],
      partialFingerprints: { "ctsFinding/v1": `${key}:${n}` },
      ...baselineState(r.ruleId, f),
      ...suppressionsOf(f),
      properties: {
        side: f.side,
        severity,
        affectedObjects: f.objects.length,
        ...(f.errorCode ? { errorCode: visible(f.errorCode) } : {}),
        ...(f.waiverExpired ? { waiverExpired: f.waiverExpired.expires } : {}),
      },
    };
  });
}

/** "open": the tool could not decide pass or fail; SARIF requires level "none" for any kind other than "fail". */
function inconclusiveResult(r: WaivedResult, ruleIndex: number): object {
  return {
    ruleId: r.ruleId,
    ruleIndex,
    kind: "open",
    level: "none",
    message: { text: sarifText(r.reason) },
    locations: [{ physicalLocation: { artifactLocation: { uri: artifactFor(r.side) } } }],
    partialFingerprints: { "ctsFinding/v1": `${sha([r.ruleId, "inconclusive"])}:1` },
  };
}

/** Data that could not be collected is a problem of the tool's run, which SARIF reports as notifications. */
function missingNotifications(r: WaivedResult, ruleIndex: number): object[] {
  return (r.missing ?? []).map((m) => ({
    level: "warning",
    message: {
      text: sarifText(
        `${m.facet}: ${m.status}${m.code ? ` (${m.code})` : ""}${m.message ? ` — ${m.message}` : ""}${m.permission ? `. Grant ${m.permission}.` : ""}`,
      ),
    },
    descriptor: { id: `facet-${m.status}` },
    associatedRule: { id: r.ruleId, index: ruleIndex },
    properties: { facet: m.facet, ...(m.permission ? { permission: visible(m.permission) } : {}) },
  }));
}

/** With changes since a previous run, each result says whether it is new (any of its objects is) or unchanged (§3.27.24). */
function baselineOf(report: Report): BaselineState {
  const newKeys = report.changes ? new Set(report.changes.new.map((e) => `${e.ruleId}\u0000${e.objectId ?? ""}`)) : undefined;
  return (ruleId, f) => {
    if (!newKeys) return {};
    const keys = f.objects.length ? f.objects.map((o) => `${ruleId}\u0000${o.id}`) : [`${ruleId}\u0000`];
    return { baselineState: keys.some((k) => newKeys.has(k)) ? "new" : "unchanged" };
  };
}

/** Render report.sarif as pretty JSON; `rules` supplies every rule text. */
export function renderSarif(report: Report, rules: ReadonlyMap<string, RuleInfo>): string {
  const ids = [...new Set([...report.results.map((r) => r.ruleId)])].sort();
  const firstResult = new Map(report.results.map((r) => [r.ruleId, r]));
  const descriptors = ids.map((id) => ruleDescriptor(id, rules.get(id), firstResult.get(id) as WaivedResult, report));
  const index = new Map(ids.map((id, i) => [id, i]));
  // Same rule, side and error code in a later run → same fingerprint; the occurrence number separates repeats in one run.
  const seen = new Map<string, number>();
  const baselineState = baselineOf(report);
  const results: object[] = [];
  const notifications: object[] = [];
  for (const r of [...report.results].sort((a, b) => a.ruleId.localeCompare(b.ruleId))) {
    const ruleIndex = index.get(r.ruleId) ?? -1;
    if (r.status === "fail") results.push(...failResults(r, ruleIndex, seen, baselineState));
    else if (r.status === "inconclusive") {
      results.push(inconclusiveResult(r, ruleIndex));
      notifications.push(...missingNotifications(r, ruleIndex));
    }
  }
  return JSON.stringify(sarifLog(report, descriptors, results, notifications), null, 2) + "\n";
}

/** The SARIF 2.1.0 log: one run, its rules, results and notifications. */
function sarifLog(report: Report, descriptors: object[], results: object[], notifications: object[]) {
  const log = {
    $schema: SCHEMA_URI,
    version: "2.1.0",
    runs: [
      {
        tool: { driver: { name: report.tool.name, version: report.tool.version, semanticVersion: report.tool.version, rules: descriptors } },
        // One category per tenant pair, so code scanning keeps each pair's alerts apart.
        automationDetails: { id: visible(`cts-doctor/${report.source.tenantId}/${report.target.tenantId}/`) },
        invocations: [{ executionSuccessful: true, endTimeUtc: report.generatedAt, toolExecutionNotifications: notifications }],
        results,
        properties: {
          sourceTenantId: visible(report.source.tenantId),
          targetTenantId: visible(report.target.tenantId),
          byStatus: report.summary.byStatus,
          failedBySeverity: Object.fromEntries(SEVERITIES.map((s) => [s, (report.summary.failedBySeverity as Partial<Record<string, number>>)[s] ?? 0])),
        },
      },
    ],
  };
  return log;
}
