// Report bench: size of a report.html with 20,000 affected objects and its DOMContentLoaded time in headless Chromium.
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { ruleList } from "../rules/index.js";
import type { AffectedObject, RuleResult } from "../src/engine/types.js";
import { renderHtml } from "../src/report/html.js";
import { buildReport, type RuleInfo } from "../src/report/model.js";
import type { Manifest } from "../src/snapshot/manifest.js";
import { packageRoot } from "../src/version.js";
import { launchChromium } from "./chromium.js";
import { benchArgs } from "./args.js";

benchArgs("report.js", "report.js (no arguments)", { positionals: { min: 0, max: 0 } });

const OBJECTS = 20_000;
const RUNS = 5;
const BUDGET = { bytes: 15 * 1024 * 1024, domContentLoadedMs: 2_000 };

const manifest: Manifest = {
  schemaVersion: 1,
  tool: { name: "cts-doctor", version: "bench" },
  createdAt: "2025-01-02T03:04:05.000Z",
  source: { tenantId: "11111111-1111-1111-1111-111111111111", cloud: "global" },
  target: { tenantId: "22222222-2222-2222-2222-222222222222", cloud: "global" },
  window: { since: "2024-12-03T00:00:00.000Z", until: "2025-01-02T00:00:00.000Z" },
  facets: {},
};

/** Realistic-length names (and a few hostile ones) split over several findings, like a large provisioning-error rule. */
function objects(n: number): AffectedObject[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `${String(i).padStart(8, "0")}-5a6b-4c7d-8e9f-0a1b2c3d4e5f`,
    type: "user",
    displayName: i % 500 === 0 ? `<img src=x onerror=alert(${i})>` : `Employee ${i} (Contoso Sales, Redmond)`,
    userPrincipalName: `employee.${i}@contoso.onmicrosoft.com`,
  }));
}

function results(): RuleResult[] {
  const rule = ruleList[0];
  if (!rule) throw new Error("no rules registered");
  const all = objects(OBJECTS);
  const findings = [0.5, 0.3, 0.2].map((share, i, shares) => {
    const start = Math.round(shares.slice(0, i).reduce((a, b) => a + b, 0) * OBJECTS);
    return {
      message: `Finding ${i + 1}`,
      side: rule.side === "both" ? "source" : rule.side,
      errorCode: `Code${i}`,
      objects: all.slice(start, start + Math.round(share * OBJECTS)),
      evidence: {},
    } as const;
  });
  return ruleList.map((r, i) => ({
    ruleId: r.id,
    title: r.title,
    severity: r.severity,
    side: r.side,
    area: r.area,
    status: i === 0 ? "fail" : "pass",
    reason: i === 0 ? `${findings.length} findings.` : "OK.",
    findings: i === 0 ? findings.map((f) => ({ ...f, objects: [...f.objects] })) : [],
  }));
}

function provisioning() {
  const byDay = Array.from({ length: 31 }, (_, i) => ({
    day: new Date(Date.UTC(2024, 11, 3 + i)).toISOString().slice(0, 10),
    success: 600 + ((i * 37) % 200),
    skipped: 40 + (i % 7) * 5,
    failure: i % 9 === 0 ? 300 : 20,
    warning: 0,
  }));
  const sum = (k: "success" | "skipped" | "failure") => byDay.reduce((n, d) => n + d[k], 0);
  return {
    basis: "logs" as const,
    window: manifest.window,
    byDay,
    totals: { success: sum("success"), skipped: sum("skipped"), failure: sum("failure"), warning: 0 },
  };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
};

interface Timings {
  dcl: number[];
  load: number[];
  searchMs: number[];
}

