// Analysis bench: `cts-doctor analyze` on a 100,000-user pair with 1,000,000 provisioning-log entries (own process per run).
import { cachedPair, fmt, mb, printTable, runWorker, writeResult } from "./common.js";
import { benchArgs } from "./args.js";

benchArgs("analysis.js", "analysis.js (no arguments)", { positionals: { min: 0, max: 0 } });

const SIZE = { users: 100_000, logEntries: 1_000_000 };
const TARGET = { seconds: 20, rssBytes: 500 * 1024 * 1024 };
/** Peak RSS moves with garbage-collection timing by a few tens of MB: the median of RUNS is compared with the target. */
const RUNS = 3;

interface Load {
  loadMs: number;
  logEntries: number;
  maxRssBytes: number;
}
interface Pipeline {
  totalMs: number;
  reportBytes: Record<string, number>;
  failing: string[];
  maxRssBytes: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

const dir = cachedPair(SIZE);
const load = runWorker("analysis-worker.js", ["load", dir]) as Load;
const runs = Array.from({ length: RUNS }, () => runWorker("analysis-worker.js", ["pipeline", dir]) as Pipeline);
const totalMs = median(runs.map((r) => r.totalMs));
const rss = median(runs.map((r) => r.maxRssBytes));
const perSecond = load.logEntries / (totalMs / 1000);
const ok = { time: totalMs <= TARGET.seconds * 1000, rss: rss <= TARGET.rssBytes };
const last = runs.at(-1);
if (!last) throw new Error("no analysis run");
printTable(`analysis bench: ${fmt(SIZE.users)} users, ${fmt(load.logEntries)} log entries, median of ${RUNS} runs (${dir})`, [
  ["load snapshot (logs streamed into the summary)", `${(load.loadMs / 1000).toFixed(1)} s`, "", undefined],
  ["peak RSS, load only", mb(load.maxRssBytes), "", undefined],
  [
    "analyze: load + every rule + report.json/html",
    `${(totalMs / 1000).toFixed(1)} s (max ${(Math.max(...runs.map((r) => r.totalMs)) / 1000).toFixed(1)} s)`,
    `≤ ${TARGET.seconds} s`,
    ok.time,
  ],
  ["log entries per second (whole analyze)", fmt(perSecond), ""],
  ["peak RSS, whole analyze", `${mb(rss)} (max ${mb(Math.max(...runs.map((r) => r.maxRssBytes)))})`, `≤ ${mb(TARGET.rssBytes)}`, ok.rss],
  [
    "report sizes",
    Object.entries(last.reportBytes)
      .map(([f, b]) => `${f} ${(b / 1024).toFixed(0)} KB`)
      .join(", "),
    "",
  ],
]);
console.log(`failing rules: ${last.failing.join(", ")}`);
const file = await writeResult("analysis", {
  date: new Date().toISOString(),
  node: process.version,
  size: SIZE,
  load,
  runs,
  totalMs,
  maxRssBytes: rss,
  perSecond,
  target: TARGET,
  withinTarget: ok.time && ok.rss,
});
console.log(`written ${file}`);
if (!ok.time || !ok.rss) process.exitCode = 1;
