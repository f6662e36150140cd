// `analyze`: run the rules over a snapshot folder and write reports.
import type { CommandModule } from "yargs";
import { parseFormats, REPORT_FORMATS } from "../report/write.js";
import { withAllowInconclusive, type GlobalArgs } from "./options.js";
import { outputFormat, print, withOutputOption } from "./format.js";
import { info } from "./output.js";
import { analysisPrintable } from "./results.js";
import { analyzeSnapshot } from "../app/analyze.js";
import { parseSeverity } from "../app/options.js";
import { summaryLines } from "./pipeline.js";
import { redactInto, redactionKey, withRedactOption } from "./redact.js";

type Args = GlobalArgs & {
  snapshot: string;
  out: string;
  format?: string;
  excel: boolean;
  failOn?: string;
  redact: boolean;
  allowInconclusive: boolean;
  output?: string;
};

export const analyzeCommand: CommandModule<GlobalArgs, Args> = {
  command: "analyze <snapshot>",
  describe: "Run the rules over a snapshot folder and write reports",
  builder: (y) =>
    withOutputOption(withAllowInconclusive(withRedactOption(y)))
      .positional("snapshot", { type: "string", demandOption: true, describe: "snapshot folder (from collect)" })
      .option("out", { type: "string", demandOption: true, describe: "folder for the reports" })
      .option("format", { type: "string", describe: `comma-separated: ${REPORT_FORMATS.join(",")} (default json,html)` })
      .option("excel", { type: "boolean", default: false, describe: "CSV with a UTF-8 byte order mark, for Excel" })
      .option("fail-on", { type: "string", describe: "lowest severity that makes the exit code 1 (default high)" }) as never,
  handler: async (args) => {
    const output = outputFormat(args);
    const formats = parseFormats(args.format);
    const failOn = parseSeverity(args.failOn);
    // With --redact the reports are made from the redacted copy written to OUT/snapshot.
    const snapshot = args.redact ? await redactInto(args.snapshot, args.out, redactionKey(), args) : args.snapshot;
    const outcome = await analyzeSnapshot(snapshot, args.out, formats, failOn, { excel: args.excel, allowInconclusive: args.allowInconclusive });
    for (const line of summaryLines(outcome.report, args)) info(args, line);
    print(output, analysisPrintable(outcome.report, outcome.files, outcome.exitCode));
    process.exitCode = outcome.exitCode;
  },
};
