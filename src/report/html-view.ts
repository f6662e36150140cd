// The HTML report's view model: every string the templates print is decided here, so templates hold markup only.
import { CLOUDS } from "../config/clouds.js";
import type { Area, Side, Status } from "../engine/types.js";
import { SEVERITIES, STATUSES } from "../engine/types.js";
import type { ChangeEntry, Report, RuleInfo } from "./model.js";
import { describeWaiver, fillPlaceholders, isFullyWaived, otherConfigurationLabel, otherConfigurationsLead } from "./model.js";
import { analyzeCauses, bySeverityThenSide, sideOf, type CauseAnalysis } from "./causes.js";
import type { WaivedFinding, WaivedResult } from "../waivers/types.js";

/** Rows of the affected-object tables rendered before the script takes over (and what print / no-JS readers see). */
export const FIRST_PAGE = 50;
/** Longest evidence value shown; evidence is a hint, report.json keeps the whole value. */
const MAX_EVIDENCE_CHARS = 20_000;

export const SIDES: readonly Side[] = ["source", "target", "both"];
export const AREAS: readonly Area[] = ["policies", "configuration", "users", "logs"];
export const STATUS_LABELS: Record<Status, string> = { fail: "Failed", pass: "Passed", inconclusive: "Inconclusive", "not-applicable": "Not applicable" };

// Bidi overrides, zero-width and control characters can make tenant data lie about itself on screen; show them as code points.
// eslint-disable-next-line no-control-regex -- matching control characters is the point: they are neutralised or shown
const INVISIBLE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u00AD\u061C\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]/g;

const codePoint = (c: string) => `[U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}]`;

/** The same class, to test for one: most text has none, and a replace that finds nothing still costs a copy's time. */
const HAS_INVISIBLE = new RegExp(INVISIBLE.source);

/** Make hidden characters visible as [U+XXXX]; HTML escaping itself is left to Handlebars and the JSON encoder. */
export function visible(text: string): string {
  return HAS_INVISIBLE.test(text) ? text.replace(INVISIBLE, codePoint) : text;
}

// What a terminal also acts on inside a line: carriage return (rewrites the line), line feed and Unicode line breaks.
const LINE_BREAKS = /[\r\n\u2028\u2029]/g;

/** One line for a terminal: visible(), and line breaks as code points, so tenant text cannot redraw or fake lines. */
export function terminalLine(text: string): string {
  return visible(text).replace(LINE_BREAKS, codePoint);
}

/** Text for a terminal, line by line: its own newlines stay, every control or bidi character is shown as a code point. */
export function terminalText(text: string): string {
  return text.split("\n").map(terminalLine).join("\n");
}

/** Only plain https links to Microsoft Learn become links; anything else is shown as text. */
export function safeHref(url: string): string | null {
  try {
    const u = new URL(url);
    return u.protocol === "https:" && u.hostname === "learn.microsoft.com" && !u.username && !u.password && !u.port ? u.href : null;
  } catch {
    return null;
  }
}

export interface Verdict {
  name: string;
  label: string;
  /** CSS class suffix: a severity, "inconclusive", "pass" or "none". */
  tone: string;
  detail: string;
}

/** Worst failing severity, else inconclusive when any rule lacked data, else pass. Rules whose findings are all waived do not fail. */
export function verdict(name: string, results: readonly WaivedResult[]): Verdict {
  const fails = results.filter((r) => r.status === "fail" && !isFullyWaived(r));
  const waived = results.filter(isFullyWaived).length;
  const inconclusive = results.filter((r) => r.status === "inconclusive").length;
  const detail = `${results.length} rule${results.length === 1 ? "" : "s"}: ${fails.length} failed, ${inconclusive} inconclusive${waived ? `, ${waived} waived` : ""}`;
  if (results.length === 0) return { name, label: "Not checked", tone: "none", detail: "no rules" };
  if (fails.length > 0) {
    const worst = SEVERITIES.find((s) => fails.some((r) => r.severity === s)) ?? "info";
    return { name, label: `Failing (${worst})`, tone: worst, detail };
  }
  if (inconclusive > 0) return { name, label: "Inconclusive", tone: "inconclusive", detail };
  return { name, label: "Pass", tone: "pass", detail };
}

