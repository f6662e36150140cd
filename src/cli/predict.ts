// `predict`: the next synchronization cycle, predicted offline per user from a snapshot (or a fresh collection).
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { CommandModule } from "yargs";
import { CtsError } from "../errors.js";
import { loadPair } from "../model/pair.js";
import { renderPredictCsv } from "../predict/csv.js";
import { predictPair } from "../predict/predict.js";
import type { Prediction } from "../predict/types.js";
import { writeFileAtomic } from "../snapshot/store.js";
import { collectWithProgress } from "./collect.js";
import { configFromArgs, type ConfigArgs, type GlobalArgs } from "./options.js";
import { info } from "./output.js";

type Args = GlobalArgs & Partial<ConfigArgs> & { snapshot?: string; out: string; now?: string; excel: boolean };

function nowFrom(text: string | undefined): Date | undefined {
  if (text === undefined) return undefined;
  const ms = /^\d{4}-\d{2}-\d{2}/.test(text) ? Date.parse(text) : NaN;
  if (Number.isNaN(ms)) throw new CtsError("USAGE", `--now must be an ISO date-time such as 2026-01-05T09:30:00Z, not "${text}"`);
  return new Date(ms);
}

/** Predict from SNAPSHOT_DIR, or collect into a private temporary folder first (--config), and write predict.csv/json. */
export async function runPredict(args: Args): Promise<Prediction> {
  if (Boolean(args.snapshot) === Boolean(args.config)) throw new CtsError("USAGE", "predict needs either --config FILE or a SNAPSHOT_DIR (not both)");
  const now = nowFrom(args.now);
  let dir = args.snapshot!;
  let temp: string | undefined;
  try {
    if (args.config) {
      const config = await configFromArgs(args as ConfigArgs);
      temp = dir = await mkdtemp(path.join(tmpdir(), "cts-predict-"));
      const collected = await collectWithProgress(config, dir, { since: args.since ?? config.collection?.since, connectionTest: false, concurrency: args.concurrency }, args);
      if (collected.unreachable.length) throw new CtsError("NETWORK", `cannot predict: ${collected.unreachable.map((u) => `${u.side} tenant not reachable (${u.code})`).join("; ")}`);
    }
    const prediction = predictPair(await loadPair(dir), now);
    await mkdir(args.out, { recursive: true });
    await writeFileAtomic(path.join(args.out, "predict.json"), JSON.stringify(prediction, null, 2) + "\n");
    await writeFileAtomic(path.join(args.out, "predict.csv"), renderPredictCsv(prediction, { excel: args.excel }));
    const c = prediction.counts;
    info(args, `next cycle: ${c.create} create, ${c.update} update, ${c["no-change"]} no change, ${c.skip} skip, ${c.deprovision} deprovision, ${c.inconclusive} inconclusive`);
    return prediction;
  } finally {
    if (temp) await rm(temp, { recursive: true, force: true });
  }
}

export const predictCommand: CommandModule<GlobalArgs, Args> = {
  command: "predict [snapshot]",
  describe: "Predict the next cycle per user (create, update with old → new, no change, skip, deprovision) from the schema's mappings, read-only",
  builder: (y) =>
    y
      .positional("snapshot", { type: "string", describe: "snapshot folder (instead of --config)" })
      .option("config", { type: "string", describe: "tenant-pair config: collect now (read-only), then predict" })
      .option("out", { type: "string", demandOption: true, describe: "folder for predict.json and predict.csv" })
      .option("now", { type: "string", describe: "the time Now() returns in expressions (ISO; default: the snapshot's date)" })
      .option("excel", { type: "boolean", default: false, describe: "CSV with a UTF-8 byte order mark, for Excel" })
      .option("since", { type: "string", describe: "provisioning-log window when collecting (default 7d)" })
      .option("concurrency", { type: "number", describe: "parallel Graph requests per tenant when collecting" }) as never,
  handler: async (args) => {
    await runPredict(args);
    process.stdout.write(`${path.join(args.out, "predict.json")}\n${path.join(args.out, "predict.csv")}\n`);
  },
};
