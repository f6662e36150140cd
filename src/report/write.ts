// Writes the requested report formats into an output folder (owner-only: reports name users).
import path from "node:path";
import { CtsError } from "../errors.js";
import { writeFileAtomic } from "../snapshot/store.js";
import { renderHtml } from "./html.js";
import { renderJson } from "./json.js";
import type { Report, RuleInfo } from "./model.js";

export const REPORT_FORMATS = ["json", "html"] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

const FILES: Record<ReportFormat, string> = { json: "report.json", html: "report.html" };

export function parseFormats(value: string | undefined): ReportFormat[] {
  const list = (value ?? "json,html").split(",").map((s) => s.trim().toLowerCase()).filter(Boolean);
  const unknown = list.filter((f) => !(REPORT_FORMATS as readonly string[]).includes(f));
  if (unknown.length) throw new CtsError("USAGE", `--format: unknown format ${unknown.join(", ")} (choose from ${REPORT_FORMATS.join(", ")})`);
  if (list.length === 0) throw new CtsError("USAGE", "--format: name at least one format");
  return [...new Set(list)] as ReportFormat[];
}

/** Render and write each format; returns the written paths. */
export async function writeReports(report: Report, rules: ReadonlyMap<string, RuleInfo>, outDir: string, formats: ReportFormat[]): Promise<string[]> {
  const written: string[] = [];
  for (const format of formats) {
    const file = path.join(outDir, FILES[format]);
    const body = format === "json" ? renderJson(report) : renderHtml(report, rules);
    await writeFileAtomic(file, body);
    written.push(file);
  }
  return written;
}
