// `demo`: the whole pipeline on a bundled broken pair — emulator, collection through the Graph client, rules, reports.
import path from "node:path";
import type { CommandModule } from "yargs";
import { StaticTokenCredential } from "../graph/auth.js";
import { fakeToken, startEmulator } from "../emulator/index.js";
import type { Config } from "../config/schema.js";
import { readManifest } from "../snapshot/store.js";
import { parseFormats, REPORT_FORMATS } from "../report/write.js";
import { collectWithProgress } from "./collect.js";
import type { GlobalArgs } from "./options.js";
import { info } from "./output.js";
import { analyzeSnapshot } from "../app/analyze.js";
import { parseSeverity } from "../app/options.js";
import { summaryLines } from "./pipeline.js";
import { collectRedacted, redactionKey, withRedactOption } from "./redact.js";
import { DEFAULT_SCENARIO, listScenarios, loadScenario } from "./scenarios.js";

type Args = GlobalArgs & { out: string; scenario: string; list: boolean; format?: string; excel: boolean; redact: boolean };

export const demoCommand: CommandModule<GlobalArgs, Args> = {
  command: "demo",
  describe: "Run the whole pipeline on a bundled broken tenant pair, served by the built-in Graph emulator",
  builder: (y) =>
    withRedactOption(y)
      .option("out", { type: "string", default: "demo-out", describe: "folder for the reports and the snapshot" })
      .option("scenario", { type: "string", default: DEFAULT_SCENARIO, describe: "bundled scenario to replay (see --list)" })
      .option("list", { type: "boolean", default: false, describe: "list the bundled scenarios" })
      .option("format", { type: "string", describe: `comma-separated: ${REPORT_FORMATS.join(",")} (default all of them)` })
      .option("excel", { type: "boolean", default: false, describe: "CSV with a UTF-8 byte order mark, for Excel" }),
  handler: async (args) => {
    if (args.list) {
      for (const s of await listScenarios()) process.stdout.write(`${s.name.padEnd(28)} ${s.title}\n`);
      return;
    }
    const scenario = await loadScenario(args.scenario);
    // The demo shows everything the tool writes.
    const formats = parseFormats(args.format ?? REPORT_FORMATS.join(","));
    const manifest = await readManifest(scenario.dir);
    const emulator = await startEmulator({ snapshotDir: scenario.dir, port: 0 });
    try {
      info(args, `Scenario ${scenario.name}: ${scenario.title}`);
      info(args, `Graph emulator on ${emulator.url}`);
      const tenant = (side: "source" | "target") => ({
        tenantId: manifest[side].tenantId,
        cloud: manifest[side].cloud,
        graphEndpoint: emulator.url,
        auth: { method: "access-token" as const, tokenEnv: "CTS_DOCTOR_DEMO_TOKEN" },
      });
      const config: Config = { source: tenant("source"), target: tenant("target") };
      const credentials = {
        source: new StaticTokenCredential(fakeToken(manifest.source.tenantId)),
        target: new StaticTokenCredential(fakeToken(manifest.target.tenantId)),
      };
      const snapshotDir = path.join(args.out, "snapshot");
      // The scenario's own collection window, so its provisioning logs fall inside it.
      const settings = { since: manifest.window.since, until: new Date(manifest.window.until), connectionTest: true };
      const key = args.redact ? redactionKey() : undefined;
      if (key) await collectRedacted(args.out, key, args, (raw) => collectWithProgress(config, raw, settings, args, credentials));
      else await collectWithProgress(config, snapshotDir, settings, args, credentials);
      const outcome = await analyzeSnapshot(snapshotDir, args.out, formats, parseSeverity("high"), { excel: args.excel });
      for (const line of summaryLines(outcome.report, args)) info(args, line);
      info(args, `Open ${path.resolve(args.out, "report.html")} in a browser.`);
      for (const f of outcome.files) process.stdout.write(`${f}\n`);
    } finally {
      await emulator.close();
    }
  },
};
