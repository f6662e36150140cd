// Writes the requested report formats into an output folder (owner-only: reports name users).
import path from "node:path";
import { CtsError } from "../errors.js";
import { writeFileAtomic } from "../snapshot/store.js";
import { renderFindingsCsv, renderResultsCsv } from "./csv.js";
import { renderHtml } from "./html.js";
import { renderJson } from "./json.js";
import { renderJunit } from "./junit.js";
import { renderMarkdown } from "./md.js";
import type { Report, RuleInfo } from "./model.js";
import { renderSarif } from "./sarif.js";

export const REPORT_FORMATS = ["json", "html", "csv", "md", "sarif", "junit"] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** What `--format` means when not given. */
export const DEFAULT_FORMATS: readonly ReportFormat[] = ["json", "html"];

export interface WriteOptions {
  /** CSV for Excel: a UTF-8 byte order mark first. */
  excel?: boolean;
}

type Render = (report: Report, rules: ReadonlyMap<string, RuleInfo>, options: WriteOptions) => string;

/** Each format's files, in writing order; csv makes two. */
const OUTPUTS: Record<ReportFormat, { file: string; render: Render }[]> = {
  json: [{ file: "report.json", render: (report) => renderJson(report) }],
  html: [{ file: "report.html", render: renderHtml }],
  csv: [
    { file: "findings.csv", render: renderFindingsCsv },
    { file: "results.csv", render: renderResultsCsv },
  ],
  md: [{ file: "report.md", render: renderMarkdown }],
  sarif: [{ file: "report.sarif", render: renderSarif }],
  junit: [{ file: "report.junit.xml", render: renderJunit }],
};

/** File names a format writes (for help text and tests). */
export function reportFiles(format: ReportFormat): string[] {
  return OUTPUTS[format].map((o) => o.file);
}

/** Parse `--format` (comma-separated, any order, case-insensitive); unknown names are a usage error. */
export function parseFormats(value: string | undefined): ReportFormat[] {
  const list = (value ?? DEFAULT_FORMATS.join(","))
    .split(",")
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
  const unknown = list.filter((f) => !(REPORT_FORMATS as readonly string[]).includes(f));
  if (unknown.length) throw new CtsError("USAGE", `--format: unknown format ${unknown.join(", ")} (choose from ${REPORT_FORMATS.join(", ")})`);
  if (list.length === 0) throw new CtsError("USAGE", "--format: name at least one format");
  return [...new Set(list)] as ReportFormat[];
}

/** Render every format, then write them: a renderer that throws leaves nothing half-written. Returns the paths. */
export async function writeReports(
  report: Report,
  rules: ReadonlyMap<string, RuleInfo>,
  outDir: string,
  formats: readonly ReportFormat[],
  options: WriteOptions = {},
): Promise<string[]> {
  const rendered = formats.flatMap((format) => OUTPUTS[format].map((o) => ({ file: path.join(outDir, o.file), text: o.render(report, rules, options) })));
  for (const { file, text } of rendered) await writeFileAtomic(file, text);
  return rendered.map((r) => r.file);
}
