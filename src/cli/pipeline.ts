// The terminal end of the analysis (src/app/analyze.ts): the coloured summary on stderr.
import type { Report } from "../report/model.js";
import { colorEnabled, terminalSummary } from "../report/terminal.js";
import { ruleInfoMap } from "../app/analyze.js";

/** The terminal summary (src/report/terminal.ts), coloured when stderr is a terminal and neither NO_COLOR nor --no-color says otherwise. */
export function summaryLines(report: Report, args: { color?: boolean } = {}): string[] {
  return terminalSummary(report, ruleInfoMap(), colorEnabled(process.stderr, process.env, args.color));
}
