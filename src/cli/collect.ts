// `collect`: read both tenants into a snapshot folder.
import type { CommandModule } from "yargs";
import { collect, type CollectResult } from "../collect/run.js";
import type { Config } from "../config/schema.js";
import { ExitCode } from "../errors.js";
import { createCredential } from "../graph/auth.js";
import { configFromArgs, parseSince, withConfigOptions, type ConfigArgs, type GlobalArgs } from "./options.js";
import { debugLine, facetLine, info, type Output } from "./output.js";
import type { TokenCredential } from "@azure/core-auth";

type Args = GlobalArgs & ConfigArgs & { out: string };

/** Collect with progress on stderr; used by collect, diagnose and demo. */
export async function collectWithProgress(
  config: Config,
  outDir: string,
  args: { since?: string | undefined; until?: Date; connectionTest: boolean; concurrency?: number | undefined },
  out: Output,
  credentials?: Partial<Record<"source" | "target", TokenCredential>>,
): Promise<CollectResult> {
  // Credentials first: a missing secret is a usage error, reported before anything is printed or written.
  const creds = {
    source: credentials?.source ?? createCredential(config.source, "source"),
    target: credentials?.target ?? createCredential(config.target, "target"),
  };
  info(out, `Collecting source ${config.source.tenantId} (${config.source.cloud}) and target ${config.target.tenantId} (${config.target.cloud}) into ${outDir}`);
  const result = await collect(config, outDir, {
    since: parseSince(args.since),
    ...(args.until ? { until: args.until } : {}),
    connectionTest: args.connectionTest,
    ...(args.concurrency ? { concurrency: args.concurrency } : {}),
    ...(config.collection?.timeoutSeconds ? { timeoutSeconds: config.collection.timeoutSeconds } : {}),
    credentials: creds,
    onFacet: (id, entry) => info(out, facetLine(id, entry)),
    onRequest: (side, e) => debugLine(out, `${side} ${e.method} ${e.path} → ${e.status} (${e.ms} ms)`),
    onRetry: (side, r) => info(out, `  ${side}: ${r.status === "network" ? "network error" : `HTTP ${r.status}`}, retry ${r.attempt} in ${Math.round(r.waitMs / 100) / 10} s`),
  });
  for (const u of result.unreachable) info(out, `cts-doctor: ${u.side} tenant not reachable: ${u.code}: ${u.message}`);
  info(out, `Graph requests: source ${result.requests.source}, target ${result.requests.target}`);
  return result;
}

export const collectCommand: CommandModule<GlobalArgs, Args> = {
  command: "collect",
  describe: "Read both tenants through Microsoft Graph (read-only) into a snapshot folder",
  builder: (y) => withConfigOptions(y).option("out", { type: "string", demandOption: true, describe: "snapshot folder to write" }) as never,
  handler: async (args) => {
    const config = await configFromArgs(args);
    const since = args.since ?? config.collection?.since;
    const result = await collectWithProgress(config, args.out, { since, connectionTest: args.connectionTest && config.collection?.connectionTest !== false, concurrency: args.concurrency ?? config.collection?.concurrency }, args);
    process.stdout.write(`${args.out}\n`);
    process.exitCode = result.unreachable.length ? ExitCode.collect : ExitCode.ok;
  },
};