export const json = (value: unknown): string => {
  // JSON.stringify gives undefined (whatever its type says) only for a function or a symbol: String() shows those.
  const encoded = JSON.stringify(value, null, 2) as string | undefined;
  const text =
    value === undefined
      ? "undefined"
      : (encoded ?? (typeof value === "function" || typeof value === "symbol" ? value.toString() : Object.prototype.toString.call(value)));
  const shown = text.length > MAX_EVIDENCE_CHARS ? `${text.slice(0, MAX_EVIDENCE_CHARS)} … (${text.length} characters, truncated)` : text;
  return visible(shown);
};

/** Rows of the key-facts table of one finding's evidence; the whole value stays in the raw JSON toggle. */
const MAX_FACTS = 16;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

export interface Fact {
  key: string;
  text: string;
  /** The ISO instant behind a date shown for people (for <time datetime> and its tooltip). */
  iso: string | null;
  /** Identifiers and codes: monospace, and the only cells allowed to wrap anywhere. */
  code: boolean;
}

/** "2025-03-02 08:40 UTC" for an ISO instant; seconds are in the tooltip. */
export function humanDate(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? visible(iso) : `${d.toISOString().slice(0, 10)} ${d.toISOString().slice(11, 16)} UTC`;
}

function scalarFact(key: string, value: unknown): Fact {
  if (typeof value === "string" && ISO_INSTANT.test(value)) return { key: visible(key), text: humanDate(value), iso: visible(value), code: false };
  const text = value === null ? "null" : value === undefined ? "–" : typeof value === "string" ? value : JSON.stringify(value);
  return {
    key: visible(key),
    text: visible(text.length > 500 ? `${text.slice(0, 500)} …` : text),
    iso: null,
    code: typeof value === "string" && !/\s/.test(value) && value.length > 0,
  };
}

/** Flatten evidence into key facts: scalars as they are, objects one level down by dotted keys, lists joined. */
export function evidenceFacts(evidence: Record<string, unknown>): Fact[] {
  const out: Fact[] = [];
  const add = (key: string, value: unknown, depth: number) => {
    if (Array.isArray(value)) {
      if (value.every((v) => v === null || typeof v !== "object")) out.push(scalarFact(key, value.length ? value.map((v) => String(v)).join(", ") : "none"));
      else out.push(scalarFact(key, `${value.length} item${value.length === 1 ? "" : "s"} (see the raw JSON)`));
    } else if (value !== null && typeof value === "object") {
      if (depth > 1) out.push(scalarFact(key, `${Object.keys(value).length} fields (see the raw JSON)`));
      else for (const [k, v] of Object.entries(value)) add(`${key}.${k}`, v, depth + 1);
    } else out.push(scalarFact(key, value));
  };
  for (const [k, v] of Object.entries(evidence)) add(k, v, 0);
  return out.slice(0, MAX_FACTS);
}

/** A running counter for element ids; ids come from here, never from tenant data. */
class Ids {
  private n = 0;
  next(prefix: string): string {
    return `${prefix}-${this.n++}`;
  }
}

type Row = [string, string, string, string];

function objectTable(f: WaivedFinding, tables: Record<string, Row[]>, ids: Ids) {
  if (f.objects.length === 0) return null;
  const id = ids.next("objects");
  const rows: Row[] = f.objects.map((o) => [visible(o.id), o.type, visible(o.displayName), visible(o.userPrincipalName ?? "")]);
  tables[id] = rows;
  return {
    id,
    count: rows.length.toLocaleString("en-US"),
    paged: rows.length > FIRST_PAGE,
    firstPage: rows.slice(0, FIRST_PAGE).map(([oid, type, displayName, upn]) => ({ id: oid, type, displayName, upn })),
  };
}

