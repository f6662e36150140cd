// `remediate plan` (failing rules → Graph requests, nothing runs) and `remediate apply` (journaled, verified writes).
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { createInterface } from "node:readline/promises";
import type { TokenCredential } from "@azure/core-auth";
import type { CommandModule } from "yargs";
import { fixRegistry } from "../../rules/fixes.js";
import { ruleList } from "../../rules/index.js";
import { loadConfig } from "../config/load.js";
import type { Config } from "../config/schema.js";
import { runRules } from "../engine/run.js";
import { CtsError, ExitCode } from "../errors.js";
import type { GraphApi } from "../graph/client.js";
import { openSnapshot } from "../app/snapshot.js";
import { applyPlan, type ApplyResult } from "../remediate/apply.js";
import { checkPair, checkTenant, remediationCredential, writeClient } from "../remediate/clients.js";
import { buildPlan, describePlan, liveNote, readPlan } from "../remediate/plan.js";
import { planMarkdown } from "../remediate/plan-md.js";
import { planWarnings } from "../remediate/plan-risk.js";
import type { Plan, PlanStep } from "../remediate/types.js";
import { verifyPlan } from "../remediate/verify.js";
import type { TenantSide } from "../snapshot/facets.js";
import { writeFileAtomic } from "../snapshot/store.js";
import { collectWithProgress } from "./collect.js";
import { unreachableError } from "./reach.js";
import { didYouMean } from "./suggest.js";
import { configFromArgs, parseSince, parseUntil, type ConfigArgs, type GlobalArgs } from "./options.js";
import { info, type Output } from "./output.js";

type PlanArgs = GlobalArgs &
  Partial<ConfigArgs> & {
    snapshot?: string;
    out: string;
    rules?: string;
    allowTenantWide: boolean;
    allowRestart?: boolean;
    includeUserChanges?: boolean;
    notificationEmail?: string;
    until?: string;
  };

type ApplyArgs = GlobalArgs & {
  plan: string;
  config?: string;
  yes: boolean;
  maxChanges?: number;
  allowReadCredentials: boolean;
  journal?: string;
  verify: boolean;
  since?: string;
  until?: string;
};

/** Injected by tests and the demo: credentials for reading and writing, so no environment is needed. */
export interface RemediateDeps {
  readCredentials?: Partial<Record<TenantSide, TokenCredential>>;
  writeCredentials?: Partial<Record<TenantSide, TokenCredential>>;
  onDemandRate?: { limit: number; windowMs: number };
  crashAfterWrites?: number;
}

export async function runPlan(args: PlanArgs, deps: RemediateDeps = {}): Promise<Plan> {
  if (Boolean(args.snapshot) === Boolean(args.config)) throw new CtsError("USAGE", "remediate plan needs either --config FILE or a SNAPSHOT_DIR (not both)");
  let snapshotDir = args.snapshot ?? "";
  let configPath: string | undefined;
  if (args.config) {
    const config = await configFromArgs(args as ConfigArgs);
    configPath = path.resolve(args.config);
    snapshotDir = `${args.out.replace(/\.json$/i, "")}.snapshot`;
    const collected = await collectWithProgress(
      config,
      snapshotDir,
      {
        since: args.since ?? config.collection?.since,
        connectionTest: args.connectionTest !== false,
        concurrency: args.concurrency,
        ...(args.until ? { until: parseUntil(args.until) } : {}),
      },
      args,
      deps.readCredentials,
    );
    if (collected.unreachable.length) throw unreachableError(config, collected.unreachable, "cannot plan");
  }
  const pair = await openSnapshot(snapshotDir);
  const results = runRules(ruleList, pair);
  const rules = args.rules
    ?.split(",")
    .map((r) => r.trim())
    .filter(Boolean);
  const known = new Set(ruleList.map((r) => r.id));
  const unknown = (rules ?? []).filter((r) => !known.has(r));
  if (unknown.length) throw new CtsError("USAGE", `--rules: unknown rule ${unknown.join(", ")}${didYouMean(unknown[0] ?? "", [...known])} (see rules list)`);
  const plan = buildPlan({
    pair,
    results,
    fixes: fixRegistry,
    options: {
      allowTenantWide: args.allowTenantWide,
      allowRestart: args.allowRestart === true,
      includeUserChanges: args.includeUserChanges === true,
      ...(args.notificationEmail ? { notificationEmail: args.notificationEmail } : {}),
      ...(rules?.length ? { rules } : {}),
    },
    ...(configPath ? { configPath } : {}),
    snapshotDir: path.resolve(snapshotDir),
  });
  await mkdir(path.dirname(path.resolve(args.out)), { recursive: true });
  await writeFileAtomic(args.out, JSON.stringify(plan, null, 2) + "\n");
  // For the change review: next to plan.json, plan.md (any other name: NAME.md).
  const review = path.join(path.dirname(args.out), `${path.basename(args.out).replace(/\.json$/i, "")}.md`);
  await writeFileAtomic(review, planMarkdown(plan, args.out));
  info(args, `${plan.steps.length} step(s) planned, nothing was changed (review: ${review}):`);
  for (const line of describePlan(plan)) info(args, line);
  for (const warning of planWarnings(plan)) info(args, `  warning: ${warning}`);
  return plan;
}

