// What analyze, diagnose and check print with --output: the files written plus each rule's verdict, in one shape.
import type { CheckOutcome } from "../check/run.js";
import type { Report } from "../report/model.js";
import type { Printable, Row } from "./format.js";

const resultRows = (report: Report): Row[] =>
  report.results.map((r) => ({ ruleId: r.ruleId, status: r.status, severity: r.severity, side: r.side, findings: r.findings.length }));

const filesText = (files: string[]) => () => files.map((f) => `${f}\n`).join("");

/** analyze and diagnose: text is the paths written, as before; json adds the verdicts. */
export function analysisPrintable(report: Report, files: string[], exitCode: number): Printable {
  const json = {
    files,
    exitCode,
    source: report.source,
    target: report.target,
    window: report.collection.window,
    summary: report.summary,
    results: resultRows(report),
  };
  return { json, rows: resultRows(report), columns: ["ruleId", "status", "severity", "side", "findings"], text: filesText(files) };
}

/** check: one row per pair, from the roll-up summary. */
export function checkPrintable(outcome: CheckOutcome): Printable {
  const rows: Row[] = outcome.summary.pairs.map((p) => ({
    pair: p.name,
    verdict: p.verdict,
    failed: p.failed,
    inconclusive: p.inconclusive,
    passed: p.passed,
    new: p.new,
    resolved: p.resolved,
  }));
  return { json: { files: outcome.files, summary: outcome.summary }, rows, text: filesText(outcome.files) };
}
