// `export pending-acceptance`: the target's guests in PendingAcceptance with their source user, as CSV or JSON.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { TokenCredential } from "@azure/core-auth";
import type { CommandModule } from "yargs";
import { CtsError } from "../errors.js";
import { PENDING_FILTER, pendingAcceptanceCsv, pendingAcceptanceRows, type PendingRow } from "../export/pending-acceptance.js";
import { openSnapshot } from "../app/snapshot.js";
import type { TenantSide } from "../snapshot/facets.js";
import { writeFileAtomic } from "../snapshot/store.js";
import { collectWithProgress } from "./collect.js";
import { unreachableError } from "./reach.js";
import { configFromArgs, type ConfigArgs, type GlobalArgs } from "./options.js";
import { outputFormat, print, withOutputOption, type Row } from "./format.js";
import { info } from "./output.js";

type Args = GlobalArgs & Partial<ConfigArgs> & { what: string; snapshot?: string; out: string; format: string; excel: boolean; output?: string };

export async function runExport(args: Args, credentials?: Partial<Record<TenantSide, TokenCredential>>): Promise<PendingRow[]> {
  if (args.what !== "pending-acceptance") throw new CtsError("USAGE", `export: unknown report "${args.what}" (pending-acceptance)`);
  if (Boolean(args.snapshot) === Boolean(args.config)) throw new CtsError("USAGE", "export needs either --config FILE or a SNAPSHOT_DIR (not both)");
  if (args.format !== "csv" && args.format !== "json") throw new CtsError("USAGE", "--format: csv or json");
  let dir = args.snapshot ?? "";
  let temp: string | undefined;
  try {
    if (args.config) {
      const config = await configFromArgs(args as ConfigArgs);
      temp = dir = await mkdtemp(path.join(tmpdir(), "cts-export-"));
      const collected = await collectWithProgress(
        config,
        dir,
        { since: args.since ?? config.collection?.since, connectionTest: false, concurrency: args.concurrency },
        args,
        credentials,
      );
      if (collected.unreachable.length) throw unreachableError(config, collected.unreachable, "cannot export");
    }
    const pair = await openSnapshot(dir);
    if (!pair.has("target.users"))
      throw new CtsError(
        "SNAPSHOT_INVALID",
        `the target's users were not collected (${pair.entry("target.users").status}), so ${PENDING_FILTER} cannot be answered`,
      );
    const rows = pendingAcceptanceRows(pair);
    await writeFileAtomic(args.out, args.format === "json" ? JSON.stringify(rows, null, 2) + "\n" : pendingAcceptanceCsv(rows, args.excel));
    info(
      args,
      `${rows.length} guest(s) pending acceptance (${rows.filter((r) => r.upnStale).length} with a stale UPN, ${rows.filter((r) => r.inScope === "yes").length} in scope)`,
    );
    return rows;
  } finally {
    if (temp) await rm(temp, { recursive: true, force: true });
  }
}

export const exportCommand: CommandModule<GlobalArgs, Args> = {
  command: "export <what> [snapshot]",
  describe: "Export a list: pending-acceptance (target guests that never redeemed, joined with the source)",
  builder: (y) =>
    withOutputOption(y, "what stdout carries: the file written (text) or the rows")
      .positional("what", { choices: ["pending-acceptance"] as const, demandOption: true })
      .positional("snapshot", { type: "string", describe: "snapshot folder (instead of --config)" })
      .option("config", { type: "string", describe: "tenant-pair config: collect now, then export" })
      .option("out", { type: "string", demandOption: true, describe: "file to write" })
      .option("format", { type: "string", default: "csv", describe: "csv or json" })
      .option("excel", { type: "boolean", default: false, describe: "CSV with a UTF-8 byte order mark, for Excel" })
      .option("since", { type: "string", describe: "provisioning-log window when collecting (default 7d)" })
      .option("concurrency", { type: "number", describe: "parallel Graph requests per tenant when collecting" }),
  handler: async (args) => {
    const output = outputFormat(args);
    const rows = await runExport(args);
    print(output, { json: { file: args.out, count: rows.length, rows }, rows: rows as unknown as Row[], text: () => `${args.out}\n` });
  },
};
