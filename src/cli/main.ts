#!/usr/bin/env node
// The cts-doctor command line: parses arguments, runs one command, renders errors as one line with a documented exit code.
import { realpathSync } from "node:fs";
import { pathToFileURL } from "node:url";
import yargs from "yargs";
import { hideBin } from "yargs/helpers";
import { CtsError, ExitCode } from "../errors.js";
import { TOOL_VERSION } from "../version.js";
import { analyzeCommand } from "./analyze.js";
import { checkCommand } from "./check.js";
import { collectCommand } from "./collect.js";
import { demoCommand } from "./demo.js";
import { diagnoseCommand } from "./diagnose.js";
import { emulateCommand } from "./emulate.js";
import { exportCommand } from "./export.js";
import { expressionCommand } from "./expression.js";
import { historyCommand } from "./history.js";
import { permissionsCommand } from "./permissions.js";
import { predictCommand } from "./predict.js";
import { renderError } from "./output.js";
import { redactCommand } from "./redact.js";
import { remediateCommand } from "./remediate.js";
import { rulesCommand } from "./rules.js";
import { traceUserCommand } from "./trace-user.js";
import { initCommand } from "./init.js";
import { usageMessage } from "./usage.js";
import { validateArgv } from "./validate.js";
import { boundHeapGrowth } from "./heap.js";

export async function main(argv: string[]): Promise<number> {
  const debug = argv.includes("--debug");
  let failure: unknown;
  try {
    await yargs(argv)
      .scriptName("cts-doctor")
      .usage("$0 <command> [options]\n\nDiagnose Microsoft Entra ID cross-tenant synchronization between a source and a target tenant.")
      .option("debug", { type: "boolean", default: false, global: true, describe: "log requests (no secrets) and print stack traces" })
      .option("quiet", { type: "boolean", default: false, global: true, describe: "no progress on stderr" })
      .option("color", { type: "boolean", global: true, describe: "colour on a terminal; --no-color (or NO_COLOR) turns it off" })
      .command(collectCommand as never)
      .command(analyzeCommand as never)
      .command(diagnoseCommand as never)
      .command(emulateCommand as never)
      .command(demoCommand as never)
      .command(rulesCommand as never)
      .command(remediateCommand as never)
      .command(exportCommand as never)
      .command(checkCommand as never)
      .command(historyCommand as never)
      .command(permissionsCommand as never)
      .command(traceUserCommand as never)
      .command(redactCommand as never)
      .command(expressionCommand as never)
      .command(predictCommand as never)
      .command(initCommand as never)
      .completion("completion", "print a bash/zsh completion script (cts-doctor completion >> ~/.bashrc)")
      .middleware((argv) => validateArgv(argv as Record<string, unknown>))
      .demandCommand(1, "name a command (see --help)")
      .strict()
      .recommendCommands()
      .version(TOOL_VERSION)
      .alias("version", "V")
      .help()
      .alias("help", "h")
      .epilog("Exit codes: 0 nothing failed at or above --fail-on; 1 something did; 2 usage error or bad input; 3 could not collect.")
      .fail((msg, err, y) => {
        // yargs' types say Error, but it passes undefined for its own usage failures.
        throw (err as Error | undefined) ?? new CtsError("USAGE", usageMessage(msg, y as never));
      })
      .parseAsync();
  } catch (err) {
    failure = err;
  }
  if (failure !== undefined) return renderError(failure, debug);
  return typeof process.exitCode === "number" ? process.exitCode : ExitCode.ok;
}

// Run only as the entry point, so tests can import main().
if (process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) {
  boundHeapGrowth();
  // `cts-doctor … | head` closes stdout early: stop quietly, the reader has what it wanted.
  process.stdout.on("error", (err: NodeJS.ErrnoException) => {
    if (err.code === "EPIPE") process.exit(ExitCode.ok);
    throw err;
  });
  process.exitCode = await main(hideBin(process.argv));
}
