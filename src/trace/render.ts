// A trace as text (terminal), JSON (the fixed contract plus evidence) or one self-contained HTML page.
import { cspHash } from "../report/html.js";
import { evidenceFacts, humanDate, json, terminalLine, visible, type Fact } from "../report/html-view.js";
import type { MappedAttribute } from "./mapping.js";
import type { TraceResult } from "./types.js";

export const TRACE_FORMATS = ["text", "json", "html"] as const;
export type TraceFormat = (typeof TRACE_FORMATS)[number];

const MARK: Record<string, string> = { ok: "ok     ", blocked: "BLOCKED", warning: "warning", unknown: "unknown" };

/** The JSON contract: user, links [{name, status, detail, ruleIds}], verdict {status, ruleIds, message}; fix/evidence are additions. */
export function traceJson(t: TraceResult): string {
  return (
    JSON.stringify(
      {
        user: t.user,
        links: t.links.map((l) => ({
          name: l.name,
          status: l.status,
          detail: l.detail,
          ruleIds: l.ruleIds,
          ...(l.fix ? { fix: l.fix } : {}),
          evidence: l.evidence,
        })),
        verdict: t.verdict,
        mode: t.mode,
        query: t.query,
      },
      null,
      2,
    ) + "\n"
  );
}

const shown = (v: unknown): string => (typeof v === "string" ? `"${v}"` : v === undefined ? "null" : JSON.stringify(v));

/** The mapping link's attributes, one line each: target ← expression = value, and the target's value when it differs. */
function mappingLines(evidence: Record<string, unknown>): string[] {
  const attrs = Array.isArray(evidence.attributes) ? (evidence.attributes as MappedAttribute[]) : [];
  return attrs.map((a) => {
    const value = a.error !== undefined ? `unknown (${a.error})` : a.noFlow ? "no flow" : shown(a.value);
    const diff = a.differs ? `  DIFFERS: target has ${shown(a.targetValue)}` : "";
    return `   - ${a.attribute} ← ${a.expression} = ${value} [${a.flowType}]${diff}`;
  });
}

export function traceText(t: TraceResult): string {
  const who = t.user.id ? `${t.user.displayName ?? t.user.userPrincipalName ?? t.user.id} (${t.user.userPrincipalName ?? "?"}, ${t.user.id})` : `"${t.query}"`;
  const lines = [`Trace of ${who} — ${t.mode === "live" ? "live Graph reads" : "snapshot"}`, ""];
  t.links.forEach((l, i) => {
    lines.push(`${i + 1}. [${MARK[l.status]}] ${l.name}${l.ruleIds.length ? `  (${l.ruleIds.join(", ")})` : ""}`);
    lines.push(`   ${l.detail}`);
    if (l.name === "mapping") lines.push(...mappingLines(l.evidence));
    if (l.fix) lines.push(`   Fix: ${l.fix}`);
  });
  lines.push(
    "",
    `Verdict: ${t.verdict.status.toUpperCase()}${t.verdict.ruleIds.length ? `  (${t.verdict.ruleIds.join(", ")})` : ""}`,
    `   ${t.verdict.message}`,
  );
  if (t.verdict.fix) lines.push(`   Fix: ${t.verdict.fix}`);
  if (t.verdict.command) lines.push(`   Run: ${t.verdict.command}`);
  // Names and details come from the tenants: a terminal must not act on what they hold.
  return lines.map(terminalLine).join("\n") + "\n";
}

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
export const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);

