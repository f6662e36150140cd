// `predict`: the next synchronization cycle, predicted offline per user from a snapshot (or a fresh collection).
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { CommandModule } from "yargs";
import { CtsError } from "../errors.js";
import { openSnapshot } from "../app/snapshot.js";
import { predictToFiles, type PredictFilesResult } from "../predict/files.js";
import type { WhatIf } from "../predict/what-if.js";
import type { SynchronizationSchema } from "../snapshot/graph-types.js";
import { collectWithProgress } from "./collect.js";
import { configFromArgs, type ConfigArgs, type GlobalArgs } from "./options.js";
import { info } from "./output.js";

type Args = GlobalArgs & Partial<ConfigArgs> & { snapshot?: string; out: string; now?: string; excel: boolean; schema?: string };

/** An edited copy of the schema (GET …/jobs/{id}/schema, as the snapshot's syncSchemas holds it). */
async function readSchema(file: string): Promise<SynchronizationSchema> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, "utf8"));
  } catch (err) {
    const why = (err as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : "not valid JSON";
    throw new CtsError("USAGE", `--schema ${file}: ${why}`);
  }
  if (!raw || typeof raw !== "object" || !Array.isArray((raw as SynchronizationSchema).synchronizationRules)) {
    throw new CtsError("USAGE", `--schema ${file}: not a synchronization schema (no synchronizationRules array)`);
  }
  return raw;
}

/** The what-if as lines: users that change action, then attributes that change value. */
export function whatIfLines(w: WhatIf): string[] {
  const show = (v: unknown) => JSON.stringify(v ?? null);
  return [
    `what-if: ${w.actions.length} user(s) change action, ${w.values.length} attribute value(s) change`,
    ...w.actions.map((a) => `  ${a.displayName}: ${a.current} → ${a.edited}`),
    ...w.values.map((v) => `  ${v.displayName}.${v.attribute}: ${show(v.current)} → ${show(v.edited)}`),
  ];
}

function nowFrom(text: string | undefined): Date | undefined {
  if (text === undefined) return undefined;
  const ms = /^\d{4}-\d{2}-\d{2}/.test(text) ? Date.parse(text) : NaN;
  if (Number.isNaN(ms)) throw new CtsError("USAGE", `--now must be an ISO date-time such as 2026-01-05T09:30:00Z, not "${text}"`);
  return new Date(ms);
}

/** Predict from SNAPSHOT_DIR, or collect into a private temporary folder first (--config), and write predict.csv/json. */
export async function runPredict(args: Args): Promise<PredictFilesResult> {
  if (Boolean(args.snapshot) === Boolean(args.config)) throw new CtsError("USAGE", "predict needs either --config FILE or a SNAPSHOT_DIR (not both)");
  const now = nowFrom(args.now);
  const edited = args.schema ? await readSchema(args.schema) : undefined;
  let dir = args.snapshot ?? "";
  let temp: string | undefined;
  try {
    if (args.config) {
      const config = await configFromArgs(args as ConfigArgs);
      temp = dir = await mkdtemp(path.join(tmpdir(), "cts-predict-"));
      const collected = await collectWithProgress(
        config,
        dir,
        { since: args.since ?? config.collection?.since, connectionTest: false, concurrency: args.concurrency },
        args,
      );
      if (collected.unreachable.length)
        throw new CtsError("NETWORK", `cannot predict: ${collected.unreachable.map((u) => `${u.side} tenant not reachable (${u.code})`).join("; ")}`);
    }
    const pair = await openSnapshot(dir);
    const prediction = await predictToFiles(pair, args.out, { now, schema: edited, excel: args.excel });
    const c = prediction.counts;
    info(
      args,
      `next cycle: ${c.create} create, ${c.update} update, ${c["no-change"]} no change, ${c.skip} skip, ${c.deprovision} deprovision, ${c.inconclusive} inconclusive`,
    );
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
      .option("schema", { type: "string", describe: "what-if: predict with an edited copy of the job's schema (JSON) and print the difference" })
      .option("since", { type: "string", describe: "provisioning-log window when collecting (default 7d)" })
      .option("concurrency", { type: "number", describe: "parallel Graph requests per tenant when collecting" }),
  handler: async (args) => {
    const prediction = await runPredict(args);
    process.stdout.write(`${path.join(args.out, "predict.json")}\n${path.join(args.out, "predict.csv")}\n`);
    if (prediction.whatIf) process.stdout.write(whatIfLines(prediction.whatIf).join("\n") + "\n");
  },
};