function finding(f: WaivedFinding, i: number, r: WaivedResult, tables: Record<string, Row[]>, ids: Ids) {
  return {
    number: i + 1,
    message: visible(f.message),
    side: f.side,
    severity: f.severity ?? r.severity,
    errorCode: f.errorCode ? visible(f.errorCode) : null,
    waived: f.waived ? visible(describeWaiver(f.waived)) : null,
    waiverExpired: f.waiverExpired ? visible(`expired ${f.waiverExpired.expires} (${f.waiverExpired.owner}: ${f.waiverExpired.reason})`) : null,
    facts: evidenceFacts(f.evidence),
    raw: Object.keys(f.evidence).length ? json(f.evidence) : null,
    objects: objectTable(f, tables, ids),
  };
}

function fix(info: RuleInfo, report: Report, ids: Ids) {
  const fill = (t: string) => visible(fillPlaceholders(t, report));
  return {
    summary: fill(info.fix.summary),
    portal: { id: ids.next("copy"), text: fill(info.fix.portal) },
    graph: info.fix.graph.map((g) => {
      const request = `${g.method} ${fill(g.url)}`;
      const body = g.body === undefined ? null : fill(JSON.stringify(g.body, null, 2));
      return { id: ids.next("copy"), tenant: g.tenant, permission: g.permission, text: body === null ? request : `${request}\n\n${body}` };
    }),
    powershell: info.fix.powershell ? { id: ids.next("copy"), text: fill(info.fix.powershell) } : null,
  };
}

function ruleSection(r: WaivedResult, info: RuleInfo | undefined, report: Report, tables: Record<string, Row[]>, ids: Ids) {
  return {
    anchor: `rule-${r.ruleId.replace(/[^A-Za-z0-9_-]/g, "_")}`,
    ruleId: visible(r.ruleId),
    title: visible(info?.title ?? r.title),
    severity: r.severity,
    side: r.side,
    area: r.area,
    status: r.status,
    statusLabel: STATUS_LABELS[r.status],
    reason: visible(r.reason),
    waivedFindings: r.waivedFindings ? `${r.waivedFindings} of ${r.findings.length} waived` : null,
    symptom: info ? visible(fillPlaceholders(info.symptom, report)) : null,
    cause: info ? visible(fillPlaceholders(info.cause, report)) : null,
    detection: info ? visible(info.detection) : null,
    findings: r.findings.map((f, i) => finding(f, i, r, tables, ids)),
    missing: (r.missing ?? []).map((m) => ({
      facet: m.facet,
      status: m.status,
      code: m.code ? visible(m.code) : null,
      message: m.message ? visible(m.message) : null,
      permission: m.permission ? visible(m.permission) : null,
    })),
    fix: info ? fix(info, report, ids) : null,
    /** Set by buildView: the cause this rule is folded under, the consequences folded under it, and whether its fix is shown here. */
    consequenceOf: null as { anchor: string; title: string } | null,
    consequences: [] as unknown[],
    resolves: "",
    fixHere: true,
    references: (info?.references ?? []).map((ref) => ({ title: ref.title, href: safeHref(ref.url), url: ref.url })),
  };
}

export type RuleSection = ReturnType<typeof ruleSection>;

function chart(report: Report) {
  const counts = SEVERITIES.map((s) => ({
    severity: s,
    count: report.results.filter((r) => r.status === "fail").reduce((n, r) => n + r.findings.filter((f) => (f.severity ?? r.severity) === s).length, 0),
  }));
  const max = Math.max(1, ...counts.map((c) => c.count));
  const rowHeight = 28;
  const barMax = 320;
  return {
    width: 480,
    height: rowHeight * counts.length + 8,
    total: counts.reduce((n, c) => n + c.count, 0),
    bars: counts.map((c, i) => {
      // A non-zero count always gets a visible sliver, so "1" never looks like "0".
      const barWidth = c.count === 0 ? 0 : Math.max(2, Math.round((c.count / max) * barMax));
      const y = 4 + i * rowHeight;
      return { severity: c.severity, count: c.count, labelX: 86, y, textY: y + 18, barX: 96, barWidth, countX: 96 + barWidth + 6 };
    }),
  };
}

const OUTCOMES = ["success", "skipped", "failure"] as const;
const OUTCOME_LABELS: Record<(typeof OUTCOMES)[number], string> = { success: "Success", skipped: "Skipped", failure: "Failure" };

