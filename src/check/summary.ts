// The roll-up of a check run: summary.json, summary.md and summary.csv, one row per pair with its verdict and counts.
import path from "node:path";
import { stringify } from "csv-stringify/sync";
import type { Severity } from "../engine/types.js";
import { guardCell } from "../report/csv.js";
import { escapeMd } from "../report/md.js";
import { writeFileAtomic } from "../snapshot/store.js";

export interface PairSummary {
  name: string;
  sourceTenantId: string;
  targetTenantId: string;
  verdict: string;
  /** True when this pair made the exit code 1. */
  failsRun: boolean;
  failed: number;
  inconclusive: number;
  passed: number;
  notApplicable: number;
  waivedFindings: number;
  expiredWaivers: number;
  new: number;
  resolved: number;
  persisting: number;
  jobTransitions: string[];
  /** The pair's report folder, relative to the summary. */
  reportDir: string;
  error?: string;
}

export interface CheckSummary {
  generatedAt: string;
  tool: { name: string; version: string };
  failOn: Severity;
  failOnNew: boolean;
  exitCode: number;
  pairs: PairSummary[];
}

/** Summary columns, defined once for the CSV and the Markdown table. */
const COLUMNS: { header: string; value: (p: PairSummary) => string | number }[] = [
  { header: "pair", value: (p) => p.name },
  { header: "verdict", value: (p) => p.verdict },
  { header: "failsRun", value: (p) => (p.failsRun ? "yes" : "no") },
  { header: "failed", value: (p) => p.failed },
  { header: "inconclusive", value: (p) => p.inconclusive },
  { header: "passed", value: (p) => p.passed },
  { header: "waived", value: (p) => p.waivedFindings },
  { header: "expiredWaivers", value: (p) => p.expiredWaivers },
  { header: "new", value: (p) => p.new },
  { header: "resolved", value: (p) => p.resolved },
  { header: "persisting", value: (p) => p.persisting },
  { header: "jobTransitions", value: (p) => p.jobTransitions.join("; ") },
  { header: "sourceTenantId", value: (p) => p.sourceTenantId },
  { header: "targetTenantId", value: (p) => p.targetTenantId },
  { header: "error", value: (p) => p.error ?? "" },
];

export function renderSummaryMd(s: CheckSummary): string {
  const row = (cells: (string | number)[]) => `| ${cells.join(" | ")} |`;
  const cell = (v: string | number) => (typeof v === "number" ? String(v) : escapeMd(v));
  const mdCols = COLUMNS.filter((c) => !["sourceTenantId", "targetTenantId"].includes(c.header));
  return [
    "# Cross-tenant synchronization check",
    "",
    `${s.pairs.length} pair${s.pairs.length === 1 ? "" : "s"}; exit code ${s.exitCode} (fail on ${s.failOn}${s.failOnNew ? ", new findings only" : ""}); generated ${escapeMd(s.generatedAt)} by ${escapeMd(s.tool.name)} ${escapeMd(s.tool.version)}.`,
    "",
    row(mdCols.map((c) => c.header)),
    row(mdCols.map(() => "---")),
    ...s.pairs.map((p) => row(mdCols.map((c) => cell(c.value(p))))),
    "",
    "Each pair's reports are in its own folder (`<pair>/report.*`).",
    "",
  ].join("\n");
}

export function renderSummaryCsv(s: CheckSummary): string {
  return stringify(
    s.pairs.map((p) => COLUMNS.map((c) => guardCell(c.value(p)))),
    { header: true, columns: COLUMNS.map((c) => c.header), quoted: true, quoted_empty: true, escape_formulas: true, record_delimiter: "windows" },
  );
}

/** Write summary.json, summary.md and summary.csv into the output folder; returns the paths. */
export async function writeSummary(outDir: string, s: CheckSummary): Promise<string[]> {
  const files: [string, string][] = [
    ["summary.json", JSON.stringify(s, null, 2) + "\n"],
    ["summary.md", renderSummaryMd(s)],
    ["summary.csv", renderSummaryCsv(s)],
  ];
  for (const [name, text] of files) await writeFileAtomic(path.join(outDir, name), text);
  return files.map(([name]) => path.join(outDir, name));
}
