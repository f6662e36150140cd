// A pair's verdict and whether it fails the run: like failsAt, but waived findings never count.
import type { Severity } from "../engine/types.js";
import { SEVERITIES } from "../engine/types.js";
import { isFullyWaived as fullyWaived, type Report, type RuleInfo } from "../report/model.js";
import type { WaivedResult } from "../waivers/types.js";

const atOrAbove = (s: Severity, threshold: Severity) => SEVERITIES.indexOf(s) <= SEVERITIES.indexOf(threshold);

/** True when a failed result has a finding that is not waived at or above the threshold. */
export function failsAtUnwaived(result: WaivedResult, threshold: Severity, rules: ReadonlyMap<string, RuleInfo>): boolean {
  if (result.status !== "fail") return false;
  const base = rules.get(result.ruleId)?.severity ?? result.severity;
  if (result.findings.length === 0) return atOrAbove(result.severity, threshold);
  return result.findings.some((f) => !f.waived && atOrAbove(f.severity ?? base, threshold));
}

export type PairVerdict = "fail" | "inconclusive" | "pass" | "error";

/** fail: a rule fails with findings that are not all waived; inconclusive: some rule lacked data; else pass. */
export function pairVerdict(report: Report): PairVerdict {
  if (report.results.some((r) => r.status === "fail" && !fullyWaived(r))) return "fail";
  if (report.results.some((r) => r.status === "inconclusive")) return "inconclusive";
  return "pass";
}

/** Whether this pair makes the exit code 1: any unwaived failure at or above the threshold, or only new ones. */
export function pairFails(report: Report, threshold: Severity, onlyNew: boolean, rules: ReadonlyMap<string, RuleInfo>): boolean {
  if (!onlyNew) return report.results.some((r) => failsAtUnwaived(r, threshold, rules));
  return (report.changes?.new ?? []).some((e) => !e.waived && atOrAbove(e.severity ?? "info", threshold));
}
