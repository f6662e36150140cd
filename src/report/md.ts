// report.md: a Markdown summary for tickets and CI step summaries; tenant data is escaped so it renders as plain text.
import { SEVERITIES } from "../engine/types.js";
import { analyzeCauses, bySeverityThenSide, sideOf, type CauseAnalysis } from "./causes.js";
import { AREAS, CHANGE_BASIS, SIDES, STATUS_LABELS, verdict, visible } from "./html-view.js";
import type { ChangeEntry, Report, RuleInfo, TenantRef } from "./model.js";
import { describeWaiver, fillPlaceholders, isFullyWaived, otherConfigurationLabel, otherConfigurationsLead } from "./model.js";
import type { WaivedFinding, WaivedResult } from "../waivers/types.js";

/** Affected objects listed per finding; CI step summaries are capped at 1 MiB, report.json and findings.csv keep them all. */
export const MD_OBJECTS_PER_FINDING = 20;

/**
 * Plain text for any Markdown context (paragraph, list item, table cell): hidden characters become code points, line
 * breaks become spaces (so nothing can start a block or end a table row), HTML is entity-escaped, Markdown
 * punctuation is backslash-escaped, and bare URLs and e-mail addresses are broken up so GFM does not autolink them.
 */
export function escapeMd(text: string): string {
  return visible(text)
    .replace(/\r\n|[\r\n\u2028\u2029]/g, " ")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/[\\`*_{}[\]()#+!|~@]/g, (c) => `\\${c}`)
    .replace(/:\/\//g, "\\:\\/\\/")
    .replace(/\bwww\./gi, (w) => `${w.slice(0, 3)}\\.`);
}

/** A fenced code block whose fence is longer than any backtick run inside, so the content cannot close it. */
export function fence(text: string, lang = ""): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const bar = "`".repeat(longest + 1);
  return `${bar}${lang}\n${visible(text)}\n${bar}`;
}

const row = (cells: (string | number)[]) => `| ${cells.map((c) => (typeof c === "number" ? String(c) : c)).join(" | ")} |`;

function table(headers: string[], rows: (string | number)[][]): string {
  return [row(headers), row(headers.map(() => "---")), ...rows.map(row)].join("\n");
}

function objectsTable(f: WaivedFinding): string {
  const shown = f.objects.slice(0, MD_OBJECTS_PER_FINDING);
  const body = table(
    ["Id", "Type", "Display name", "User principal name"],
    shown.map((o) => [escapeMd(o.id), escapeMd(o.type), escapeMd(o.displayName), escapeMd(o.userPrincipalName ?? "")]),
  );
  const more = f.objects.length - shown.length;
  return more > 0 ? `${body}\n\n…and ${more.toLocaleString("en-US")} more (see findings.csv or report.json).` : body;
}

function findingBlock(f: WaivedFinding, i: number, r: WaivedResult): string {
  const meta = [`side: ${f.side}`, `severity: ${f.severity ?? r.severity}`, ...(f.errorCode ? [`error code: ${escapeMd(f.errorCode)}`] : [])].join(" · ");
  const lines = [`${i + 1}. ${f.waived ? "**Waived** — " : ""}${escapeMd(f.message)} (${meta})`];
  if (f.waived) lines.push("", `   Waived: ${escapeMd(describeWaiver(f.waived))}`);
  if (f.waiverExpired)
    lines.push(
      "",
      `   **Waiver expired** on ${escapeMd(f.waiverExpired.expires)} (${escapeMd(f.waiverExpired.owner)}: ${escapeMd(f.waiverExpired.reason)}); this finding counts again.`,
    );
  if (f.objects.length > 0) lines.push("", `Affected objects (${f.objects.length.toLocaleString("en-US")}):`, "", objectsTable(f));
  return lines.join("\n");
}

function fixBlock(info: RuleInfo, report: Report, label = "**Fix:** "): string {
  const fill = (t: string) => fillPlaceholders(t, report);
  const parts = [`${label}${escapeMd(fill(info.fix.summary))}`, "", `Admin center: ${escapeMd(fill(info.fix.portal))}`];
  for (const g of info.fix.graph) {
    const body = g.body === undefined ? "" : `\n\n${fill(JSON.stringify(g.body, null, 2))}`;
    parts.push("", `Microsoft Graph, in the ${g.tenant} tenant (needs ${escapeMd(g.permission)}):`, "", fence(`${g.method} ${fill(g.url)}${body}`, "http"));
  }
  if (info.fix.powershell) parts.push("", "PowerShell:", "", fence(fill(info.fix.powershell), "powershell"));
  return parts.join("\n");
}

/** A failing rule; a root cause's fix is in the action list, so only consequences and waived rules repeat theirs. */
function failingSection(
  r: WaivedResult,
  info: RuleInfo | undefined,
  report: Report,
  role: { causeOf?: string[]; consequenceOf?: string; inActions: boolean },
): string {
  const title = escapeMd(info?.title ?? r.title);
  const waived = r.waivedFindings ? ` · ${r.waivedFindings} of ${r.findings.length} waived` : "";
  const heading = role.consequenceOf ? `#### Consequence — ${r.severity.toUpperCase()}: ${title}` : `### ${r.severity.toUpperCase()}: ${title}`;
  const parts = [heading, "", `Rule ${escapeMd(r.ruleId)} · side: ${sideOf(r)} · area: ${r.area} · ${escapeMd(r.reason)}${waived}`];
  if (role.consequenceOf) parts.push("", `Caused by ${escapeMd(role.consequenceOf)}: fixing that resolves this too.`);
  if (role.causeOf?.length) parts.push("", `Root cause of: ${role.causeOf.map(escapeMd).join(", ")}.`);
  if (info) parts.push("", `**Symptom:** ${escapeMd(fillPlaceholders(info.symptom, report))}`);
  parts.push("", ...r.findings.map((f, i) => findingBlock(f, i, r)).flatMap((b) => [b, ""]));
  if (info) parts.push(role.inActions ? "**Fix:** see What to change, above." : fixBlock(info, report));
  return parts.join("\n").trimEnd();
}

/** "Contoso (contoso.com, 1fd6…)" — name and domain when collected, always the id. */
export function tenantDescription(t: TenantRef): string {
  const named = [t.displayName, t.domain].filter((x): x is string => Boolean(x));
  return named.length ? `${named[0]} (${[...named.slice(1), t.tenantId].join(", ")})` : t.tenantId;
}

/** The action list: per tenant, each root cause with its fix, then the closing sentence. */
function actionsSection(analysis: CauseAnalysis, rules: ReadonlyMap<string, RuleInfo>, report: Report): string[] {
  if (analysis.actions.length === 0) return [];
  const out = ["", "## What to change", ""];
  for (const a of analysis.actions) {
    out.push(`### ${escapeMd(a.label)}: ${a.countLabel}`, "");
    a.causes.forEach((c, i) => {
      const info = rules.get(c.result.ruleId);
      const fixes = [...c.consequences, ...c.alsoExplains].map((r) => escapeMd(r.ruleId));
      out.push(
        `${i + 1}. **${c.result.severity.toUpperCase()}** ${escapeMd(info?.title ?? c.result.title)} (${escapeMd(c.result.ruleId)})${fixes.length ? ` — also resolves ${fixes.join(", ")}` : ""}`,
        "",
      );
      // Indented so the fix stays inside its list item.
      if (info) out.push(fixBlock(info, report, "**Change:** ").replace(/^(?=.)/gm, "   "), "");
    });
  }
  if (analysis.after) out.push(`**${analysis.after}**`);
  return out;
}

/** Failing rules in root-cause order, each cause followed by its consequences; fully waived rules last. */
function failingSections(analysis: CauseAnalysis, rules: ReadonlyMap<string, RuleInfo>, report: Report): string[] {
  const blocks = analysis.causes.flatMap((c) => [
    failingSection(c.result, rules.get(c.result.ruleId), report, { causeOf: [...c.consequences, ...c.alsoExplains].map((r) => r.ruleId), inActions: true }),
    ...c.consequences.map((r) => failingSection(r, rules.get(r.ruleId), report, { consequenceOf: c.result.ruleId, inActions: false })),
  ]);
  const waived = report.results.filter(isFullyWaived).sort(bySeverityThenSide);
  blocks.push(...waived.map((r) => failingSection(r, rules.get(r.ruleId), report, { inActions: false })));
  const count = analysis.causes.reduce((n, c) => n + 1 + c.consequences.length, 0) + waived.length;
  return ["", `## Failing rules (${count})`, "", blocks.length ? blocks.join("\n\n") : "No rule failed."];
}

/** Rows shown per change list in report.md; report.json has them all. */
export const MD_CHANGES_PER_LIST = 100;

function changeTable(entries: readonly ChangeEntry[], empty: string): string {
  if (entries.length === 0) return empty;
  const shown = entries.slice(0, MD_CHANGES_PER_LIST);
  const body = table(
    ["Rule", "Object", "Severity"],
    shown.map((e) => [escapeMd(e.ruleId), e.objectId ? escapeMd(e.objectId) : "–", `${e.severity ?? "info"}${e.waived ? " (waived)" : ""}`]),
  );
  const more = entries.length - shown.length;
  return more > 0 ? `${body}\n\n…and ${more.toLocaleString("en-US")} more (see report.json).` : body;
}

function changesSection(report: Report): string[] {
  const c = report.changes;
  if (!c) return [];
  const out = [
    "",
    "## Changes since the previous run",
    "",
    `Compared with ${CHANGE_BASIS[c.basis]}${c.previousGeneratedAt ? ` (generated ${escapeMd(c.previousGeneratedAt)})` : ""}: **${c.new.length} new**, ${c.resolved.length} resolved, ${c.persisting.length} persisting.`,
  ];
  if (c.jobs.length)
    out.push(
      "",
      table(
        ["Job", "Before", "Now"],
        c.jobs.map((j) => [escapeMd(j.jobId), escapeMd(j.from), escapeMd(j.to)]),
      ),
    );
  out.push("", `### New (${c.new.length})`, "", changeTable(c.new, "Nothing new."));
  out.push("", `### Resolved (${c.resolved.length})`, "", changeTable(c.resolved, "Nothing resolved."));
  out.push("", `### Persisting (${c.persisting.length})`, "", changeTable(c.persisting, "None."));
  return out;
}

function waiversSection(report: Report): string[] {
  const w = report.waivers;
  if (!w) return [];
  const rows = (list: typeof w.applied) =>
    list.map((x) => [
      escapeMd(x.ruleId),
      escapeMd(x.pair),
      x.objectIds ? escapeMd(x.objectIds.join(", ")) : "all",
      escapeMd(x.reason),
      escapeMd(x.owner),
      escapeMd(x.expires),
      x.matched,
    ]);
  const out = ["", "## Waivers", ""];
  if (w.expired.length) {
    out.push(`**${w.expired.length} expired waiver${w.expired.length === 1 ? "" : "s"}**: their findings count again.`, "");
    out.push(table(["Rule", "Pair", "Objects", "Reason", "Owner", "Expired", "Findings matched"], rows(w.expired)), "");
  }
  out.push(
    w.applied.length
      ? table(["Rule", "Pair", "Objects", "Reason", "Owner", "Expires", "Findings waived"], rows(w.applied))
      : "No waiver is in force for this pair.",
  );
  return out;
}

const bySeverity = (a: WaivedResult, b: WaivedResult) => SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity) || a.ruleId.localeCompare(b.ruleId);

