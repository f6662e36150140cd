// CSV reports: columns as documented, hostile cells neutralised against formula injection, BOM only for Excel.
import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { FINDING_COLUMNS, RESULT_COLUMNS, guardCell, renderFindingsCsv, renderResultsCsv } from "../../src/report/csv.js";
import { FORMULA, IMG, SUM, fixtureReport, rules } from "./fixtures.js";

const report = fixtureReport();
const read = (csv: string): string[][] => parse(csv, { bom: true, relax_column_count: false });
// What a spreadsheet could evaluate: a trigger after optional whitespace/control characters, or a leading LF/NUL.
// eslint-disable-next-line no-control-regex -- control characters before a trigger are what a spreadsheet skips: matching them is the point
const DANGEROUS = /^[\s\u0000-\u001F\u200B-\u200F\uFEFF]*[=+\-@\uFF1D\uFF0B\uFF0D\uFF20]|^[\t\r\n\u0000]/;

describe("findings.csv", () => {
  const csv = renderFindingsCsv(report, rules);
  const [header, ...rows] = read(csv);

  it("has the documented columns and a row per affected object per finding", () => {
    expect(header).toEqual(["ruleId", "severity", "side", "objectId", "objectType", "displayName", "userPrincipalName", "errorCode", "message", "fix"]);
    expect(FINDING_COLUMNS.map((c) => c.header)).toEqual(header);
    // 5 objects in the first finding, one object-less finding, one single-object finding
    expect(rows).toHaveLength(7);
    expect(rows.filter((r) => r[0] === "target-inbound-sync-disabled").map((r) => r[3])).toEqual(["", "p1"]);
    expect(rows[0]?.[9]).toBe(rules.get("source-outbound-auto-redeem-disabled")?.fix.summary);
  });

  it("takes userPrincipalName from the affected object", () => {
    const u3 = rows.find((r) => r[3] === "u3");
    expect(u3?.[6]).toBe("'+1-555");
    expect(rows.find((r) => r[3] === "p1")?.[6]).toBe("");
  });

  it("neutralises every cell a spreadsheet could evaluate", () => {
    for (const row of rows) for (const cell of row) expect(cell, cell).not.toMatch(DANGEROUS);
    const cells = rows.flat();
    expect(cells).toContain(`'${FORMULA}`);
    expect(cells).toContain(`'${SUM}`);
    expect(cells).toContain("' \t=1+1");
    expect(cells).toContain("'\n=cmd|' /C calc'!A0");
    expect(cells).toContain(IMG); // not a formula: left as data, CSV is not HTML
  });

  it("shows bidi and zero-width characters as code points", () => {
    // eslint-disable-next-line no-misleading-character-class -- each character is looked for on its own; the ZWJ joins nothing here
    expect(csv).not.toMatch(/[\u202E\u200B\u200D\uFEFF]/);
    expect(csv).toContain("evil[U+202E]gnp.exe");
  });

  it("quotes every cell, including empty ones, and adds a BOM only with excel", () => {
    expect(csv.split("\r\n")[0]).toBe(header?.map((h) => `"${h}"`).join(","));
    expect(csv).not.toMatch(/,,/);
    expect(csv.charCodeAt(0)).not.toBe(0xfeff);
    expect(renderFindingsCsv(report, rules, { excel: true }).charCodeAt(0)).toBe(0xfeff);
  });
});

describe("results.csv", () => {
  const [header, ...rows] = read(renderResultsCsv(report, rules, { excel: true }));
  it("has a row per rule with status, counts and the permission to grant", () => {
    expect(header).toEqual(RESULT_COLUMNS.map((c) => c.header));
    expect(rows.map((r) => [r[0], r[5], r[8]])).toEqual([
      ["source-outbound-auto-redeem-disabled", "fail", "5"],
      ["target-inbound-sync-disabled", "fail", "1"],
      ["target-inbound-auto-redeem-disabled", "inconclusive", "0"],
    ]);
    expect(rows[2]?.[10]).toBe("Policy.Read.All");
    for (const row of rows) for (const cell of row) expect(cell).not.toMatch(DANGEROUS);
  });
});

describe("guardCell", () => {
  it.each(["=1", "+1", "-1", "@x", "\t=1", "\r=1", "\n=1", "\u0000x", "  =1", "\u00A0@x", "\u200B=1", "\uFF1D1", "\u3000+1"])("neutralises %j", (value) => {
    expect(String(guardCell(value)).startsWith("'")).toBe(true);
  });
  it.each(["plain", "a=1", "user@contoso.example", " x", ""])("leaves %j alone", (value) => {
    expect(guardCell(value)).toBe(value);
  });
  it("leaves numbers as numbers", () => {
    expect(guardCell(-3)).toBe(-3);
  });
});
