// Shared bench helpers: the cached generated pair, a child-process runner that reports peak RSS, the table and JSON output.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { packageRoot } from "../src/version.js";
import { generatePair, type PairSize } from "./generate.js";

/** Where generated pairs are kept between runs (generation of 1M log entries takes ~40 s); override with CTS_BENCH_DIR. */
export const CACHE = process.env["CTS_BENCH_DIR"] ?? path.join(tmpdir(), "cts-doctor-bench");

/** The pair of `size`, generated once per size and seed. */
export function cachedPair(size: Partial<PairSize> & { users: number; logEntries: number }): string {
  const dir = path.join(CACHE, `pair-${size.users}u-${size.logEntries}l-${size.groups ?? "d"}g-${size.seed ?? "d"}s`);
  if (!existsSync(path.join(dir, "manifest.json"))) {
    process.stderr.write(`generating ${dir} …\n`);
    generatePair(dir, size);
  }
  return dir;
}

/** Run `script` (a bench worker in dist/bench) in its own process; it prints one JSON line; maxRSS is its own. */
export function runWorker(script: string, args: string[]): unknown {
  const r = spawnSync(process.execPath, [path.join(packageRoot, "dist", "bench", script), ...args], {
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
    stdio: ["ignore", "pipe", "inherit"],
  });
  if (r.status !== 0) throw new Error(`${script} exited with ${r.status}`);
  const last = r.stdout.trim().split("\n").pop() ?? "";
  return JSON.parse(last);
}

export type Row = [measure: string, value: string, target: string, ok?: boolean];

export function printTable(title: string, rows: Row[]): void {
  const head = ["measure", "value", "target", ""];
  const cells = rows.map((r) => [r[0], r[1], r[2], r[3] === undefined ? "" : r[3] ? "ok" : "MISSED"]);
  const w = head.map((h, c) => Math.max(h.length, ...cells.map((r) => (r[c] ?? "").length)));
  const line = (r: string[]) =>
    r
      .map((cell, c) => cell.padEnd(w[c] ?? 0))
      .join("  ")
      .trimEnd();
  console.log(title);
  console.log(line(head));
  for (const r of cells) console.log(line(r));
}

export async function writeResult(name: string, result: Record<string, unknown>): Promise<string> {
  const out = path.join(packageRoot, "bench", "results");
  await mkdir(out, { recursive: true });
  const file = path.join(out, `${name}-${String(result["date"]).replace(/[:.]/g, "-")}.json`);
  await writeFile(file, JSON.stringify(result, null, 2) + "\n");
  return file;
}

export const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
export const fmt = (n: number) => Math.round(n).toLocaleString("en-US");