// A report.json written by another version may lack a status or severity count: it shows as 0.
const countOf = (counts: Partial<Record<string, number>>, key: string): number => counts[key] ?? 0;

/** The title, the pair and its window, and the verdict. */
function headSection(report: Report): string[] {
  const overall = verdict("Overall", report.results);
  return [
    "# Cross-tenant synchronization report",
    "",
    ...(report.pair ? [`Pair **${escapeMd(report.pair)}**`, ""] : []),
    `**Overall: ${overall.label}** — ${overall.detail}`,
    "",
    `Source tenant ${escapeMd(tenantDescription(report.source))} (${escapeMd(report.source.cloud)}) → target tenant ${escapeMd(tenantDescription(report.target))} (${escapeMd(report.target.cloud)}). ` +
      `Log window ${escapeMd(report.collection.window.since)} to ${escapeMd(report.collection.window.until)}; generated ${escapeMd(report.generatedAt)} by ${escapeMd(report.tool.name)} ${escapeMd(report.tool.version)}.`,
    "",
    ...(report.collection.redacted ? ["Made from a redacted snapshot: names, addresses and object ids are pseudonyms.", ""] : []),
    ...otherConfigurationsSection(report),
  ];
}

/** The source's configurations for other tenants: named, with why, and not analysed. */
function otherConfigurationsSection(report: Report): string[] {
  const lead = otherConfigurationsLead(report);
  if (!lead) return [];
  const items = (report.otherConfigurations ?? []).map((o) => `- ${escapeMd(otherConfigurationLabel(o))}: ${escapeMd(o.evidence)}`);
  return [`${escapeMd(lead)}:`, "", ...items, ""];
}

