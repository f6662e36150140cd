// `collect`: read both tenants into a snapshot folder; `--resume` continues an interrupted one.
import type { CommandModule } from "yargs";
import { collect, preflight, type CollectOptions, type CollectResult } from "../collect/run.js";
import type { Config } from "../config/schema.js";
import { CtsError, ExitCode } from "../errors.js";
import { createCredential } from "../graph/auth.js";
import { configFromArgs, parseSince, parseUntil, withAllowInconclusive, withConfigOptions, type ConfigArgs, type GlobalArgs } from "./options.js";
import { debugLine, info, type Output } from "./output.js";
import { createCollectProgress } from "./progress.js";
import { assertReachable, unreachableError } from "./reach.js";
import type { TokenCredential } from "@azure/core-auth";

type Args = GlobalArgs & ConfigArgs & { out: string; resume: boolean; allowInconclusive: boolean };

/** The exit code of a run stopped with Ctrl-C (128 + SIGINT), as shells expect. */
export const INTERRUPTED_EXIT = 130;
export const INTERRUPTED_MESSAGE = "interrupted; run again with --resume";

export interface CollectSettings {
  since?: string | undefined;
  until?: Date;
  connectionTest: boolean;
  concurrency?: number | undefined;
  /** Continue the interrupted collection in the folder (its window, its kept facets). */
  resume?: boolean;
  /** Ctrl-C stops between requests and records what is complete (the result says `interrupted`); else Node's default. */
  interruptible?: boolean;
}

type Credentials = Record<"source" | "target", TokenCredential>;
type Progress = ReturnType<typeof createCollectProgress>;

/** Collect with progress on stderr; used by collect, diagnose and demo. */
export async function collectWithProgress(
  config: Config,
  outDir: string,
  args: CollectSettings,
  out: Output,
  credentials?: Partial<Credentials>,
): Promise<CollectResult> {
  // Credentials first: a missing secret is a usage error, reported before anything is printed or written.
  const creds = {
    source: credentials?.source ?? createCredential(config.source, "source"),
    target: credentials?.target ?? createCredential(config.target, "target"),
  };
  // A window Graph cannot serve is refused before anything is asked.
  const since = args.resume ? new Date(0) : parseSince(args.since, args.until ?? new Date());
  await checkTenants(config, creds);
  const verb = args.resume ? "Resuming the collection of" : "Collecting";
  info(out, `${verb} source ${config.source.tenantId} (${config.source.cloud}) and target ${config.target.tenantId} (${config.target.cloud}) into ${outDir}`);
  if (args.resume && args.since) info(out, "  --since is ignored with --resume: the earlier run's window is kept");
  const progress = createCollectProgress({ quiet: out.quiet });
  const controller = new AbortController();
  const onSigint = () => {
    if (controller.signal.aborted) {
      progress.stop();
      process.exit(INTERRUPTED_EXIT);
    }
    progress.log("Stopping: recording what is complete (Ctrl-C again to quit at once)…");
    controller.abort();
  };
  if (args.interruptible) process.on("SIGINT", onSigint);
  let result: CollectResult;
  try {
    result = await collect(config, outDir, {
      // With resume, collect takes the window from the earlier run's manifest.
      since,
      ...(args.until ? { until: args.until } : {}),
      connectionTest: args.connectionTest,
      ...(args.concurrency ? { concurrency: args.concurrency } : {}),
      ...(config.collection?.timeoutSeconds ? { timeoutSeconds: config.collection.timeoutSeconds } : {}),
      ...(args.resume ? { resume: true } : {}),
      ...(args.interruptible ? { signal: controller.signal } : {}),
      credentials: creds,
      ...progressCallbacks(progress, out),
    });
  } finally {
    progress.stop();
    process.off("SIGINT", onSigint);
  }
  reportCollected(result, out);
  return result;
}