/** Ask on the terminal, once per tenant, listing what would change there. */
async function askOnTerminal(out: Output, tenant: TenantSide, tenantId: string, steps: PlanStep[]): Promise<boolean> {
  info(out, `\n${tenant} tenant ${tenantId}: ${steps.length} change(s) planned:`);
  for (const s of steps) info(out, `  ${s.method} ${s.url}${liveNote(s)} — ${s.summary}`);
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await rl.question(`Apply the changes to the ${tenant} tenant? [y/N] `);
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    rl.close();
  }
}

export interface ApplyOutcome {
  result: ApplyResult;
  exitCode: number;
  verification?: Awaited<ReturnType<typeof verifyPlan>>;
}

export async function runApply(args: ApplyArgs, deps: RemediateDeps = {}): Promise<ApplyOutcome> {
  const plan = await readPlan(args.plan);
  if (!args.yes && !process.stdin.isTTY) throw new CtsError("USAGE", "remediate apply asks before each tenant's changes; without a terminal pass --yes");
  const configFile = args.config ?? plan.configPath;
  if (!configFile) throw new CtsError("USAGE", "remediate apply needs --config FILE (the plan was made from a snapshot)");
  const config: Config = await loadConfig(configFile);
  checkPair(config, plan);
  if (args.maxChanges !== undefined && !(Number.isInteger(args.maxChanges) && args.maxChanges >= 0))
    throw new CtsError("USAGE", "--max-changes: must be a whole number ≥ 0");

  const sides = [...new Set(plan.steps.flatMap((s) => [s.tenant, s.read.tenant]))];
  const apis: Partial<Record<TenantSide, GraphApi>> = {};
  for (const side of sides) {
    // Injected credentials (tests) stand in for the config's, but the choice between them follows the same rule.
    const injected = deps.writeCredentials?.[side];
    if (injected && !config[side].remediation && !args.allowReadCredentials) remediationCredential(config[side], side, false);
    const credential = injected ?? remediationCredential(config[side], side, args.allowReadCredentials);
    await checkTenant(side, config[side], credential);
    apis[side] = writeClient(config[side], credential, config.collection?.timeoutSeconds, side);
  }
  const planDir = path.dirname(path.resolve(args.plan));
  const journalFile = args.journal ?? path.join(planDir, "journal.jsonl");
  const undoFile = path.join(planDir, `${path.basename(args.plan).replace(/\.json$/i, "")}.undo.json`);
  info(args, `Applying ${plan.steps.length} step(s) from ${args.plan} (journal ${journalFile})`);
  const result = await applyPlan(plan, {
    apis,
    journalFile,
    undoFile,
    ...(args.yes ? {} : { confirm: (tenant, tenantId, steps) => askOnTerminal(args, tenant, tenantId, steps) }),
    ...(args.maxChanges !== undefined ? { maxChanges: args.maxChanges } : {}),
    ...(deps.onDemandRate ? { onDemandRate: deps.onDemandRate } : {}),
    ...(deps.crashAfterWrites !== undefined ? { crashAfterWrites: deps.crashAfterWrites } : {}),
    log: (line) => {
      info(args, line);
    },
  });
  const counts = new Map<string, number>();
  for (const s of result.steps) counts.set(s.status, (counts.get(s.status) ?? 0) + 1);
  info(args, `${result.writes} write(s); ${[...counts].map(([k, v]) => `${v} ${k}`).join(", ") || "nothing to do"}`);
  if (result.undoFile) info(args, `Undo plan for the reversible steps: ${result.undoFile} (${result.undoSteps} step(s); apply it with remediate apply)`);

  const incomplete = result.steps.some((s) => !["applied", "in-effect"].includes(s.status));
  let verification;
  if (args.verify) {
    info(args, "Verifying: collecting both tenants again and re-running the connection test and the affected rules…");
    const snapshotDir = path.join(planDir, `after-${new Date().toISOString().replace(/[:.]/g, "-")}`);
    verification = await verifyPlan(plan, {
      config,
      ...(deps.readCredentials ? { credentials: deps.readCredentials } : {}),
      snapshotDir,
      since: parseSince(args.since ?? config.collection?.since, parseUntil(args.until)),
      ...(args.until ? { until: parseUntil(args.until) } : {}),
      rules: ruleList,
    });
    for (const line of verification.lines) info(args, `  ${line}`);
  }
  for (const s of result.steps) process.stdout.write(`${s.id}\t${s.status}${s.requestId ? `\t${s.requestId}` : ""}\n`);
  const exitCode = incomplete || (verification?.stillFailing.length ?? 0) > 0 ? ExitCode.failed : ExitCode.ok;
  process.exitCode = exitCode;
  return { result, exitCode, ...(verification ? { verification } : {}) };
}