/** Verdicts per side and area, and the counts per status and failed severity. */
function summarySection(report: Report): string[] {
  const results = report.results;
  return [
    "## Summary",
    "",
    table(
      ["Side", "Verdict", "Rules"],
      SIDES.map((s) =>
        verdict(
          s,
          results.filter((r) => sideOf(r) === s),
        ),
      ).map((v) => [v.name, v.label, v.detail]),
    ),
    "",
    table(
      ["Area", "Verdict", "Rules"],
      AREAS.map((a) =>
        verdict(
          a,
          results.filter((r) => r.area === a),
        ),
      ).map((v) => [v.name, v.label, v.detail]),
    ),
    "",
    table(
      ["Status", "Rules"],
      Object.entries(STATUS_LABELS).map(([s, label]) => [label, countOf(report.summary.byStatus, s)]),
    ),
    "",
    table(
      ["Severity", "Failed rules"],
      SEVERITIES.map((s) => [s, countOf(report.summary.failedBySeverity, s)]),
    ),
  ];
}

/** Provisioning outcomes per day, when the logs were collected. */
function provisioningSection(report: Report): string[] {
  const p = report.provisioning;
  if (p?.basis !== "logs") return [];
  // Logs collected without successes: per-day success is unknown, the total comes from the job's counters.
  const filtered = p.successFrom !== undefined;
  const out = [
    "",
    "## Provisioning outcomes per day",
    "",
    table(
      ["Day", "Success", "Skipped", "Failure"],
      p.byDay.map((d) => [escapeMd(d.day), filtered ? "–" : d.success, d.skipped, d.failure]),
    ),
  ];
  if (filtered) {
    out.push(
      "",
      p.successFrom === "job"
        ? `Logs were collected without successes (server-side filter); the job's counters report ${p.totals.success} objects synchronized.`
        : "Logs were collected without successes (server-side filter); the job's counters were not available.",
    );
  }
  return out;
}

