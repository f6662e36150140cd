// writeReports: every format lands under its documented file name; --format parsing rejects unknown names.
import { mkdtemp, readFile, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { REPORT_FORMATS, parseFormats, reportFiles, writeReports } from "../../src/report/write.js";
import { fixtureReport, rules } from "./fixtures.js";

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe("writeReports", () => {
  it("writes all seven files for all six formats", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "cts-report-"));
    dirs.push(dir);
    const written = await writeReports(fixtureReport(), rules, dir, REPORT_FORMATS, { excel: true });
    const names = ["report.json", "report.html", "findings.csv", "results.csv", "report.md", "report.sarif", "report.junit.xml"];
    expect(written.map((f) => path.basename(f))).toEqual(names);
    expect((await readdir(dir)).sort()).toEqual([...names].sort());
    expect((await readFile(path.join(dir, "findings.csv"))).subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(reportFiles("csv")).toEqual(["findings.csv", "results.csv"]);
  });

  it("writes CSV without a BOM unless asked", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "cts-report-"));
    dirs.push(dir);
    await writeReports(fixtureReport(), rules, dir, ["csv"]);
    expect((await readFile(path.join(dir, "results.csv"), "utf8")).startsWith('"ruleId"')).toBe(true);
  });
});

describe("parseFormats", () => {
  it("defaults to json,html and accepts any combination, once each", () => {
    expect(parseFormats(undefined)).toEqual(["json", "html"]);
    expect(parseFormats("SARIF, junit,csv,md,csv")).toEqual(["sarif", "junit", "csv", "md"]);
  });
  it("rejects unknown or empty lists", () => {
    expect(() => parseFormats("json,pdf")).toThrow(/unknown format pdf/);
    expect(() => parseFormats(" , ")).toThrow(/at least one/);
  });
});
