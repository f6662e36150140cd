// `diagnose`: collect + analyze + report in one run; the snapshot is kept in OUT/snapshot.
import path from "node:path";
import type { CommandModule } from "yargs";
import { CtsError, ExitCode } from "../errors.js";
import { parseFormats, REPORT_FORMATS } from "../report/write.js";
import { collectWithProgress, reportInterrupted } from "./collect.js";
import { configFromArgs, parseUntil, withConfigOptions, type ConfigArgs, type GlobalArgs } from "./options.js";
import { info } from "./output.js";
import { analyzeSnapshot, parseSeverity, summaryLines } from "./pipeline.js";
import { collectRedacted, redactionKey, withRedactOption } from "./redact.js";

type Args = GlobalArgs & ConfigArgs & { out: string; format?: string; excel: boolean; failOn?: string; redact: boolean; resume: boolean };

export const diagnoseCommand: CommandModule<GlobalArgs, Args> = {
  command: "diagnose",
  describe: "Collect both tenants, run the rules and write reports (snapshot kept in OUT/snapshot)",
  builder: (y) =>
    withRedactOption(withConfigOptions(y))
      .option("out", { type: "string", demandOption: true, describe: "folder for the reports and the snapshot" })
      .option("format", { type: "string", describe: `comma-separated: ${REPORT_FORMATS.join(",")} (default ${"json,html"})` })
      .option("excel", { type: "boolean", default: false, describe: "CSV with a UTF-8 byte order mark, for Excel" })
      .option("fail-on", { type: "string", describe: "lowest severity that makes the exit code 1 (default high)" })
      .option("resume", { type: "boolean", default: false, describe: "continue the interrupted collection in OUT/snapshot, then analyze" }) as never,
  handler: async (args) => {
    const formats = parseFormats(args.format);
    const failOn = parseSeverity(args.failOn);
    // The unredacted collection of --redact lives in a temporary folder that is always deleted: nothing to continue.
    if (args.resume && args.redact) throw new CtsError("USAGE", "--resume cannot be combined with --redact (the unredacted collection is not kept)");
    const config = await configFromArgs(args);
    const snapshotDir = path.join(args.out, "snapshot");
    const since = args.since ?? config.collection?.since;
    const settings = {
      since: args.resume ? args.since : since,
      ...(args.until !== undefined ? { until: parseUntil(args.until)! } : {}),
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
    const outcome = await analyzeSnapshot(snapshotDir, args.out, formats, failOn, { excel: args.excel });
    for (const line of summaryLines(outcome.report)) info(args, line);
    for (const f of outcome.files) process.stdout.write(`${f}\n`);
    process.exitCode = collected.unreachable.length ? ExitCode.collect : outcome.exitCode;
  },
};
