// `trace-user`: follow one user through the chain to the target tenant, live (few targeted reads) or from a snapshot.
import type { CommandModule } from "yargs";
import { ruleList } from "../../rules/index.js";
import { EXCLUDED_CODES, lookupCode } from "../../rules/provisioning-errors/codes.js";
import { loadConfig } from "../config/load.js";
import { CtsError, ExitCode } from "../errors.js";
import { traceFromFacts, type RuleBook } from "../trace/chain.js";
import { connect, liveFacts } from "../trace/live.js";
import { renderTrace, TRACE_FORMATS, type TraceContext, type TraceFormat } from "../trace/render.js";
import { TOOL_NAME, TOOL_VERSION } from "../version.js";
import { tenantNames } from "../app/analyze.js";
import { openSnapshot, userLogEntries } from "../app/snapshot.js";
import { snapshotFacts } from "../trace/snapshot.js";
import type { CodeBook } from "../trace/logs.js";
import type { TraceFacts } from "../trace/types.js";
import { redactSecrets } from "../snapshot/redact-secrets.js";
import type { GlobalArgs } from "./options.js";
import { outputFormat, print, withOutputOption } from "./format.js";
import { debugLine, forTerminal, info } from "./output.js";

type Args = GlobalArgs & { user: string; snapshot?: string; config?: string; format: string; configuration?: string; output?: string };

/** The rule texts a trace reuses (title, fix), from the registry. */
export const ruleBook = (): RuleBook => new Map(ruleList.map((r) => [r.id, r]));

export const traceUserCommand: CommandModule<GlobalArgs, Args> = {
  command: "trace-user <user> [snapshot]",
  describe: "Trace one user (UPN, mail or object id) to the target tenant: why is this person not (correctly) there?",
  builder: (y) =>
    withOutputOption(y, "what stdout carries (overrides --format; html only through --format)")
      .positional("user", { type: "string", demandOption: true, describe: "the source user's UPN, mail or object id" })
      .positional("snapshot", { type: "string", describe: "snapshot folder to read instead of the tenants" })
      .option("config", { type: "string", describe: "tenant-pair config file: read the tenants live (read-only, a few requests)" })
      .option("format", { type: "string", default: "text", choices: [...TRACE_FORMATS], describe: "output on stdout" })
      .option("configuration", {
        type: "string",
        describe: "with --config: the source's CTS configuration for the target (service principal id or displayName)",
      }),
  handler: async (args) => {
    const output = args.output === undefined ? undefined : outputFormat(args);
    if (Boolean(args.config) === Boolean(args.snapshot))
      throw new CtsError("USAGE", "trace-user needs either --config FILE (live) or a SNAPSHOT_DIR, not both");
    let facts;
    let context: TraceContext;
    const made = { generatedAt: new Date().toISOString(), tool: `${TOOL_NAME} ${TOOL_VERSION}` };
    if (args.snapshot) {
      const pair = await openSnapshot(args.snapshot);
      const names = tenantNames(pair);
      context = { ...made, source: { tenantId: pair.source.tenantId, ...names.source }, target: { tenantId: pair.target.tenantId, ...names.target } };
      facts = snapshotFacts(pair, args.user, await userLogEntries(pair, args.snapshot, args.user));
    } else {
      const config = await loadConfig(args.config ?? "", args.configuration !== undefined ? { configuration: args.configuration } : {});
      context = { ...made, source: { tenantId: config.source.tenantId }, target: { tenantId: config.target.tenantId } };
      info(args, `Tracing ${args.user}: source ${config.source.tenantId}, target ${config.target.tenantId} (read-only)`);
      const tenants = await connect(config, {
        onRequest: (side, e) => {
          debugLine(args, `${side} ${e.method} ${e.path} → ${e.status} (${e.ms} ms)`);
        },
      });
      facts = await liveFacts(tenants, args.user);
      info(args, `Graph requests: source ${tenants.source.requestCount}, target ${tenants.target.requestCount}`);
    }
    assertUserKnown(facts, args.snapshot ? "snapshot" : "live");
    const result = traceFromFacts(facts, ruleBook(), { codes: PROVISIONING_CODE_BOOK, ...(args.config ? { configPath: args.config } : {}) });
    if (output && output !== "text" && output !== "json") {
      const rows = result.links.map((l) => ({ link: l.name, status: l.status, rules: l.ruleIds.join(" "), detail: l.detail }));
      print(output, { json: null, rows, text: () => "" });
    } else {
      const format = (output ?? args.format) as TraceFormat;
      const text = renderTrace(result, format, context);
      process.stdout.write(format === "text" ? forTerminal(text) : redactSecrets(text));
    }
    process.exitCode = result.verdict.status === "blocked" ? ExitCode.failed : ExitCode.ok;
  },
};

/**
 * A user nobody knows is a mistyped name far more often than a finding: say so in one line. A snapshot keeps only the
 * users in scope, so there a user the provisioning logs mention is still traced.
 */
function assertUserKnown(facts: TraceFacts, mode: "live" | "snapshot"): void {
  if (!facts.sourceUser.known || facts.sourceUser.value !== null) return;
  if (mode === "live") {
    throw new CtsError(
      "USAGE",
      `trace-user: no user matches "${facts.query}" in the source tenant ${facts.sourceTenantId} (looked up by object id, UPN and mail)`,
    );
  }
  if (facts.logs.known && facts.logs.value.length > 0) return;
  throw new CtsError(
    "USAGE",
    `trace-user: no user matches "${facts.query}" in the snapshot or its provisioning logs (a snapshot keeps only the users in scope; trace with --config to read the tenant)`,
  );
}

/** provisioning-errors' code table, handed to the trace (src/trace does not import rules/). */
export const PROVISIONING_CODE_BOOK: CodeBook = { lookup: lookupCode, excluded: EXCLUDED_CODES };