/** Round an axis maximum up to 1, 2 or 5 times a power of ten, so gridline labels are readable numbers. */
function niceMax(n: number): number {
  if (n <= 5) return Math.max(1, n);
  const p = 10 ** Math.floor(Math.log10(n));
  return ([1, 2, 5, 10].find((m) => m * p >= n) ?? 10) * p;
}

/** Stacked bars of provisioning outcomes per day (success at the base, failure on top) plus the same data as a table. */
function activityChart(report: Report) {
  const p = report.provisioning;
  if (!p) return null;
  const fmt = (n: number) => n.toLocaleString("en-US");
  const days = p.byDay;
  const totals = { success: fmt(p.totals.success), skipped: fmt(p.totals.skipped), failure: fmt(p.totals.failure) };
  // Logs collected without successes: no success bars; the job's counters give the only success number there is.
  const noSuccesses = p.successFrom !== undefined;
  const successNote = !noSuccesses
    ? ""
    : p.successFrom === "job"
      ? `Logs were collected without successes (server-side filter); the job's counters report ${totals.success} objects synchronized.`
      : "Logs were collected without successes (server-side filter), and the job's counters were not available.";
  if (p.basis !== "logs" || days.length === 0)
    return { collected: false, bars: [], rows: [], totals, legend: [], grid: [], labels: [], width: 0, height: 0, desc: "" };
  const width = 640;
  const height = 240;
  const left = 48;
  const right = 8;
  const top = 10;
  const bottom = 36;
  const plotW = width - left - right;
  const plotH = height - top - bottom;
  const max = niceMax(Math.max(...days.map((d) => d.success + d.skipped + d.failure)));
  const slot = plotW / days.length;
  const barW = Math.max(2, Math.round(slot * 0.7 * 10) / 10);
  const scale = (n: number) => Math.round((n / max) * plotH * 10) / 10;
  // At most about ten day labels fit under the axis; the table below has every day.
  const every = Math.ceil(days.length / 10);
  const bars = days.flatMap((d, i) => {
    let y = top + plotH;
    const x = Math.round((left + i * slot + (slot - barW) / 2) * 10) / 10;
    return OUTCOMES.flatMap((o) => {
      const h = d[o] === 0 ? 0 : Math.max(1, scale(d[o]));
      y -= h;
      return h === 0 ? [] : [{ outcome: o, x, y: Math.round(y * 10) / 10, width: barW, height: h, label: `${visible(d.day)}: ${fmt(d[o])} ${o}` }];
    });
  });
  const grid = [0, max / 2, max].map((v) => {
    const y = top + plotH - scale(v);
    return { y, textY: y + 4, label: fmt(Math.round(v)), x1: left, x2: width - right, labelX: left - 6 };
  });
  const labels = days.flatMap((d, i) =>
    i % every === 0 ? [{ x: Math.round((left + i * slot + slot / 2) * 10) / 10, y: height - bottom + 16, text: visible(d.day.slice(5)) }] : [],
  );
  return {
    collected: true,
    width,
    height,
    bars,
    grid,
    labels,
    legend: OUTCOMES.filter((o) => !noSuccesses || o !== "success").map((o) => ({ outcome: o, label: OUTCOME_LABELS[o] })),
    totals,
    successNote,
    desc: `${days.length} days from ${visible(days[0]?.day ?? "")} to ${visible(days[days.length - 1]?.day ?? "")}: ${noSuccesses ? "" : `${totals.success} success, `}${totals.skipped} skipped, ${totals.failure} failure.${successNote ? ` ${successNote}` : ""} The table that follows lists every day.`,
    rows: days.map((d) => ({ day: visible(d.day), success: noSuccesses ? "–" : fmt(d.success), skipped: fmt(d.skipped), failure: fmt(d.failure) })),
  };
}

const bySeverity = (a: WaivedResult, b: WaivedResult) => SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity) || a.ruleId.localeCompare(b.ruleId);

export const CHANGE_BASIS: Record<NonNullable<Report["changes"]>["basis"], string> = {
  history: "the previous run in the history",
  baseline: "the baseline report",
  none: "nothing: this is the first recorded run, so every finding is new",
};

