// `npm run bench`: runs every benchmark in its own process (so peak memory is per benchmark) and fails if one misses its target.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { benchArgs } from "./args.js";

benchArgs("run.js", "run.js (every benchmark; no arguments)", { positionals: { min: 0, max: 0 } });

const here = path.dirname(fileURLToPath(import.meta.url));
const BENCHES = ["report.js", "analysis.js", "collection.js", "collection-large.js", "predict.js"];

let failed = 0;
for (const bench of BENCHES) {
  process.stdout.write(`\n== ${bench.replace(/\.js$/, "")}\n`);
  const r = spawnSync(process.execPath, [path.join(here, bench)], { stdio: "inherit" });
  if (r.status !== 0) failed++;
}
process.exitCode = failed ? 1 : 0;