const CSS = [
  ":root{color-scheme:light dark;--bg:#fff;--fg:#1b1b1b;--muted:#555;--line:#d0d0d0;--panel:#f5f5f5;--link:#0b57d0;--ok:#1e6b2e;--blocked:#a4111d;--warning:#7a5a00;--unknown:#4a4a4a;--on:#fff}",
  "@media (prefers-color-scheme:dark){:root{--bg:#161616;--fg:#ececec;--muted:#b4b4b4;--line:#444;--panel:#222;--link:#8ab4f8;--ok:#7fd88f;--blocked:#ff8a8f;--warning:#f2c94c;--unknown:#c8c8c8;--on:#111}}",
  "*{box-sizing:border-box}body{font:15px/1.5 system-ui,sans-serif;margin:0 auto;padding:0 1rem 2rem;max-width:60rem;background:var(--bg);color:var(--fg);word-break:normal;overflow-wrap:break-word}",
  "a{color:var(--link)}h1{font-size:1.35rem;margin:.75rem 0 .25rem}ol{padding-left:1.4rem}li{margin:.8rem 0}",
  ".s{display:inline-block;padding:0 .45rem;border-radius:.6rem;font-weight:600;text-transform:uppercase;font-size:.8rem;color:var(--on);-webkit-print-color-adjust:exact;print-color-adjust:exact}",
  ".ok{background:var(--ok)}.blocked{background:var(--blocked)}.warning{background:var(--warning)}.unknown{background:var(--unknown)}",
  ".rules,code,pre{font-family:ui-monospace,Consolas,monospace;font-size:.88em}code,pre{overflow-wrap:anywhere}pre{white-space:pre-wrap;margin:0}",
  ".verdict{border:1px solid var(--line);border-left:6px solid var(--line);background:var(--panel);padding:.6rem .8rem;margin:.75rem 0}",
  ".verdict.v-blocked{border-left-color:var(--blocked)}.verdict.v-ok{border-left-color:var(--ok)}.verdict.v-warning{border-left-color:var(--warning)}",
  ".pair{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(16rem,100%),1fr));gap:.15rem 1.5rem;margin:.5rem 0}.pair dt{font-weight:600}.pair dd{margin:0 0 .3rem}",
  ".muted{color:var(--muted)}.fix{margin-top:.25rem}",
  ".copyable{display:flex;gap:.5rem;align-items:flex-start;background:var(--panel);border:1px solid var(--line);padding:.4rem;margin:.25rem 0}.copyable pre{flex:1}",
  "button{font:inherit;color:var(--fg);background:var(--panel);border:1px solid var(--muted);border-radius:4px;padding:.1rem .6rem;cursor:pointer}",
  ".scroll{max-width:100%;overflow-x:auto}table{border-collapse:collapse;width:100%;margin:.4rem 0}th,td{border:1px solid var(--line);padding:.25rem .45rem;text-align:left;vertical-align:top}th{overflow-wrap:anywhere;width:13rem}",
  "details>summary{cursor:pointer;color:var(--link)}@media print{button{display:none}}",
].join("\n");

// Copy buttons only: the text of the element named by data-copy, through the Clipboard API or a selection fallback.
const JS = [
  "document.addEventListener('click',function(e){var b=e.target instanceof Element?e.target.closest('button[data-copy]'):null;if(!b)return;",
  "var el=document.getElementById(b.getAttribute('data-copy'));if(!el)return;var t=el.textContent||'';",
  "function done(ok){b.textContent=ok?'Copied':'Select and copy';}",
  "if(navigator.clipboard&&window.isSecureContext){navigator.clipboard.writeText(t).then(function(){done(true);},function(){done(false);});return;}",
  "var r=document.createRange();r.selectNodeContents(el);var s=window.getSelection();s.removeAllRanges();s.addRange(r);var ok=false;try{ok=document.execCommand('copy');}catch(x){}done(ok);});",
].join("\n");

/** Who the trace is about besides the user: the tenant pair, when it was made and with which version. */
export interface TraceContext {
  source: TenantRefLike;
  target: TenantRefLike;
  generatedAt: string;
  tool: string;
}

interface TenantRefLike {
  tenantId: string;
  displayName?: string;
  domain?: string;
}

const text = (s: string): string => escapeHtml(visible(s));

function tenantHtml(label: string, t: TenantRefLike): string {
  const name = t.displayName ? `<strong>${text(t.displayName)}</strong>${t.domain ? ` ${text(t.domain)}` : ""} · ` : "";
  return `<div><dt>${label}</dt><dd>${name}<code>${text(t.tenantId)}</code></dd></div>`;
}

