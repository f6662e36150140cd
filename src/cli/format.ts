// `-o/--output json|text|table|csv|md`: one result, printed on stdout in the chosen shape (progress stays on stderr).
import { stringify } from "csv-stringify/sync";
import type { Argv } from "yargs";
import { redactSecrets } from "../snapshot/redact-secrets.js";
import { forTerminal } from "./output.js";
import { oneOf } from "./suggest.js";

export const OUTPUT_FORMATS = ["json", "text", "table", "csv", "md"] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

export type Cell = string | number | boolean | null | undefined;
export type Row = Record<string, Cell>;

/** What a command prints: the JSON document, the rows of the tabular shapes, and its own text. */
export interface Printable {
  json: unknown;
  rows: Row[];
  /** Column order (default: the first row's keys). */
  columns?: string[];
  text: () => string;
}

export function withOutputOption<T>(y: Argv<T>, describe = "what stdout carries") {
  return y.option("output", { alias: "o", type: "string", describe: `${describe}: ${OUTPUT_FORMATS.join(", ")} (default text)` });
}

/** The chosen format; `json: true` (the older --json flag) means json. */
export function outputFormat(args: { output?: string; json?: boolean }): OutputFormat {
  if (args.output === undefined) return args.json ? "json" : "text";
  return oneOf("--output", args.output.toLowerCase(), OUTPUT_FORMATS);
}

const cellText = (v: Cell): string => (v === null || v === undefined ? "" : String(v));

function table(columns: string[], rows: Row[]): string {
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => cellText(r[c]).length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join("  ")
      .trimEnd();
  return [line(columns), line(widths.map((w) => "-".repeat(w))), ...rows.map((r) => line(columns.map((c) => cellText(r[c]))))].join("\n") + "\n";
}

// Pipes and line breaks would end a Markdown table cell early.
const mdCell = (v: Cell) => cellText(v).replace(/\|/g, "\\|").replace(/\r?\n/g, "<br>");

function markdown(columns: string[], rows: Row[]): string {
  const line = (cells: string[]) => `| ${cells.join(" | ")} |`;
  return [line(columns), line(columns.map(() => "---")), ...rows.map((r) => line(columns.map((c) => mdCell(r[c]))))].join("\n") + "\n";
}

export function renderPrintable(format: OutputFormat, p: Printable): string {
  const columns = p.columns ?? Object.keys(p.rows[0] ?? {});
  switch (format) {
    case "json":
      return JSON.stringify(p.json, null, 2) + "\n";
    case "text":
      return p.text();
    case "table":
      return table(columns, p.rows);
    case "csv":
      // A cell starting with = + - @ would run as a formula in a spreadsheet.
      return stringify(
        p.rows.map((r) => columns.map((c) => cellText(r[c]))),
        { header: true, columns, escape_formulas: true },
      );
    case "md":
      return markdown(columns, p.rows);
  }
}

/** Stdout: secrets scrubbed from every shape; what a person reads on a terminal also has control and bidi characters shown. */
export function print(format: OutputFormat, p: Printable): void {
  const out = renderPrintable(format, p);
  process.stdout.write(format === "text" || format === "table" ? forTerminal(out) : redactSecrets(out));
}
