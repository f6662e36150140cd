// The terminal summary of diagnose/analyze/demo: counts, the per-tenant action list, root causes with their consequences.
import type { Severity } from "../engine/types.js";
import { analyzeCauses, sideOf } from "./causes.js";
import type { Report, RuleInfo } from "./model.js";
import { isFullyWaived, otherConfigurationLabel, otherConfigurationsLead } from "./model.js";
import { terminalLine as safeText } from "./html-view.js";
import type { WaivedResult } from "../waivers/types.js";

const SGR = {
  reset: "\u001b[0m",
  bold: "\u001b[1m",
  dim: "\u001b[2m",
  red: "\u001b[31m",
  yellow: "\u001b[33m",
  blue: "\u001b[34m",
  magenta: "\u001b[35m",
  green: "\u001b[32m",
} as const;
const SEVERITY_COLOR: Record<Severity, string> = { critical: SGR.bold + SGR.red, high: SGR.red, medium: SGR.yellow, low: SGR.blue, info: SGR.dim };

/** Colour only on a terminal, and never with NO_COLOR set (any non-empty value, https://no-color.org) or --no-color. */
export function colorEnabled(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv, flag: boolean | undefined): boolean {
  return flag !== false && !env["NO_COLOR"] && stream.isTTY === true;
}

type Paint = (code: string, text: string) => string;

function ruleLine(r: WaivedResult, info: RuleInfo | undefined, paint: Paint, indent: string): string {
  const sev = paint(SEVERITY_COLOR[r.severity], r.severity.toUpperCase().padEnd(8));
  return `${indent}${sev} ${sideOf(r).padEnd(6)} ${safeText(r.ruleId)} — ${safeText(info?.title ?? r.title)}`;
}

/** Lines for stderr: what to change per tenant, then each root cause (most severe first) with its consequences under it. */
export function terminalSummary(report: Report, rules: ReadonlyMap<string, RuleInfo>, color = false): string[] {
  const paint: Paint = (code, text) => (color ? `${code}${text}${SGR.reset}` : text);
  const s = report.summary.byStatus;
  const lines = [`${s.fail} fail, ${s.inconclusive} inconclusive, ${s.pass} pass, ${s["not-applicable"]} not applicable`];
  const others = otherConfigurationsLead(report);
  if (others) lines.push(safeText(`${others}: ${(report.otherConfigurations ?? []).map(otherConfigurationLabel).join("; ")}`));
  const analysis = analyzeCauses(report, rules);
  if (analysis.actions.length) {
    lines.push("", paint(SGR.bold, "What to change:"));
    for (const a of analysis.actions) lines.push(`  ${safeText(a.label)}: ${a.countLabel}`);
    lines.push("", paint(SGR.bold, "Root causes, most severe first:"));
    for (const c of analysis.causes) {
      lines.push(ruleLine(c.result, rules.get(c.result.ruleId), paint, "  "));
      for (const r of c.consequences) lines.push(paint(SGR.dim, "      ↳ causes ") + ruleLine(r, rules.get(r.ruleId), paint, ""));
      if (c.alsoExplains.length) lines.push(paint(SGR.dim, `      ↳ also causes ${c.alsoExplains.map((r) => safeText(r.ruleId)).join(", ")}`));
    }
    if (analysis.after) lines.push("", paint(SGR.bold, analysis.after));
  }
  const waived = report.results.filter(isFullyWaived);
  if (waived.length) lines.push("", "Waived (every finding accepted):", ...waived.map((r) => `  ${safeText(r.ruleId)}`));
  const inconclusive = report.results.filter((x) => x.status === "inconclusive");
  if (inconclusive.length) lines.push("", paint(SGR.bold, "Inconclusive (data missing):"));
  for (const r of inconclusive) lines.push(`  ${paint(SGR.magenta, "???")}  ${safeText(r.ruleId)}: ${safeText(r.reason)}`);
  return lines;
}