/** Rows of a change list: rule, object (with its display name when this run names it), severity, waived. */
function changeRows(entries: readonly ChangeEntry[], report: Report) {
  const names = new Map(report.results.flatMap((r) => r.findings.flatMap((f) => f.objects.map((o) => [`${r.ruleId}\u0000${o.id}`, o.displayName] as const))));
  return entries.map((e) => ({
    ruleId: visible(e.ruleId),
    objectId: e.objectId ? visible(e.objectId) : "–",
    displayName: e.objectId ? visible(names.get(`${e.ruleId}\u0000${e.objectId}`) ?? "") : "",
    severity: e.severity ?? "info",
    waived: e.waived === true,
  }));
}

/** The "Changes since the previous run" section, when the report has changes. */
function changesView(report: Report) {
  const c = report.changes;
  if (!c) return null;
  return {
    basis: CHANGE_BASIS[c.basis],
    previous: c.previousGeneratedAt ? visible(c.previousGeneratedAt) : null,
    newCount: c.new.length,
    resolvedCount: c.resolved.length,
    persistingCount: c.persisting.length,
    new: changeRows(c.new, report),
    resolved: changeRows(c.resolved, report),
    persisting: changeRows(c.persisting, report),
    jobs: c.jobs.map((j) => ({ jobId: visible(j.jobId), from: visible(j.from), to: visible(j.to) })),
  };
}

/** The waivers section, when the run used waivers. */
function waiversView(report: Report) {
  const w = report.waivers;
  if (!w) return null;
  const row = (x: NonNullable<Report["waivers"]>["applied"][number]) => ({
    ruleId: visible(x.ruleId),
    pair: visible(x.pair),
    objects: x.objectIds ? visible(x.objectIds.join(", ")) : "all",
    reason: visible(x.reason),
    owner: visible(x.owner),
    expires: visible(x.expires),
    matched: x.matched,
  });
  return { applied: w.applied.map(row), expired: w.expired.map(row), any: w.applied.length + w.expired.length > 0 };
}

/** Root-cause sections in order, each with its consequences folded in; fully waived rules last (their fix shown with them). */
function failingView(causes: CauseAnalysis, results: readonly WaivedResult[], section: (r: WaivedResult) => RuleSection): RuleSection[] {
  const roots = causes.causes.map((c) => {
    const root = section(c.result);
    root.fixHere = false;
    root.resolves = [...c.consequences, ...c.alsoExplains].map((r) => visible(r.ruleId)).join(", ");
    root.consequences = c.consequences.map((r) => ({ ...section(r), consequenceOf: { anchor: root.anchor, title: root.title } }));
    return root;
  });
  return [...roots, ...results.filter(isFullyWaived).sort(bySeverityThenSide).map(section)];
}

/** A tenant as the header shows it; a cloud this version does not know (an older or edited report.json) shows as written. */
function tenantView(t: Report["source"]) {
  const clouds: Partial<Record<string, { label: string }>> = CLOUDS;
  return {
    tenantId: visible(t.tenantId),
    name: visible(t.displayName ?? t.tenantId),
    domain: t.domain ? visible(t.domain) : null,
    cloud: t.cloud,
    cloudLabel: clouds[t.cloud]?.label ?? visible(t.cloud),
  };
}

/** The page header: the pair, when the report was made and the window it covers. */
function headerView(report: Report) {
  const w = report.collection.window;
  return {
    title: `Cross-tenant synchronization report`,
    source: tenantView(report.source),
    target: tenantView(report.target),
    generatedAt: visible(report.generatedAt),
    generatedAtText: humanDate(report.generatedAt),
    collectedAtText: humanDate(report.collection.createdAt),
    tool: `${visible(report.tool.name)} ${visible(report.tool.version)}`,
    window: { since: visible(w.since), until: visible(w.until), sinceText: humanDate(w.since), untilText: humanDate(w.until) },
    collectedAt: visible(report.collection.createdAt),
    redacted: report.collection.redacted === true,
    otherConfigurations: otherConfigurationsView(report),
  };
}

