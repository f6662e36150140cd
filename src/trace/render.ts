// A trace as text (terminal), JSON (the fixed contract plus evidence) or one self-contained HTML page.
import { cspHash } from "../report/html.js";
import { terminalLine } from "../report/html-view.js";
import type { TraceResult } from "./types.js";

export const TRACE_FORMATS = ["text", "json", "html"] as const;
export type TraceFormat = (typeof TRACE_FORMATS)[number];

const MARK: Record<string, string> = { ok: "ok     ", blocked: "BLOCKED", warning: "warning", unknown: "unknown" };

/** The JSON contract: user, links [{name, status, detail, ruleIds}], verdict {status, ruleIds, message}; fix/evidence are additions. */
export function traceJson(t: TraceResult): string {
  return JSON.stringify(
    {
      user: t.user,
      links: t.links.map((l) => ({ name: l.name, status: l.status, detail: l.detail, ruleIds: l.ruleIds, ...(l.fix ? { fix: l.fix } : {}), evidence: l.evidence })),
      verdict: t.verdict,
      mode: t.mode,
      query: t.query,
    },
    null,
    2,
  ) + "\n";
}

export function traceText(t: TraceResult): string {
  const who = t.user.id ? `${t.user.displayName ?? t.user.userPrincipalName ?? t.user.id} (${t.user.userPrincipalName ?? "?"}, ${t.user.id})` : `"${t.query}"`;
  const lines = [`Trace of ${who} — ${t.mode === "live" ? "live Graph reads" : "snapshot"}`, ""];
  t.links.forEach((l, i) => {
    lines.push(`${i + 1}. [${MARK[l.status]}] ${l.name}${l.ruleIds.length ? `  (${l.ruleIds.join(", ")})` : ""}`);
    lines.push(`   ${l.detail}`);
    if (l.fix) lines.push(`   Fix: ${l.fix}`);
  });
  lines.push("", `Verdict: ${t.verdict.status.toUpperCase()}${t.verdict.ruleIds.length ? `  (${t.verdict.ruleIds.join(", ")})` : ""}`, `   ${t.verdict.message}`);
  if (t.verdict.fix) lines.push(`   Fix: ${t.verdict.fix}`);
  if (t.verdict.command) lines.push(`   Run: ${t.verdict.command}`);
  // Names and details come from the tenants: a terminal must not act on what they hold.
  return lines.map(terminalLine).join("\n") + "\n";
}

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
export const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

const CSS = [
  "body{font:14px/1.45 system-ui,sans-serif;margin:2rem;max-width:60rem;color:#1b1b1b}",
  "h1{font-size:1.3rem}ol{padding-left:1.4rem}li{margin:.6rem 0}",
  ".s{display:inline-block;min-width:5.5rem;font-weight:600;text-transform:uppercase;font-size:.8rem}",
  ".ok{color:#0b6a0b}.blocked{color:#b00020}.warning{color:#8a5300}.unknown{color:#555}",
  ".rules{font-family:ui-monospace,monospace;font-size:.85rem}.fix{margin-top:.2rem}",
  ".verdict{border:1px solid #ccc;padding:.8rem;margin-top:1rem}code{word-break:break-all}",
].join("\n");

/** One offline page: no script, a hash-pinned inline style, every tenant value escaped. */
export function traceHtml(t: TraceResult): string {
  const csp = ["default-src 'none'", `style-src ${cspHash(CSS)}`, "base-uri 'none'", "form-action 'none'"].join("; ");
  const rules = (ids: string[]) => (ids.length ? ` <span class="rules">${escapeHtml(ids.join(", "))}</span>` : "");
  const items = t.links
    .map(
      (l) =>
        `<li><span class="s ${l.status}">${escapeHtml(l.status)}</span> <strong>${escapeHtml(l.name)}</strong>${rules(l.ruleIds)}<div>${escapeHtml(l.detail)}</div>` +
        (l.fix ? `<div class="fix">Fix: ${escapeHtml(l.fix)}</div>` : "") +
        "</li>",
    )
    .join("\n");
  const v = t.verdict;
  const who = escapeHtml(t.user.userPrincipalName ?? t.user.id ?? t.query);
  return [
    "<!DOCTYPE html>",
    '<html lang="en"><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${csp}">`,
    `<title>cts-doctor trace: ${who}</title>`,
    `<style>${CSS}</style></head><body>`,
    `<h1>Trace of ${who}</h1><p>${escapeHtml(t.mode === "live" ? "Live Graph reads" : "From a snapshot")}${t.user.id ? ` · object id <code>${escapeHtml(t.user.id)}</code>` : ""}</p>`,
    `<ol>\n${items}\n</ol>`,
    `<div class="verdict"><span class="s ${v.status}">${escapeHtml(v.status)}</span>${rules(v.ruleIds)}<div>${escapeHtml(v.message)}</div>` +
      (v.fix ? `<div class="fix">Fix: ${escapeHtml(v.fix)}</div>` : "") +
      (v.command ? `<div class="fix">Run: <code>${escapeHtml(v.command)}</code></div>` : "") +
      "</div>",
    "</body></html>",
    "",
  ].join("\n");
}

export function renderTrace(t: TraceResult, format: TraceFormat): string {
  return format === "json" ? traceJson(t) : format === "html" ? traceHtml(t) : traceText(t);
}
