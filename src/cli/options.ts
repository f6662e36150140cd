// Options shared by several commands, and turning them into collection settings.
import type { Argv } from "yargs";
import { loadConfig, type ConfigOverrides } from "../config/load.js";
import type { Config } from "../config/schema.js";

export interface GlobalArgs {
  debug: boolean;
  quiet: boolean;
  /** false with --no-color. */
  color?: boolean;
}

export function withConfigOptions<T>(y: Argv<T>) {
  return y
    .option("config", { type: "string", describe: "tenant-pair config file (JSON or YAML)", demandOption: true })
    .option("source-tenant", { type: "string", describe: "override source.tenantId" })
    .option("target-tenant", { type: "string", describe: "override target.tenantId" })
    .option("source-cloud", { type: "string", describe: "override source.cloud (global, usgov, usgov-dod, china)" })
    .option("target-cloud", { type: "string", describe: "override target.cloud" })
    .option("source-endpoint", { type: "string", describe: "override source.graphEndpoint" })
    .option("target-endpoint", { type: "string", describe: "override target.graphEndpoint" })
    .option("since", { type: "string", describe: "provisioning-log window: 7d, 24h or an ISO date-time (default 7d)" })
    .option("until", {
      type: "string",
      describe: "end of the provisioning-log window and the time the snapshot is judged at: an ISO date-time (default now; to replay a recorded tenant)",
    })
    .option("connection-test", {
      type: "boolean",
      default: true,
      describe: "run the live connection test (validateCredentials); --no-connection-test skips it",
    })
    .option("concurrency", { type: "number", describe: "parallel Graph requests per tenant (default 4)" })
    .option("all-phone-methods", {
      type: "boolean",
      default: false,
      describe: "read every in-scope user's phone methods (default: only users not in the target, or skipped or failed in the logs)",
    })
    .option("configuration", {
      type: "string",
      describe: "the source's CTS configuration for the target: service principal id or displayName (when its CompanyId cannot be read)",
    })
    .option("timeout", { type: "number", describe: "seconds before one Graph request is abandoned (overrides collection.timeoutSeconds)" });
}

/** `--allow-inconclusive`: missing data (an inconclusive rule, an unread facet) does not change the exit code. */
export function withAllowInconclusive<T>(y: Argv<T>) {
  return y.option("allow-inconclusive", {
    type: "boolean",
    default: false,
    describe: "exit 0 even when data is missing (otherwise an inconclusive rule at or above --fail-on, or for collect an unread facet, exits 4)",
  });
}

export interface ConfigArgs {
  config: string;
  sourceTenant?: string;
  targetTenant?: string;
  sourceCloud?: string;
  targetCloud?: string;
  sourceEndpoint?: string;
  targetEndpoint?: string;
  since?: string;
  until?: string;
  connectionTest: boolean;
  concurrency?: number;
  configuration?: string;
  timeout?: number;
  allPhoneMethods?: boolean;
}

export async function configFromArgs(args: ConfigArgs): Promise<Config> {
  const overrides: ConfigOverrides = {};
  if (args.sourceTenant) overrides.sourceTenant = args.sourceTenant;
  if (args.targetTenant) overrides.targetTenant = args.targetTenant;
  if (args.sourceCloud) overrides.sourceCloud = args.sourceCloud;
  if (args.targetCloud) overrides.targetCloud = args.targetCloud;
  if (args.sourceEndpoint) overrides.sourceEndpoint = args.sourceEndpoint;
  if (args.targetEndpoint) overrides.targetEndpoint = args.targetEndpoint;
  if (args.configuration !== undefined) overrides.configuration = args.configuration;
  const config = await loadConfig(args.config, overrides);
  if (args.allPhoneMethods) config.collection = { ...config.collection, allPhoneMethods: true };
  // Range-checked by the config's own schema piece before any command ran (src/cli/validate.ts).
  if (args.timeout !== undefined) config.collection = { ...config.collection, timeoutSeconds: args.timeout };
  return config;
}

export { checkSinceArg, LOG_RETENTION_DAYS, parseSince, parseUntil } from "../app/options.js";
