// Large collection bench: `diagnose` on 100,000 users (90,000 already in the target) and 20,000 log entries, served
// with realistic limits and 10 ms latency: wall time, requests and peak RSS, and the throttle floor of the plan it ran.
import { spawn } from "node:child_process";
import path from "node:path";
import { startEmulator, type Emulator } from "../src/emulator/index.js";
import { directoryBudget, endpointClass, resourceUnits } from "../src/emulator/limits.js";
import type { FacetEntry } from "../src/snapshot/manifest.js";
import { packageRoot } from "../src/version.js";
import { benchArgs } from "./args.js";
import { cachedPair, fmt, mb, printTable, writeResult } from "./common.js";

benchArgs("collection-large.js", "collection-large.js (no arguments)", { positionals: { min: 0, max: 0 } });

const SIZE = { users: 100_000, logEntries: 20_000, seed: 42 };
const LATENCY_MS = 10;
const TARGET = { wallMs: 60_000, requests: 400, rssBytes: 300 * 1024 * 1024, floorRatio: 1.2 };
/** Graph's documented windows (src/emulator/limits.ts): reports 5 per 10 s, directory reads an RU budget per 10 s. */
const WINDOW_MS = 10_000;
const REPORTS_PER_WINDOW = 5;

interface DiagnoseRun {
  wallMs: number;
  collectMs: number;
  requests: number;
  throttledRetries: number;
  notOk: string[];
  logEntries: number;
  phoneSelection: FacetEntry["selection"] | null;
  maxRssBytes: number;
  /** The peak when the collection ended, before the analysis. */
  collectMaxRssBytes: number;
}

function runWorker(args: string[]): Promise<DiagnoseRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(packageRoot, "dist", "bench", "collection-worker.js"), ...args], { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (c: Buffer) => (out += c.toString("utf8")));
    child.on("error", reject);
    child.on("close", (code) => {
      if (code !== 0) reject(new Error(`collection-worker exited with ${code}`));
      else resolve(JSON.parse(out.trim().split("\n").pop() ?? "") as DiagnoseRun);
    });
  });
}

/**
 * The shortest time the requests this run made can take under the limits: per tenant, the directory resource units
 * beyond one full budget at the budget's rate, and the report pages beyond the first window at 5 per 10 s. The
 * slowest budget is the floor (they are independent, so they can overlap).
 */
function throttleFloorMs(em: Emulator): { floorMs: number; by: Record<string, number> } {
  const units = new Map<string, number>();
  for (const j of em.journal) {
    if (j.status === 429) continue; // refused requests are sent again; the floor counts the plan, not the retries
    const url = new URL(j.path, "http://x");
    const segments = decodeURIComponent(url.pathname).split("/").filter(Boolean);
    if (/^[0-9a-f-]{36}$/i.test(segments[0] ?? "")) segments.shift();
    if (segments[0] === "v1.0" || segments[0] === "beta") segments.shift();
    const target = { segments, query: url.searchParams };
    const kind = endpointClass(target);
    if (kind === "other") continue;
    const side = j.tenantId?.toLowerCase() === em.state.tenantId("source").toLowerCase() ? "source" : "target";
    const key = `${side}.${kind}`;
    units.set(key, (units.get(key) ?? 0) + (kind === "reports" ? 1 : resourceUnits(j.method, target)));
  }
  const by: Record<string, number> = {};
  for (const [key, n] of units) {
    const side = key.split(".")[0] as "source" | "target";
    if (key.endsWith(".reports")) by[key] = Math.max(0, Math.ceil(n / REPORTS_PER_WINDOW) - 1) * WINDOW_MS;
    else {
      const budget = directoryBudget(em.state.has(`${side}.users`) ? (em.state.data[`${side}.users`]?.length ?? 0) : 0);
      by[key] = Math.max(0, ((n - budget) / budget) * WINDOW_MS);
    }
  }
  return { floorMs: Math.max(0, ...Object.values(by)), by };
}

