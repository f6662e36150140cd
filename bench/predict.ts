// Predict bench: `cts-doctor predict` on a 100,000-user pair (own process): at least 20,000 users per second (issue 17).
import { cachedPair, fmt, mb, printTable, runWorker, writeResult } from "./common.js";
import { benchArgs } from "./args.js";

benchArgs("predict.js", "predict.js (no arguments)", { positionals: { min: 0, max: 0 } });

const SIZE = { users: 100_000, logEntries: 1_000_000 };
const TARGET = { usersPerSecond: 20_000, rssBytes: 500 * 1024 * 1024 };

interface Run {
  predictMs: number;
  /** CPU time of the prediction: on a machine shared with other work it tells the engine's speed apart from waiting. */
  cpuMs: number;
  users: number;
  counts: Record<string, number>;
  maxRssBytes: number;
}

const dir = cachedPair(SIZE);
const run = runWorker("predict-worker.js", [dir]) as Run;
const perSecond = run.users / (run.predictMs / 1000);
const ok = { speed: perSecond >= TARGET.usersPerSecond, rss: run.maxRssBytes <= TARGET.rssBytes };
printTable(`predict bench: ${fmt(SIZE.users)} users (${dir})`, [
  ["predict (after loading the snapshot)", `${(run.predictMs / 1000).toFixed(2)} s for ${fmt(run.users)} users`, "", undefined],
  ["users per second", fmt(perSecond), `≥ ${fmt(TARGET.usersPerSecond)}`, ok.speed],
  ["users per CPU second", fmt(run.users / (run.cpuMs / 1000)), "", undefined],
  ["peak RSS, load + predict", mb(run.maxRssBytes), `≤ ${mb(TARGET.rssBytes)}`, ok.rss],
  [
    "actions",
    Object.entries(run.counts)
      .map(([a, n]) => `${a} ${fmt(n)}`)
      .join(", "),
    "",
  ],
]);
const file = await writeResult("predict", {
  date: new Date().toISOString(),
  node: process.version,
  size: SIZE,
  run,
  perSecond,
  target: TARGET,
  withinTarget: ok.speed && ok.rss,
});
console.log(`written ${file}`);
if (!ok.speed || !ok.rss) process.exitCode = 1;