/** The source's configurations for other tenants, listed in the header (Handlebars escapes; visible() shows hidden characters). */
function otherConfigurationsView(report: Report) {
  const lead = otherConfigurationsLead(report);
  if (!lead) return null;
  const items = (report.otherConfigurations ?? []).map((o) => ({ label: visible(otherConfigurationLabel(o)), evidence: visible(o.evidence) }));
  return { lead: visible(lead), items };
}

// A report.json written by another version may lack a status or severity count: it shows as 0.
const countOf = (counts: Partial<Record<string, number>>, key: string): number => counts[key] ?? 0;

/** The verdict tiles: overall, per side, per area, and the counts per status and failed severity. */
function summaryView(report: Report) {
  const results = report.results;
  return {
    overall: verdict("Overall", results),
    // Each rule counts on exactly one side, so the rows add up to the rule count.
    sides: SIDES.map((s) =>
      verdict(
        s,
        results.filter((r) => sideOf(r) === s),
      ),
    ),
    areas: AREAS.map((a) =>
      verdict(
        a,
        results.filter((r) => r.area === a),
      ),
    ),
    byStatus: STATUSES.map((s) => ({ status: s, label: STATUS_LABELS[s], count: countOf(report.summary.byStatus, s) })),
    failedBySeverity: SEVERITIES.map((s) => ({ severity: s, count: countOf(report.summary.failedBySeverity, s) })),
  };
}

const FILTERS = {
  severities: SEVERITIES.map((s) => ({ value: s, id: `filter-severity-${s}` })),
  sides: SIDES.map((s) => ({ value: s, id: `filter-side-${s}` })),
  statuses: STATUSES.map((s) => ({ value: s, label: STATUS_LABELS[s], id: `filter-status-${s}` })),
};

/** The collection status of every facet, for the "Data collected" table. */
function facetsView(report: Report) {
  return Object.entries(report.collection.facets).map(([id, f]) => ({
    id: visible(id),
    status: f.status,
    count: f.count === undefined ? null : f.count.toLocaleString("en-US"),
    error: f.error ? visible(`${f.error.httpStatus ? `${f.error.httpStatus} ` : ""}${f.error.code}: ${f.error.message}`) : null,
    permission: f.permission ? visible(f.permission) : null,
    partial: f.partial === true,
  }));
}

/** Build everything the template prints, plus the object-table rows for the embedded JSON block. */
export function buildView(report: Report, rules: ReadonlyMap<string, RuleInfo>) {
  const ids = new Ids();
  const tables: Record<string, Row[]> = {};
  const section = (r: WaivedResult) => ruleSection(r, rules.get(r.ruleId), report, tables, ids);
  const results = report.results;
  const causes = analyzeCauses(report, rules);
  const failing = failingView(causes, results, section);
  // Every cause of an action is a failing root, so each is found among the sections.
  const sectionOf = (ruleId: string) => failing.filter((f) => f.ruleId === visible(ruleId)).slice(0, 1);
  const actions = causes.actions.map((a) => ({
    label: visible(a.label),
    countLabel: a.countLabel,
    causes: a.causes.flatMap((c) => sectionOf(c.result.ruleId)),
  }));
  const inStatus = (...statuses: WaivedResult["status"][]) =>
    results
      .filter((r) => statuses.includes(r.status))
      .sort(bySeverity)
      .map(section);
  const inconclusive = inStatus("inconclusive");
  const settled = inStatus("pass", "not-applicable");
  const view = {
    ...headerView(report),
    ...summaryView(report),
    chart: chart(report),
    activity: activityChart(report),
    pair: report.pair ? visible(report.pair) : null,
    changes: changesView(report),
    waivers: waiversView(report),
    filters: FILTERS,
    actions,
    after: causes.after,
    failing,
    failingCount: failing.reduce((n, f) => n + 1 + f.consequences.length, 0),
    inconclusive,
    settled,
    facets: facetsView(report),
  };
  return { view, tables };
}

export type HtmlView = ReturnType<typeof buildView>["view"];
export type ObjectTables = ReturnType<typeof buildView>["tables"];
