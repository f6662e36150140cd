// `emulate`: serve a snapshot as Microsoft Graph for both tenants over HTTP on loopback.
import type { CommandModule } from "yargs";
import { readManifest } from "../snapshot/store.js";
import { parseFault, SECRETS_READ_MODES, startEmulator, type SecretsReadMode } from "../emulator/index.js";
import { CtsError } from "../errors.js";
import type { GlobalArgs } from "./options.js";
import { info } from "./output.js";

type Args = GlobalArgs & {
  snapshot: string;
  port: number;
  host: string;
  fault?: string[];
  enforceRoles: boolean;
  realisticLimits: boolean;
  latency: number;
  secretsRead: SecretsReadMode;
};

export const emulateCommand: CommandModule<GlobalArgs, Args> = {
  command: "emulate <snapshot>",
  describe: "Serve a snapshot back as Microsoft Graph (v1.0 and beta, paging, $batch, errors) for both tenants",
  builder: (y) =>
    y
      .positional("snapshot", { type: "string", demandOption: true, describe: "snapshot folder" })
      .option("port", { type: "number", default: 0, describe: "port (0 picks a free one)" })
      .option("host", { type: "string", default: "127.0.0.1", describe: "address to listen on (loopback by default)" })
      .option("enforce-roles", { type: "boolean", default: false, describe: "answer 403 when the token's roles lack a route's permission" })
      .option("realistic-limits", {
        type: "boolean",
        default: false,
        describe: "enforce Graph's documented throttles (reports 5/10 s, directory resource units, 429 + Retry-After)",
      })
      .option("latency", { type: "number", default: 0, describe: "fixed delay per HTTP request, in ms" })
      .option("secrets-read", {
        type: "string",
        choices: [...SECRETS_READ_MODES],
        default: "both",
        describe: "versions that answer GET …/synchronization/secrets: both, beta-only (405 on v1.0), none (405 on both)",
      })
      .option("fault", {
        type: "string",
        array: true,
        describe: 'inject a fault, e.g. "GET /auditLogs/provisioning 429 times=2 retry-after=1" (repeatable)',
      }) as never,
  handler: async (args) => {
    const manifest = await readManifest(args.snapshot);
    let faults;
    try {
      faults = (args.fault ?? []).map((f) => parseFault(f));
    } catch (err) {
      throw new CtsError("USAGE", `--fault: ${(err as Error).message}`);
    }
    if (!(args.latency >= 0)) throw new CtsError("USAGE", "--latency must be a number of milliseconds ≥ 0");
    const emulator = await startEmulator({
      snapshotDir: args.snapshot,
      port: args.port,
      host: args.host,
      faults,
      enforceRoles: args.enforceRoles,
      realisticLimits: args.realisticLimits,
      latencyMs: args.latency,
      secretsRead: args.secretsRead,
    }).catch((error: unknown) => {
      const err = error as NodeJS.ErrnoException;
      if (err.code === "EADDRINUSE") throw new CtsError("USAGE", `--port ${args.port}: already in use on ${args.host} (pick another, or 0 for a free one)`);
      if (err.code === "EADDRNOTAVAIL" || err.code === "ENOTFOUND") throw new CtsError("USAGE", `--host ${args.host}: not an address of this machine`);
      throw err;
    });
    info(args, `Graph emulator for ${args.snapshot} listening on ${emulator.url}`);
    info(
      args,
      `  source ${manifest.source.tenantId}: graphEndpoint ${emulator.url}/${manifest.source.tenantId} (or ${emulator.url} with a token whose tid is the tenant)`,
    );
    info(args, `  target ${manifest.target.tenantId}: graphEndpoint ${emulator.url}/${manifest.target.tenantId}`);
    info(args, "  with a tenant's path prefix any non-empty bearer token is accepted; without it, the token's tid picks the tenant");
    if (args.realisticLimits)
      info(args, "  realistic limits: reports 5 per 10 s, directory resource units by tenant size, provisionOnDemand 5 per 10 s (429 + Retry-After)");
    if (args.latency) info(args, `  latency: ${args.latency} ms per request`);
    if (args.secretsRead !== "both") info(args, `  secrets read: ${args.secretsRead === "none" ? "405 on beta and v1.0" : "beta only (405 on v1.0)"}`);
    info(args, "Press Ctrl-C to stop.");
    process.stdout.write(`${emulator.url}\n`);
    await new Promise<void>((resolve) => {
      const stop = () => void emulator.close().then(resolve);
      process.once("SIGINT", stop);
      process.once("SIGTERM", stop);
    });
  },
};
