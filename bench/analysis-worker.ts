// Analysis bench worker: `pipeline` runs what `cts-doctor analyze` runs; `load` only loads the snapshot. Prints JSON.
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { analyzeSnapshot } from "../src/app/analyze.js";
import { loadPair } from "../src/model/pair.js";
import { boundHeapGrowth } from "../src/cli/heap.js";
import { benchArgs, oneOf } from "./args.js";

const USAGE = "analysis-worker.js pipeline|load SNAPSHOT_DIR";
const { positionals } = benchArgs("analysis-worker.js", USAGE, { positionals: { min: 2, max: 2 } });
boundHeapGrowth(); // as the CLI does: the peak RSS measured is the command's
const mode = oneOf("analysis-worker.js", USAGE, "mode", positionals[0], ["pipeline", "load"] as const);
const dir = positionals[1] ?? "";
const t0 = performance.now();
if (mode === "load") {
  const pair = await loadPair(dir);
  const ms = performance.now() - t0;
  process.stdout.write(JSON.stringify({ loadMs: ms, logEntries: pair.logs()?.entries ?? 0, maxRssBytes: process.resourceUsage().maxRSS * 1024 }) + "\n");
} else {
  const out = await mkdtemp(path.join(tmpdir(), "cts-bench-report-"));
  const { report, files } = await analyzeSnapshot(dir, out, ["json", "html"], "high");
  const ms = performance.now() - t0;
  const sizes = Object.fromEntries(await Promise.all(files.map(async (f) => [path.basename(f), (await stat(f)).size] as const)));
  await rm(out, { recursive: true, force: true });
  process.stdout.write(
    JSON.stringify({
      totalMs: ms,
      reportBytes: sizes,
      failing: report.results.filter((r) => r.status === "fail").map((r) => r.ruleId),
      maxRssBytes: process.resourceUsage().maxRSS * 1024,
    }) + "\n",
  );
}
