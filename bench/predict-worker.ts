// Predict bench worker: loads a generated snapshot, then times `files` (what `cts-doctor predict --out` runs: the stream
// written to predict.csv and predict.json in a temp folder) or `section` (report.json's section, as analyze builds it). Prints JSON.
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { loadPair, type Pair } from "../src/model/pair.js";
import { predictToFiles, writePredictFiles } from "../src/predict/files.js";
import { predictStream, withUsers } from "../src/predict/predict.js";
import { openRenderer } from "../src/predict/render-thread.js";
import { reportPrediction, sectionOf } from "../src/predict/section.js";
import type { UserPrediction } from "../src/predict/types.js";
import { boundHeapGrowth } from "../src/cli/heap.js";
import { benchArgs, oneOf } from "./args.js";

const USAGE = "predict-worker.js files|section SNAPSHOT_DIR";
const { positionals } = benchArgs("predict-worker.js", USAGE, { positionals: { min: 2, max: 2 } });
boundHeapGrowth(); // as the CLI does: the peak RSS measured is the command's
const mode = oneOf("predict-worker.js", USAGE, "mode", positionals[0], ["files", "section"] as const);
const pair = await loadPair(positionals[1] ?? "");
// The pair is memory every command keeps; what the prediction adds is measured against this.
const afterLoad = { rssBytes: process.memoryUsage().rss, maxRssBytes: process.resourceUsage().maxRSS * 1024 };

async function inTempDir<T>(run: (out: string) => Promise<T>): Promise<T> {
  const out = await mkdtemp(path.join(tmpdir(), "cts-bench-predict-"));
  try {
    return await run(out);
  } finally {
    await rm(out, { recursive: true, force: true });
  }
}

async function timed(): Promise<{ counts: Record<string, number>; outputBytes: Record<string, number> }> {
  if (mode === "section") {
    const s = reportPrediction(pair);
    if ("unavailable" in s) throw new Error(s.unavailable);
    return { counts: s.counts, outputBytes: { "report.json predict section": JSON.stringify(s).length } };
  }
  return inTempDir(async (out) => {
    const { counts } = await predictToFiles(pair, out);
    const sizes = await Promise.all(["predict.csv", "predict.json"].map(async (f) => [f, (await stat(path.join(out, f))).size] as const));
    return { counts, outputBytes: Object.fromEntries(sizes) };
  });
}

const t0 = performance.now();
const cpu0 = process.cpuUsage();
const result = await timed();
const ms = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);
const maxRssBytes = process.resourceUsage().maxRSS * 1024;
const liveHeap = await liveHeapWhilePredicting(pair);
process.stdout.write(
  JSON.stringify({
    mode,
    predictMs: ms,
    cpuMs: (cpu.user + cpu.system) / 1000,
    users: Object.values(result.counts).reduce((a, b) => a + b, 0),
    ...result,
    afterLoad,
    maxRssBytes,
    liveHeap,
  }) + "\n",
);

/**
 * Peak RSS mostly shows when V8 gets round to a full collection. A second, untimed pass forces one every 10,000 users
 * and records the heap still in use, less the heap after loading: what the prediction holds, flat if it is bounded.
 */
async function liveHeapWhilePredicting(p: Pair): Promise<{ baseBytes: number; heldBytes: number[] }> {
  setFlagsFromString("--expose-gc");
  const gc = runInNewContext("gc") as () => void;
  const used = () => (gc(), process.memoryUsage().heapUsed);
  const baseBytes = used();
  const heldBytes: number[] = [];
  function* sampled(users: Iterable<UserPrediction>): Generator<UserPrediction> {
    let n = 0;
    for (const u of users) {
      if (++n % 10_000 === 0) heldBytes.push(used() - baseBytes);
      yield u;
    }
  }
  const stream = predictStream(p);
  if (mode === "section") sectionOf(sampled(stream.users()), (c) => stream.summary(c));
  else {
    const renderer = openRenderer({});
    await inTempDir((out) => writePredictFiles(out, sampled(stream.users()), (c) => withUsers(stream.summary(c), []), renderer)).finally(() =>
      renderer.close(),
    );
  }
  return { baseBytes, heldBytes };
}
