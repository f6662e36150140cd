// `analyze`: run the rules over a snapshot folder and write reports.
import type { CommandModule } from "yargs";
import { parseFormats } from "../report/write.js";
import type { GlobalArgs } from "./options.js";
import { info } from "./output.js";
import { analyzeSnapshot, parseSeverity, summaryLines } from "./pipeline.js";

type Args = GlobalArgs & { snapshot: string; out: string; format?: string; failOn?: string };

export const analyzeCommand: CommandModule<GlobalArgs, Args> = {
  command: "analyze <snapshot>",
  describe: "Run the rules over a snapshot folder and write reports",
  builder: (y) =>
    y
      .positional("snapshot", { type: "string", demandOption: true, describe: "snapshot folder (from collect)" })
      .option("out", { type: "string", demandOption: true, describe: "folder for the reports" })
      .option("format", { type: "string", describe: "comma-separated: json,html (default json,html)" })
      .option("fail-on", { type: "string", describe: "lowest severity that makes the exit code 1 (default high)" }) as never,
  handler: async (args) => {
    const formats = parseFormats(args.format);
    const failOn = parseSeverity(args.failOn);
    const outcome = await analyzeSnapshot(args.snapshot, args.out, formats, failOn);
    for (const line of summaryLines(outcome.report)) info(args, line);
    for (const f of outcome.files) process.stdout.write(`${f}\n`);
    process.exitCode = outcome.exitCode;
  },
};