function evidenceHtml(evidence: Record<string, unknown>): string {
  const facts = evidenceFacts(evidence);
  if (facts.length === 0) return "";
  const cell = (f: Fact) =>
    f.iso
      ? `<time datetime="${escapeHtml(f.iso)}" title="${escapeHtml(f.iso)}">${escapeHtml(f.text)}</time>`
      : f.code
        ? `<code>${escapeHtml(f.text)}</code>`
        : escapeHtml(f.text);
  const rows = facts.map((f) => `<tr><th scope="row">${escapeHtml(f.key)}</th><td>${cell(f)}</td></tr>`).join("");
  return `<details><summary>Evidence</summary><div class="scroll"><table><tbody>${rows}</tbody></table></div><details><summary>Raw evidence (JSON)</summary><pre>${escapeHtml(json(evidence))}</pre></details></details>`;
}

/** A copyable block; ids come from a counter, never from data. */
function copyable(id: string, value: string): string {
  return `<div class="copyable"><pre id="${id}">${text(value)}</pre><button type="button" data-copy="${id}">Copy</button></div>`;
}

/** One offline page: verdict first, a hash-pinned inline style and script, every tenant value escaped, no network request. */
export function traceHtml(t: TraceResult, context?: TraceContext): string {
  const csp = ["default-src 'none'", `script-src ${cspHash(JS)}`, `style-src ${cspHash(CSS)}`, "base-uri 'none'", "form-action 'none'"].join("; ");
  let n = 0;
  const rules = (ids: string[]) => (ids.length ? ` <span class="rules">${text(ids.join(", "))}</span>` : "");
  const items = t.links
    .map(
      (l) =>
        `<li><span class="s ${l.status}">${escapeHtml(l.status)}</span> <strong>${escapeHtml(l.name)}</strong>${rules(l.ruleIds)}<div>${text(l.detail)}</div>` +
        (l.fix ? `<div class="fix">Fix:</div>${copyable(`copy-${n++}`, l.fix)}` : "") +
        evidenceHtml(l.evidence) +
        "</li>",
    )
    .join("\n");
  const v = t.verdict;
  const who = text(t.user.userPrincipalName ?? t.user.id ?? t.query);
  const pair = context
    ? `<dl class="pair">${tenantHtml("Source tenant", context.source)}${tenantHtml("Target tenant", context.target)}` +
      `<div><dt>Generated</dt><dd><time datetime="${text(context.generatedAt)}" title="${text(context.generatedAt)}">${humanDate(context.generatedAt)}</time> by ${text(context.tool)}</dd></div></dl>`
    : "";
  return [
    "<!DOCTYPE html>",
    '<html lang="en"><head>',
    `<meta http-equiv="Content-Security-Policy" content="${csp}">`,
    '<meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="color-scheme" content="light dark"><meta name="referrer" content="no-referrer">',
    `<title>cts-doctor trace: ${who}</title>`,
    `<style>${CSS}</style></head><body><main>`,
    `<h1>Trace of ${who}</h1>`,
    `<section class="verdict v-${v.status}" aria-label="Verdict"><span class="s ${v.status}">${escapeHtml(v.status)}</span>${rules(v.ruleIds)}<div>${text(v.message)}</div>` +
      (v.fix ? `<div class="fix">Fix:</div>${copyable(`copy-${n++}`, v.fix)}` : "") +
      (v.command ? `<div class="fix">Run:</div>${copyable(`copy-${n++}`, v.command)}` : "") +
      "</section>",
    pair,
    `<p class="muted">${escapeHtml(t.mode === "live" ? "Live Graph reads" : "From a snapshot")}${t.user.id ? ` · object id <code>${text(t.user.id)}</code>` : ""}</p>`,
    `<h2>The chain, link by link</h2><ol>\n${items}\n</ol>`,
    `</main><script>${JS}</script></body></html>`,
    "",
  ].join("\n");
}

export function renderTrace(t: TraceResult, format: TraceFormat, context?: TraceContext): string {
  return format === "json" ? traceJson(t) : format === "html" ? traceHtml(t, context) : traceText(t);
}