/** Open the report RUNS times in Chromium: navigation timings, and the time a search of the big table takes. */
async function measure(url: string): Promise<Timings> {
  const timings: Timings = { dcl: [], load: [], searchMs: [] };
  const browser = await launchChromium();
  try {
    for (let i = 0; i < RUNS; i++) {
      const page = await browser.context.newPage();
      await page.goto(url, { waitUntil: "load" });
      const nav = await page.evaluate(() => {
        // Runs in the page; typed by hand because this project compiles without the DOM library.
        type Timing = { domContentLoadedEventEnd: number; loadEventEnd: number };
        const entry = (performance as unknown as { getEntriesByType(type: string): Timing[] }).getEntriesByType("navigation")[0];
        return { dcl: entry?.domContentLoadedEventEnd ?? NaN, load: entry?.loadEventEnd ?? NaN };
      });
      timings.dcl.push(nav.dcl);
      timings.load.push(nav.load);
      // Search the 10,000-row table: time from typing to the filtered page being shown (includes the 150 ms debounce).
      const table = page.locator(".objects").first();
      const started = Date.now();
      await table.locator(".objects-search").fill("employee.9999@");
      await table.locator(".page-info").filter({ hasText: "Rows 1–1 of 1" }).waitFor();
      timings.searchMs.push(Date.now() - started);
      await page.close();
    }
  } finally {
    await browser.close();
  }
  return timings;
}

async function main(): Promise<void> {
  const rules = new Map<string, RuleInfo>(ruleList.map((r) => [r.id, r]));
  const t0 = performance.now();
  const html = renderHtml(buildReport(manifest, results(), new Date(), provisioning()), rules);
  const renderMs = performance.now() - t0;
  const bytes = Buffer.byteLength(html, "utf8");

  const dir = await mkdtemp(path.join(tmpdir(), "cts-bench-"));
  const file = path.join(dir, "report.html");
  await writeFile(file, html);
  const { dcl, load, searchMs } = await measure(pathToFileURL(file).href).finally(() => rm(dir, { recursive: true, force: true }));

  const result = {
    date: new Date().toISOString(),
    node: process.version,
    objects: OBJECTS,
    runs: RUNS,
    bytes,
    renderMs: Math.round(renderMs),
    domContentLoadedMs: { median: Math.round(median(dcl)), max: Math.round(Math.max(...dcl)), all: dcl.map(Math.round) },
    loadMs: { median: Math.round(median(load)) },
    searchMs: { median: median(searchMs) },
    budget: BUDGET,
    withinBudget: bytes < BUDGET.bytes && Math.max(...dcl) < BUDGET.domContentLoadedMs,
  };
  printResult(result);
  const out = path.join(packageRoot, "bench", "results");
  await mkdir(out, { recursive: true });
  await writeFile(path.join(out, `report-${result.date.replace(/[:.]/g, "-")}.json`), JSON.stringify(result, null, 2) + "\n");
  if (!result.withinBudget) process.exitCode = 1;
}

interface ReportBenchResult {
  bytes: number;
  renderMs: number;
  domContentLoadedMs: { median: number; max: number };
  loadMs: { median: number };
  searchMs: { median: number };
  withinBudget: boolean;
}

function printResult(result: ReportBenchResult): void {
  const rows: [string, string, string][] = [
    ["report.html size", `${(result.bytes / 1024 / 1024).toFixed(2)} MB`, `< ${BUDGET.bytes / 1024 / 1024} MB`],
    ["render in Node", `${result.renderMs} ms`, ""],
    [`DOMContentLoaded (median of ${RUNS})`, `${result.domContentLoadedMs.median} ms`, `< ${BUDGET.domContentLoadedMs} ms`],
    ["DOMContentLoaded (worst)", `${result.domContentLoadedMs.max} ms`, `< ${BUDGET.domContentLoadedMs} ms`],
    ["load (median)", `${result.loadMs.median} ms`, ""],
    ["search 10,000 rows (median, incl. 150 ms debounce)", `${result.searchMs.median} ms`, ""],
  ];
  const w = [0, 1, 2].map((c) => Math.max(...rows.map((r) => r[c]?.length ?? 0), ["measure", "value", "budget"][c]?.length ?? 0));
  const line = (r: string[]) => r.map((cell, c) => cell.padEnd(w[c] ?? 0)).join("  ");
  console.log(`report bench: ${OBJECTS.toLocaleString("en-US")} affected objects`);
  console.log(line(["measure", "value", "budget"]));
  for (const r of rows) console.log(line(r));
  console.log(result.withinBudget ? "within budget" : "OVER BUDGET");
}

await main();