/** A token for the wrong tenant, a refused connection or an unknown host: said once per tenant, before collecting. */
async function checkTenants(config: Config, creds: Credentials): Promise<void> {
  // A token for the wrong tenant is refused first (a usage error, whatever the network says); any other token failure
  // is left to collect, which records it per tenant.
  for (const side of ["source", "target"] as const)
    await preflight(side, config[side], creds[side]).catch((err: unknown) => {
      if (err instanceof CtsError) throw err;
    });
  // A refused connection or an unknown host is said once per tenant now, not once per facet after the retries.
  await assertReachable(config);
}

/** collect's callbacks, all through the progress output so request lines do not tear the bars on a terminal. */
function progressCallbacks(progress: Progress, out: Output): Pick<CollectOptions, "onFacet" | "onPage" | "onRequest" | "onRetry" | "onNotice"> {
  return {
    onFacet: progress.onFacet,
    onPage: progress.onPage,
    onRequest: (side, e) => {
      const line = `${side} ${e.method} ${e.path} → ${e.status} (${e.ms} ms)`;
      if (out.debug && !out.quiet) progress.log(`[debug] ${line}`);
      else debugLine(out, line);
    },
    onRetry: (side, r) => {
      progress.log(`  ${side}: ${r.status === "network" ? "network error" : `HTTP ${r.status}`}, retry ${r.attempt} in ${Math.round(r.waitMs / 100) / 10} s`);
    },
    onNotice: (line) => {
      progress.log(`cts-doctor: ${line}`);
    },
  };
}

function reportCollected(result: CollectResult, out: Output): void {
  if (result.kept.length) info(out, `Kept ${result.kept.length} facets from the earlier run`);
  info(out, `Graph requests: source ${result.requests.source}, target ${result.requests.target}`);
  if (result.resumable.length && !result.interrupted)
    info(out, `Stopped partway: ${result.resumable.join(", ")}; \`--resume\` continues from the last complete page`);
}

/** Facets Graph did not give us (denied, failed, degraded); skipped ones follow from these or were asked for. */
export function unreadFacets(result: CollectResult): string[] {
  return Object.entries(result.manifest.facets)
    .filter(([, e]) => e.status === "denied" || e.status === "failed" || e.status === "degraded")
    .map(([id]) => id);
}

/**
 * Ctrl-C ended the run: say how to continue and exit 130 (printed even with --quiet: the run did not finish). The
 * manifest and sidecar are written; exiting now drops the requests still in flight, whose answers are not wanted.
 */
export function reportInterrupted(): never {
  process.stderr.write(`cts-doctor: ${INTERRUPTED_MESSAGE}\n`);
  process.exit(INTERRUPTED_EXIT);
}

export const collectCommand: CommandModule<GlobalArgs, Args> = {
  command: "collect",
  describe: "Read both tenants through Microsoft Graph (read-only) into a snapshot folder",
  builder: (y) =>
    withAllowInconclusive(withConfigOptions(y))
      .option("out", { type: "string", demandOption: true, describe: "snapshot folder to write" })
      .option("resume", { type: "boolean", default: false, describe: "continue the interrupted collection in --out from its last complete page" }) as never,
  handler: async (args) => {
    const config = await configFromArgs(args);
    const since = args.since ?? config.collection?.since;
    const result = await collectWithProgress(
      config,
      args.out,
      {
        since: args.resume ? args.since : since,
        ...(args.until !== undefined ? { until: parseUntil(args.until) } : {}),
        connectionTest: args.connectionTest && config.collection?.connectionTest !== false,
        concurrency: args.concurrency ?? config.collection?.concurrency,
        resume: args.resume,
        interruptible: true,
      },
      args,
    );
    if (result.interrupted) return reportInterrupted();
    if (result.unreachable.length) throw unreachableError(config, result.unreachable, `snapshot ${args.out} is incomplete`);
    process.stdout.write(`${args.out}\n`);
    process.exitCode = unreadFacets(result).length && !args.allowInconclusive ? ExitCode.inconclusive : ExitCode.ok;
  },
};
