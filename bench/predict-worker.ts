// Predict bench worker: loads a generated snapshot, then times predictPair alone. Prints JSON.
import { loadPair } from "../src/model/pair.js";
import { predictPair } from "../src/predict/predict.js";
import { benchArgs } from "./args.js";

const dir = benchArgs("predict-worker.js", "predict-worker.js SNAPSHOT_DIR", { positionals: { min: 1, max: 1 } }).positionals[0] ?? "";
const pair = await loadPair(dir);
const t0 = performance.now();
const cpu0 = process.cpuUsage();
const prediction = predictPair(pair);
const ms = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);
const users = prediction.users.length;
process.stdout.write(
  JSON.stringify({
    predictMs: ms,
    cpuMs: (cpu.user + cpu.system) / 1000,
    users,
    counts: prediction.counts,
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
  }) + "\n",
);
