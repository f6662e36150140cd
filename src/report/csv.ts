// findings.csv (a row per affected object per finding) and results.csv (a row per rule), safe to open in a spreadsheet.
import { stringify } from "csv-stringify/sync";
import type { AffectedObject } from "../engine/types.js";
import { visible } from "./html-view.js";
import type { Report, RuleInfo } from "./model.js";
import { fillPlaceholders } from "./model.js";
import type { WaivedFinding, WaivedResult } from "../waivers/types.js";

/** One output column: its header and how a row's value is read. Both files are driven by these lists alone. */
export interface Column<Row> {
  header: string;
  value: (row: Row) => string | number;
}

interface FindingRow {
  result: WaivedResult;
  finding: WaivedFinding;
  object: AffectedObject | undefined;
  fix: string;
}

interface ResultRow {
  result: WaivedResult;
  title: string;
  fix: string;
}

export const FINDING_COLUMNS: readonly Column<FindingRow>[] = [
  { header: "ruleId", value: (r) => r.result.ruleId },
  { header: "severity", value: (r) => r.finding.severity ?? r.result.severity },
  { header: "side", value: (r) => r.finding.side },
  { header: "objectId", value: (r) => r.object?.id ?? "" },
  { header: "objectType", value: (r) => r.object?.type ?? "" },
  { header: "displayName", value: (r) => r.object?.displayName ?? "" },
  { header: "userPrincipalName", value: (r) => r.object?.userPrincipalName ?? "" },
  { header: "errorCode", value: (r) => r.finding.errorCode ?? "" },
  { header: "message", value: (r) => r.finding.message },
  { header: "fix", value: (r) => r.fix },
];

export const RESULT_COLUMNS: readonly Column<ResultRow>[] = [
  { header: "ruleId", value: (r) => r.result.ruleId },
  { header: "title", value: (r) => r.title },
  { header: "severity", value: (r) => r.result.severity },
  { header: "side", value: (r) => r.result.side },
  { header: "area", value: (r) => r.result.area },
  { header: "status", value: (r) => r.result.status },
  { header: "reason", value: (r) => r.result.reason },
  { header: "findings", value: (r) => r.result.findings.length },
  { header: "affectedObjects", value: (r) => r.result.findings.reduce((n, f) => n + f.objects.length, 0) },
  { header: "missingData", value: (r) => (r.result.missing ?? []).map((m) => `${m.facet}: ${m.status}${m.code ? ` ${m.code}` : ""}`).join("; ") },
  { header: "permissionToGrant", value: (r) => [...new Set((r.result.missing ?? []).flatMap((m) => (m.permission ? [m.permission] : [])))].join("; ") },
  { header: "fix", value: (r) => r.fix },
];

/** Added to findings.csv only when the run used waivers, so files of runs without waivers keep their documented columns. */
export const WAIVER_FINDING_COLUMNS: readonly Column<FindingRow>[] = [
  { header: "waived", value: (r) => (r.finding.waived ? "yes" : r.finding.waiverExpired ? "expired" : "no") },
  { header: "waiverReason", value: (r) => (r.finding.waived ?? r.finding.waiverExpired)?.reason ?? "" },
  { header: "waiverOwner", value: (r) => (r.finding.waived ?? r.finding.waiverExpired)?.owner ?? "" },
  { header: "waiverExpires", value: (r) => (r.finding.waived ?? r.finding.waiverExpired)?.expires ?? "" },
];

/** Added to results.csv only when the run used waivers. */
export const WAIVER_RESULT_COLUMNS: readonly Column<ResultRow>[] = [{ header: "waivedFindings", value: (r) => r.result.waivedFindings ?? 0 }];

// What a spreadsheet may read as the start of a formula once it trims the cell: csv-stringify's own list (=, +, -, @,
// tab, CR and their full-width forms) plus LF and NUL, also when whitespace or invisible characters come first.
// eslint-disable-next-line no-control-regex -- matching control characters is the point: they are neutralised or shown
const FORMULA_START = /^[\s\u0000-\u001F\u00A0\u180E\u200B-\u200F\u2028-\u202F\u205F-\u206F\u3000\uFEFF]*[=+\-@\uFF1D\uFF0B\uFF0D\uFF20]|^[\t\r\n\u0000]/;

/** Neutralise a cell a spreadsheet could evaluate (leading apostrophe, as OWASP advises) and show hidden characters. */
export function guardCell(value: string | number): string | number {
  if (typeof value === "number" || value === "") return value;
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return visible(text);
}

export interface CsvOptions {
  /** Prefix a UTF-8 byte order mark so Excel reads the file as UTF-8. */
  excel?: boolean;
}

/** Rows as guarded, fully quoted CSV with the given columns (every CSV file of cts-doctor goes through this). */
export function toCsv<Row>(columns: readonly Column<Row>[], rows: readonly Row[], options: CsvOptions): string {
  const records = rows.map((row) => columns.map((c) => guardCell(c.value(row))));
  // escape_formulas stays on as a second line of defence behind guardCell.
  return stringify(records, {
    header: true,
    columns: columns.map((c) => c.header),
    quoted: true,
    quoted_empty: true,
    escape_formulas: true,
    record_delimiter: "windows",
    bom: options.excel === true,
  });
}

const fixOf = (ruleId: string, rules: ReadonlyMap<string, RuleInfo>, report: Report) => {
  const info = rules.get(ruleId);
  return info ? fillPlaceholders(info.fix.summary, report) : "";
};

/** findings.csv: a row per affected object per finding of a failing rule; a finding without objects gets one row. */
export function renderFindingsCsv(report: Report, rules: ReadonlyMap<string, RuleInfo>, options: CsvOptions = {}): string {
  const rows: FindingRow[] = [];
  for (const result of report.results) {
    if (result.status !== "fail") continue;
    const fix = fixOf(result.ruleId, rules, report);
    for (const finding of result.findings) {
      if (finding.objects.length === 0) rows.push({ result, finding, object: undefined, fix });
      for (const object of finding.objects) rows.push({ result, finding, object, fix });
    }
  }
  return toCsv(report.waivers ? [...FINDING_COLUMNS, ...WAIVER_FINDING_COLUMNS] : FINDING_COLUMNS, rows, options);
}

/** results.csv: a row per rule, whatever its status. */
export function renderResultsCsv(report: Report, rules: ReadonlyMap<string, RuleInfo>, options: CsvOptions = {}): string {
  const rows = report.results.map((result) => ({ result, title: rules.get(result.ruleId)?.title ?? result.title, fix: fixOf(result.ruleId, rules, report) }));
  return toCsv(report.waivers ? [...RESULT_COLUMNS, ...WAIVER_RESULT_COLUMNS] : RESULT_COLUMNS, rows, options);
}
