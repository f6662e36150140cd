// Options shared by several commands, and turning them into collection settings.
import type { Argv } from "yargs";
import { loadConfig, type ConfigOverrides } from "../config/load.js";
import type { Config } from "../config/schema.js";
import { CtsError } from "../errors.js";

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

/** --until as a date (default now); it also bounds how far back --since may go. */
export function parseUntil(value: string | undefined, now = new Date()): Date {
  if (value === undefined) return now;
  const date = new Date(value);
  if (Number.isNaN(date.getTime()) || !/^\d{4}-\d{2}-\d{2}/.test(value))
    throw new CtsError("USAGE", `--until: "${value}" is not an ISO date-time like 2025-03-04T11:00:00Z`);
  if (date > now) throw new CtsError("USAGE", `--until: ${value} is in the future`);
  return date;
}

/** Entra keeps activity logs 30 days with P1/P2 (entra-docs docs/identity/monitoring-health/reference-reports-data-retention.md, "Activity reports"). */
export const LOG_RETENTION_DAYS = 30;

/** A --since typed on the command line reaching past what Graph keeps is refused; the window ends at --until or now. */
export function checkSinceArg(since: string, until: string | undefined, now = new Date()): void {
  const end = parseUntil(until, now);
  const start = parseSince(since, end);
  if (end.getTime() - start.getTime() > LOG_RETENTION_DAYS * 86_400_000) {
    throw new CtsError(
      "USAGE",
      `--since: ${since} is more than ${LOG_RETENTION_DAYS} days before ${until ?? "now"} (Microsoft Graph keeps provisioning logs ${LOG_RETENTION_DAYS} days)`,
    );
  }
}

/** "7d", "24h", "90m" or an ISO date-time → the start of the window. */
export function parseSince(value: string | undefined, now = new Date()): Date {
  const v = (value ?? "7d").trim();
  const rel = /^(\d+)\s*([dhm])$/i.exec(v);
  if (rel) {
    const n = Number(rel[1]);
    const unit = rel[2]!.toLowerCase();
    const ms = unit === "d" ? 86_400_000 : unit === "h" ? 3_600_000 : 60_000;
    if (n <= 0 || n * ms > LOG_RETENTION_DAYS * 86_400_000)
      throw new CtsError("USAGE", `--since: ${v} is out of range (Microsoft Graph keeps provisioning logs ${LOG_RETENTION_DAYS} days)`);
    return new Date(now.getTime() - n * ms);
  }
  const date = new Date(v);
  if (Number.isNaN(date.getTime()) || !/^\d{4}-\d{2}-\d{2}/.test(v))
    throw new CtsError("USAGE", `--since: "${v}" is not a duration like 7d or an ISO date-time`);
  if (date > now) throw new CtsError("USAGE", `--since: ${v} is in the future`);
  return date;
}
