// `check`: every pair of a config (one or many), with waivers, changes since the last run, history and a roll-up.
import path from "node:path";
import type { CommandModule } from "yargs";
import { runCheck } from "../check/run.js";
import { loadPairsConfig } from "../config/pairs.js";
import { CtsError } from "../errors.js";
import { parseFormats, REPORT_FORMATS } from "../report/write.js";
import { loadWaivers } from "../waivers/waivers.js";
import { outputFormat, print, withOutputOption } from "./format.js";
import { historyError } from "./history.js";
import { parseUntil, withAllowInconclusive, type GlobalArgs } from "./options.js";
import { debugLine, info } from "./output.js";
import { checkPrintable } from "./results.js";

/** runCheck, with a history file that is not a database reported as bad input. */
async function runCheckCli(...a: Parameters<typeof runCheck>): ReturnType<typeof runCheck> {
  try {
    return await runCheck(...a);
  } catch (err) {
    throw a[1].historyFile ? historyError(a[1].historyFile, err) : err;
  }
}
import { parseSeverity } from "../app/options.js";

type Args = GlobalArgs & {
  config: string;
  out: string;
  format?: string;
  excel: boolean;
  failOn?: string;
  failOnNew: boolean;
  waivers?: string;
  history?: string;
  recordHistory: boolean;
  baseline?: string;
  since?: string;
  until?: string;
  connectionTest: boolean;
  concurrency?: number;
  parallel?: number;
  configuration?: string;
  allPhoneMethods: boolean;
  allowInconclusive: boolean;
  output?: string;
};

export const checkCommand: CommandModule<GlobalArgs, Args> = {
  command: "check",
  describe: "Check every tenant pair of a config: reports per pair, waivers, changes since the last run, history and a summary",
  builder: (y) =>
    withOutputOption(withAllowInconclusive(y), "the paths written (text) or the roll-up")
      .option("config", { type: "string", demandOption: true, describe: "config with one pair (source/target) or many (tenants + pairs)" })
      .option("out", { type: "string", demandOption: true, describe: "folder for OUT/<pair>/ reports, OUT/summary.* and the default history" })
      .option("format", { type: "string", describe: `comma-separated: ${REPORT_FORMATS.join(",")} (default json,html)` })
      .option("excel", { type: "boolean", default: false, describe: "CSV with a UTF-8 byte order mark, for Excel" })
      .option("fail-on", { type: "string", describe: "lowest severity that makes the exit code 1 (default high); waived findings never count" })
      .option("fail-on-new", { type: "boolean", default: false, describe: "exit 1 only for findings that are new since the previous run" })
      .option("waivers", { type: "string", describe: "YAML file of accepted findings (rule, pair, object ids, reason, owner, expiry)" })
      .option("history", { type: "string", describe: "SQLite history file (default OUT/history.sqlite)" })
      .option("record-history", { type: "boolean", default: true, describe: "--no-record-history keeps no history (changes then need --baseline)" })
      .option("baseline", { type: "string", describe: "compare with a saved report.json (or a previous OUT folder) instead of the history" })
      .option("since", { type: "string", describe: "provisioning-log window: 7d, 24h or an ISO date-time (default 7d)" })
      .option("until", {
        type: "string",
        describe: "end of the provisioning-log window and the time each snapshot is judged at: an ISO date-time (default now)",
      })
      .option("connection-test", { type: "boolean", default: true, describe: "run the live connection test; --no-connection-test skips it" })
      .option("concurrency", { type: "number", describe: "parallel Graph requests per tenant, shared by the pairs that reach it (default 4)" })
      .option("all-phone-methods", {
        type: "boolean",
        default: false,
        describe: "read every in-scope user's phone methods in each pair (default: only users not in the target, or skipped or failed in the logs)",
      })
      .option("parallel", { type: "number", describe: "pairs checked at once (default 2)" })
      .option("configuration", {
        type: "string",
        describe:
          "one-pair configs: the source's CTS configuration for the target (service principal id or displayName); per pair use configuration: in the file",
      }) as never,
  handler: async (args) => {
    const output = outputFormat(args);
    const formats = parseFormats(args.format);
    const failOn = parseSeverity(args.failOn);
    if (args.parallel !== undefined && !(Number.isInteger(args.parallel) && args.parallel >= 1 && args.parallel <= 16))
      throw new CtsError("USAGE", "--parallel: must be a whole number from 1 to 16");
    const config = await loadPairsConfig(args.config);
    if (args.configuration !== undefined) {
      const only = config.pairs.length === 1 ? config.pairs[0] : undefined;
      if (!only)
        throw new CtsError(
          "USAGE",
          `--configuration names one pair's configuration; ${args.config} has ${config.pairs.length} pairs (set configuration: per pair in the file)`,
        );
      if (!args.configuration.trim()) throw new CtsError("USAGE", "--configuration: must name a configuration (its service principal id or displayName)");
      only.config.configuration = args.configuration.trim();
    }
    if (args.allPhoneMethods) for (const p of config.pairs) p.config.collection = { ...p.config.collection, allPhoneMethods: true };
    const waivers = args.waivers ? await loadWaivers(args.waivers) : [];
    const outcome = await runCheckCli(
      config,
      {
        outDir: args.out,
        formats,
        failOn,
        failOnNew: args.failOnNew,
        waivers,
        historyFile: args.recordHistory ? (args.history ?? path.join(args.out, "history.sqlite")) : null,
        ...(args.baseline ? { baseline: args.baseline } : {}),
        ...(args.since ? { since: args.since } : {}),
        ...(args.until !== undefined ? { until: parseUntil(args.until) } : {}),
        connectionTest: args.connectionTest,
        ...(args.concurrency ? { concurrency: args.concurrency } : {}),
        ...(args.parallel ? { parallel: args.parallel } : {}),
        excel: args.excel,
        allowInconclusive: args.allowInconclusive,
      },
      {
        info: (line) => {
          info(args, line);
        },
        debug: (line) => {
          debugLine(args, line);
        },
      },
    );
    print(output, checkPrintable(outcome));
    process.exitCode = outcome.exitCode;
  },
};