/** What the requests were, by kind (a $batch is one request; its items are not counted), and when: seconds from the first. */
function requestKinds(em: Emulator): Record<string, { count: number; from: number; to: number }> {
  const kinds: Record<string, { count: number; from: number; to: number }> = {};
  const start = em.journal[0]?.at ?? 0;
  for (const j of em.journal.filter((x) => !x.inBatch)) {
    const p = decodeURIComponent(j.path);
    const side = j.tenantId?.toLowerCase() === em.state.tenantId("source").toLowerCase() ? "source" : "target";
    let kind = "other";
    if (p.includes("/auditLogs/provisioning"))
      kind = !p.includes("status eq 'success'") ? "log pages" : p.includes("sourceIdentity/id") ? "outcome groups" : "outcome window pages";
    else if (p.includes("/$batch")) kind = "$batch";
    else if (/\/groups\/[^/]+\/members/.test(p)) kind = "group members pages";
    else if (/\/users(\?|$)/.test(p)) kind = "users pages";
    const key = `${side} ${kind}`;
    const at = (j.at - start) / 1000;
    const k = (kinds[key] ??= { count: 0, from: at, to: at });
    k.count++;
    k.to = at;
  }
  return kinds;
}

const dir = cachedPair(SIZE);
const em = await startEmulator({ snapshotDir: dir, realisticLimits: true, latencyMs: LATENCY_MS });
const run = await runWorker(["diagnose", em.url, dir]);
const httpRequests = em.journal.filter((j) => !j.inBatch).length;
const throttled429 = em.journal.filter((j) => j.status === 429).length;
const { floorMs, by } = throttleFloorMs(em);
const kinds = requestKinds(em);
await em.close();

const ratio = floorMs > 0 ? run.collectMs / floorMs : Number.POSITIVE_INFINITY;
const ok = {
  wall: run.wallMs <= TARGET.wallMs,
  requests: httpRequests <= TARGET.requests,
  rss: run.maxRssBytes <= TARGET.rssBytes,
  floor: ratio <= TARGET.floorRatio,
  complete: run.notOk.length === 0,
};
const sel = run.phoneSelection;
printTable(
  `large collection bench: ${fmt(SIZE.users)} users (90% in the target), ${fmt(SIZE.logEntries)} log entries, ${LATENCY_MS} ms latency, realistic limits (${dir})`,
  [
    ["diagnose: collect", `${(run.collectMs / 1000).toFixed(1)} s`, ""],
    ["diagnose: collect + analyze + report.json/html", `${(run.wallMs / 1000).toFixed(1)} s`, `≤ ${TARGET.wallMs / 1000} s`, ok.wall],
    ["HTTP requests (a $batch is one)", fmt(httpRequests), `≤ ${TARGET.requests}`, ok.requests],
    [
      "requests by kind",
      Object.entries(kinds)
        .sort((a, b) => b[1].count - a[1].count)
        .map(([k, v]) => `${k} ${fmt(v.count)} (${v.from.toFixed(0)}–${v.to.toFixed(0)} s)`)
        .join(", "),
      "",
    ],
    ["429 answers", fmt(throttled429), ""],
    ["peak RSS", mb(run.maxRssBytes), `≤ ${mb(TARGET.rssBytes)}`, ok.rss],
    ["  peak RSS when the collection ended", mb(run.collectMaxRssBytes), ""],
    [
      "phone-method reads (selection)",
      sel
        ? `${fmt(sel.read)} read, ${fmt(sel.notRead)} not; ${Object.entries(sel.reasons)
            .map(([k, v]) => `${k} ${fmt(v)}`)
            .join(", ")}`
        : "none",
      "",
    ],
    [
      "throttle floor of this plan",
      `${(floorMs / 1000).toFixed(1)} s (${Object.entries(by)
        .map(([k, v]) => `${k} ${(v / 1000).toFixed(1)} s`)
        .join(", ")})`,
      "",
    ],
    ["collect / throttle floor", Number.isFinite(ratio) ? `${ratio.toFixed(2)}×` : "floor 0", `≤ ${TARGET.floorRatio}×`, ok.floor],
    ["facets not ok", run.notOk.length ? run.notOk.join("; ") : "none", "none", ok.complete],
  ],
);
const file = await writeResult("collection-large", {
  date: new Date().toISOString(),
  node: process.version,
  size: SIZE,
  latencyMs: LATENCY_MS,
  realisticLimits: true,
  httpRequests,
  requestKinds: kinds,
  throttled429,
  floorMs,
  floorBy: by,
  ratio,
  run,
  target: TARGET,
  withinTarget: Object.values(ok).every(Boolean),
});
console.log(`written ${file}`);
if (!Object.values(ok).every(Boolean)) process.exitCode = 1;