/** Rules that lacked data, with the permission that would have given it. */
function inconclusiveSection(report: Report, title: (r: WaivedResult) => string): string[] {
  const inconclusive = report.results.filter((r) => r.status === "inconclusive").sort(bySeverity);
  return [
    "",
    `## Inconclusive rules (${inconclusive.length})`,
    "",
    inconclusive.length
      ? table(
          ["Rule", "Why", "Permission to grant"],
          inconclusive.map((r) => [
            `${title(r)} (${escapeMd(r.ruleId)})`,
            escapeMd(r.reason),
            [...new Set((r.missing ?? []).flatMap((m) => (m.permission ? [escapeMd(m.permission)] : [])))].join(", ") || "–",
          ]),
        )
      : "Every rule had the data it needed.",
  ];
}

function settledSection(report: Report, title: (r: WaivedResult) => string): string[] {
  const settled = report.results.filter((r) => r.status === "pass" || r.status === "not-applicable").sort(bySeverity);
  const out = ["", `## Passed and not applicable (${settled.length})`, ""];
  if (settled.length)
    out.push(
      table(
        ["Rule", "Status", "Reason"],
        settled.map((r) => [`${title(r)} (${escapeMd(r.ruleId)})`, STATUS_LABELS[r.status], escapeMd(r.reason)]),
      ),
    );
  return out;
}

/** Render report.md; `rules` supplies every rule text. */
export function renderMarkdown(report: Report, rules: ReadonlyMap<string, RuleInfo>): string {
  const title = (r: WaivedResult) => escapeMd(rules.get(r.ruleId)?.title ?? r.title);
  const analysis = analyzeCauses(report, rules);
  const out: string[] = [
    ...headSection(report),
    ...actionsSection(analysis, rules, report).slice(1),
    ...(analysis.actions.length ? [""] : []),
    ...summarySection(report),
    ...changesSection(report),
    ...waiversSection(report),
    ...provisioningSection(report),
    ...failingSections(analysis, rules, report),
    ...inconclusiveSection(report, title),
    ...settledSection(report, title),
  ];
  return out.join("\n") + "\n";
}
