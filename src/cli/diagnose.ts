// `diagnose`: collect + analyze + report in one run; the snapshot is kept in OUT/snapshot.
import path from "node:path";
import type { CommandModule } from "yargs";
import { CtsError } from "../errors.js";
import { parseFormats, REPORT_FORMATS } from "../report/write.js";
import { collectWithProgress, reportInterrupted } from "./collect.js";
import { configFromArgs, parseUntil, withAllowInconclusive, withConfigOptions, type ConfigArgs, type GlobalArgs } from "./options.js";
import { outputFormat, print, withOutputOption } from "./format.js";
import { info } from "./output.js";
import { analysisPrintable } from "./results.js";
import { analyzeSnapshot } from "../app/analyze.js";
import { parseSeverity } from "../app/options.js";
import { summaryLines } from "./pipeline.js";
import { unreachableError } from "./reach.js";
import { collectRedacted, redactionKey, withRedactOption } from "./redact.js";

type Args = GlobalArgs &
  ConfigArgs & { out: string; format?: string; excel: boolean; failOn?: string; redact: boolean; output?: string; resume: boolean; allowInconclusive: boolean };

export const diagnoseCommand: CommandModule<GlobalArgs, Args> = {
  command: "diagnose",
  describe: "Collect both tenants, run the rules and write reports (snapshot kept in OUT/snapshot)",
  builder: (y) =>
    withOutputOption(withAllowInconclusive(withRedactOption(withConfigOptions(y))), "the paths written (text) or the verdicts")
      .option("out", { type: "string", demandOption: true, describe: "folder for the reports and the snapshot" })
      .option("format", { type: "string", describe: `comma-separated: ${REPORT_FORMATS.join(",")} (default json,html)` })
      .option("excel", { type: "boolean", default: false, describe: "CSV with a UTF-8 byte order mark, for Excel" })
      .option("fail-on", { type: "string", describe: "lowest severity that makes the exit code 1 (default high)" })
      .option("resume", { type: "boolean", default: false, describe: "continue the interrupted collection in OUT/snapshot, then analyze" }) as never,
  handler: async (args) => {
    const output = outputFormat(args);
    const formats = parseFormats(args.format);
    const failOn = parseSeverity(args.failOn);
    // The unredacted collection of --redact lives in a temporary folder that is always deleted: nothing to continue.
    if (args.resume && args.redact) throw new CtsError("USAGE", "--resume cannot be combined with --redact (the unredacted collection is not kept)");
    const config = await configFromArgs(args);
    const snapshotDir = path.join(args.out, "snapshot");
    const since = args.since ?? config.collection?.since;
    const settings = {
      since: args.resume ? args.since : since,
      ...(args.until !== undefined ? { until: parseUntil(args.until) } : {}),
      connectionTest: args.connectionTest && config.collection?.connectionTest !== false,
      concurrency: args.concurrency ?? config.collection?.concurrency,
      resume: args.resume,
      interruptible: !args.redact,
    };
    // With --redact only the redacted snapshot is kept (the key is resolved first: a bad one fails before collecting).
    const key = args.redact ? redactionKey() : undefined;
    const collected = key
      ? await collectRedacted(args.out, key, args, (raw) => collectWithProgress(config, raw, settings, args))
      : await collectWithProgress(config, snapshotDir, settings, args);
    if (collected.interrupted) return reportInterrupted();
    // Reports from a tenant that answered nothing would read as complete: none are written.
    if (collected.unreachable.length) throw unreachableError(config, collected.unreachable, "no report written");
    const outcome = await analyzeSnapshot(snapshotDir, args.out, formats, failOn, { excel: args.excel, allowInconclusive: args.allowInconclusive });
    for (const line of summaryLines(outcome.report, args)) info(args, line);
    print(output, analysisPrintable(outcome.report, outcome.files, outcome.exitCode));
    process.exitCode = outcome.exitCode;
  },
};