const planCommand: CommandModule<GlobalArgs, PlanArgs> = {
  command: "plan [snapshot]",
  describe: "Write the Graph requests that fix the failing rules (nothing runs)",
  builder: (y) =>
    y
      .positional("snapshot", { type: "string", describe: "snapshot folder (instead of --config)" })
      .option("config", { type: "string", describe: "tenant-pair config: collect now, then plan" })
      .option("out", { type: "string", demandOption: true, describe: "plan file to write (plan.json)" })
      .option("rules", { type: "string", describe: "only these rule ids (comma-separated)" })
      .option("allow-tenant-wide", { type: "boolean", default: false, describe: "include tenant-wide changes (guest invite setting)" })
      .option("allow-restart", {
        type: "boolean",
        default: false,
        describe: "include job restarts with resetScope (irreversible: a full initial cycle, escrows dropped)",
      })
      .option("include-user-changes", { type: "boolean", default: false, describe: "include per-user changes (SMS sign-in on a user's phone method)" })
      .option("notification-email", { type: "string", describe: "recipient for failure notifications when the configuration has none" })
      .option("since", { type: "string", describe: "provisioning-log window when collecting (default 7d)" })
      .option("until", { type: "string", describe: "end of that window, ISO date-time (default now; for a replayed snapshot)" })
      .option("connection-test", { type: "boolean", default: true, describe: "run the connection test when collecting" })
      .option("concurrency", { type: "number", describe: "parallel Graph requests per tenant when collecting" }) as never,
  handler: async (args) => {
    await runPlan(args);
    process.stdout.write(`${args.out}\n`);
  },
};

const applyCommand: CommandModule<GlobalArgs, ApplyArgs> = {
  command: "apply <plan>",
  describe: "Apply a plan: re-check each step, ask per tenant, journal every request, then verify",
  builder: (y) =>
    y
      .positional("plan", { type: "string", demandOption: true, describe: "plan file from remediate plan" })
      .option("config", { type: "string", describe: "tenant-pair config (default: the one the plan was made with)" })
      .option("yes", { type: "boolean", default: false, describe: "do not ask; required without a terminal" })
      .option("max-changes", { type: "number", describe: "write at most N changes" })
      .option("allow-read-credentials", { type: "boolean", default: false, describe: "write with a tenant's read auth when it has no remediation.auth" })
      .option("journal", { type: "string", describe: "journal file (default: journal.jsonl next to the plan)" })
      .option("verify", { type: "boolean", default: true, describe: "collect again and re-run the connection test and the affected rules (--no-verify skips)" })
      .option("since", { type: "string", describe: "provisioning-log window for the verification (default 7d)" })
      .option("until", { type: "string", describe: "end of that window, ISO date-time (default now; for a replayed snapshot)" }) as never,
  handler: async (args) => {
    await runApply(args);
  },
};

export const remediateCommand: CommandModule<GlobalArgs, GlobalArgs> = {
  command: "remediate <command>",
  describe: "Plan and apply fixes for the failing rules through Microsoft Graph",
  builder: (y) =>
    y
      .command(planCommand as never)
      .command(applyCommand as never)
      .demandCommand(1, "name a subcommand: plan or apply"),
  handler: () => undefined,
};
