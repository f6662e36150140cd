// `check` for many pairs: collect → analyze → waivers → changes since the last run → reports, history and a roll-up.
import { mkdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import type { TokenCredential } from "@azure/core-auth";
import { collect, SNAPSHOT_LOCK_FILE, type CollectOptions } from "../collect/run.js";
import type { PairsConfig, PairTarget } from "../config/pairs.js";
import { inconclusiveAt } from "../engine/run.js";
import type { Severity } from "../engine/types.js";
import { describeReadError, jsonSyntaxProblem } from "../files.js";
import { CtsError, ExitCode, GraphRequestError } from "../errors.js";
import { createCredential } from "../graph/auth.js";
import { createTenantLimits, withTenantLimits, type TenantLimits } from "../graph/client.js";
import { diffRuns, findingEntries, previousFromReport, type PreviousRun } from "../history/changes.js";
import { HistoryStore } from "../history/store.js";
import type { JobStatus, Report, RuleInfo } from "../report/model.js";
import { writeReports, type ReportFormat } from "../report/write.js";
import { withLock } from "../snapshot/lock.js";
import { readFacet } from "../snapshot/store.js";
import { CLOUDS } from "../config/clouds.js";
import { TOOL_NAME, TOOL_VERSION } from "../version.js";
import { applyWaivers, type Waiver } from "../waivers/waivers.js";
import { analyzeSnapshot, ruleInfoMap } from "../app/analyze.js";
import { facetLine } from "../app/lines.js";
import { parseSince } from "../app/options.js";
import { runScheduled } from "./schedule.js";
import { writeSummary, type CheckSummary, type PairSummary } from "./summary.js";
import { pairFails, pairVerdict } from "./verdict.js";

export interface CheckOptions {
  outDir: string;
  formats: ReportFormat[];
  failOn: Severity;
  failOnNew: boolean;
  waivers: Waiver[];
  /** SQLite history file; null: keep no history. */
  historyFile: string | null;
  /** A saved report.json (or a previous --out folder with <pair>/report.json) to compare with instead of history. */
  baseline?: string;
  since?: string;
  /** End of the log window (default now): the time the snapshot is judged at (job-not-synced-recently). */
  until?: Date;
  connectionTest: boolean;
  /** Parallel Graph requests per tenant, shared by every pair that reaches the tenant. */
  concurrency?: number;
  /** Pairs checked at once. */
  parallel?: number;
  excel?: boolean;
  /** Missing data does not change the exit code (otherwise an inconclusive rule at or above failOn exits 4). */
  allowInconclusive?: boolean;
  /** Tests and the demo inject credentials by tenant key (a tenant's name in the config). */
  credentials?: ReadonlyMap<string, TokenCredential>;
  retry?: CollectOptions["retry"];
  now?: () => Date;
}

export interface CheckOutcome {
  summary: CheckSummary;
  reports: Map<string, Report>;
  files: string[];
  exitCode: number;
}

/** The source's CTS jobs for the configuration analysed, with their status codes. */
async function jobStatuses(snapshotDir: string, report: Report): Promise<JobStatus[]> {
  const sp = report.configuration?.servicePrincipalId;
  if (!sp || report.collection.facets["source.syncJobs"]?.status !== "ok") return [];
  const jobs = await readFacet(snapshotDir, "source.syncJobs");
  return (jobs[sp] ?? []).map((j) => ({ servicePrincipalId: sp, jobId: j.id, status: j.status?.code ?? "Unknown" }));
}

/** The baseline report for a pair: the file itself when its tenants match, or `<dir>/<pair>/report.json`. */
async function baselineFor(baseline: string, pair: PairTarget): Promise<PreviousRun | undefined> {
  const isDir = (await stat(baseline).catch(() => undefined))?.isDirectory();
  const file = isDir ? path.join(baseline, pair.name, "report.json") : baseline;
  let report: unknown;
  try {
    report = JSON.parse(await readFile(file, "utf8"));
  } catch (err) {
    if (isDir && (err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    // Never the parser's message: V8 quotes the start of the file in it.
    const why = err instanceof SyntaxError ? jsonSyntaxProblem(err) : describeReadError(err);
    throw new CtsError("USAGE", `--baseline ${file}: not a readable report.json (${why})`);
  }
  if (!hasResults(report)) throw new CtsError("USAGE", `--baseline ${file}: not a cts-doctor report.json (no results)`);
  const same = (a: string | undefined, b: string) => a?.toLowerCase() === b.toLowerCase();
  if (!same(tenantIdOf(report.source), pair.config.source.tenantId) || !same(tenantIdOf(report.target), pair.config.target.tenantId)) return undefined;
  return previousFromReport(report);
}

/** A saved report.json is taken for one when it has a results list; the rest is read defensively. */
function hasResults(value: unknown): value is Report {
  return typeof value === "object" && value !== null && Array.isArray((value as { results?: unknown }).results);
}

/** A tenant's id in a saved report (which may be hand-edited or from another version). */
function tenantIdOf(tenant: unknown): string | undefined {
  const id = typeof tenant === "object" && tenant !== null ? (tenant as { tenantId?: unknown }).tenantId : undefined;
  return typeof id === "string" ? id : undefined;
}

function describeError(err: unknown): { message: string; exitCode: number } {
  if (err instanceof CtsError) return { message: err.message, exitCode: err.exitCode };
  if (err instanceof GraphRequestError) return { message: `Graph error ${err.graphCode}: ${err.message}`, exitCode: ExitCode.collect };
  const message = typeof err === "object" && err !== null ? (err as { message?: unknown }).message : undefined;
  return { message: `internal error: ${typeof message === "string" ? message : String(err)}`, exitCode: ExitCode.usage };
}

/** Credentials once per tenant block, each carrying the limits of its tenant (shared by every pair that reaches it). */
function tenantCredentials(config: PairsConfig, options: CheckOptions): Map<string, TokenCredential> {
  const limitsByTenant = new Map<string, TenantLimits>();
  const perTenant = new Map<string, number>();
  const tenantOf = (key: string) => {
    const t = config.tenants.get(key);
    // parsePairsConfig resolves every pair's tenant keys, so a missing one is a bug here, not bad input.
    if (!t) throw new Error(`tenant ${key} is not in the config`);
    return `${t.tenantId.toLowerCase()}|${(t.graphEndpoint ?? CLOUDS[t.cloud].graphEndpoint).toLowerCase()}`;
  };
  for (const p of config.pairs) {
    for (const side of ["source", "target"] as const) {
      const id = tenantOf(p.tenantKeys[side]);
      const wanted = options.concurrency ?? p.config.collection?.concurrency ?? 4;
      perTenant.set(id, Math.min(perTenant.get(id) ?? wanted, wanted));
    }
  }
  for (const [id, n] of perTenant) limitsByTenant.set(id, createTenantLimits(n));
  const credentials = new Map<string, TokenCredential>();
  for (const [key, tenant] of config.tenants) {
    const base = options.credentials?.get(key) ?? createCredential(tenant, key);
    credentials.set(key, withTenantLimits(base, limitsByTenant.get(tenantOf(key)) ?? createTenantLimits(options.concurrency ?? 4)));
  }
  return credentials;
}

interface PairOutcome {
  summary: PairSummary;
  report?: Report;
  files: string[];
  exitCode: number;
}

/** Where check's progress lines go (stderr in the CLI, nowhere in tests); check itself never writes to a terminal. */
export interface CheckLog {
  info(line: string): void;
  debug(line: string): void;
}

/** What every pair of one check run shares. */
interface CheckRun {
  config: PairsConfig;
  options: CheckOptions;
  log: CheckLog;
  credentials: Map<string, TokenCredential>;
  rules: ReadonlyMap<string, RuleInfo>;
  /** The history and this run's id in it, unless history is off. */
  recorder: { store: HistoryStore; runId: number } | undefined;
  now: () => Date;
}

/**
 * Check every pair of a config; writes `<out>/<pair>/…`, the roll-up and (unless disabled) the history. Holds the lock
 * of `--out` throughout: a second check on the same folder is refused (LOCKED) rather than overwriting the reports
 * and summary.json of the first.
 */
export async function runCheck(config: PairsConfig, options: CheckOptions, log: CheckLog): Promise<CheckOutcome> {
  // Credentials first: a missing secret is a usage error, reported before anything is collected or written.
  const credentials = tenantCredentials(config, options);
  await mkdir(options.outDir, { recursive: true, mode: 0o700 });
  const notice = (line: string) => {
    log.info(`cts-doctor: ${line}`);
  };
  const lock = path.join(options.outDir, SNAPSHOT_LOCK_FILE);
  return withLock(lock, `output folder ${options.outDir}`, "check", notice, () => checkAll(config, options, log, credentials));
}

async function checkAll(config: PairsConfig, options: CheckOptions, log: CheckLog, credentials: Map<string, TokenCredential>): Promise<CheckOutcome> {
  const now = options.now ?? (() => new Date());
  const history = options.historyFile ? HistoryStore.open(options.historyFile) : undefined;
  try {
    const startedAt = now();
    const recorder = history ? { store: history, runId: history.startRun(startedAt, TOOL_VERSION) } : undefined;
    const run: CheckRun = { config, options, log, credentials, rules: ruleInfoMap(), recorder, now };
    const tasks = config.pairs.map((pair) => ({ tenants: [pair.tenantKeys.source, pair.tenantKeys.target], run: () => checkPair(run, pair) }));
    const outcomes = await runScheduled(tasks, options.parallel ?? config.parallel ?? 2);
    const summary = rollUp(outcomes, options, now);
    const summaryFiles = await writeSummary(options.outDir, summary);
    const reports = new Map(outcomes.flatMap((o) => (o.report ? [[o.summary.name, o.report] as const] : [])));
    return { summary, reports, files: [...outcomes.flatMap((o) => o.files), ...summaryFiles], exitCode: summary.exitCode };
  } finally {
    history?.close();
  }
}

/** The roll-up. Errors outrank failures, as in diagnose: a pair that could not be checked says nothing about its health. A failure outranks missing data. */
function rollUp(outcomes: readonly PairOutcome[], options: CheckOptions, now: () => Date): CheckSummary {
  const verdicts: number[] = [ExitCode.ok, ExitCode.failed, ExitCode.inconclusive];
  const errorCode = outcomes.find((o) => !verdicts.includes(o.exitCode))?.exitCode;
  const rank = [ExitCode.failed, ExitCode.inconclusive].find((code) => outcomes.some((o) => o.exitCode === code));
  return {
    generatedAt: now().toISOString(),
    tool: { name: TOOL_NAME, version: TOOL_VERSION },
    failOn: options.failOn,
    failOnNew: options.failOnNew,
    exitCode: errorCode ?? rank ?? ExitCode.ok,
    pairs: outcomes.map((o) => o.summary),
  };
}

/** A pair's summary before anything is known: an error until the check says otherwise. */
function pairBase(pair: PairTarget): PairSummary {
  return {
    name: pair.name,
    sourceTenantId: pair.config.source.tenantId.toLowerCase(),
    targetTenantId: pair.config.target.tenantId.toLowerCase(),
    verdict: "error",
    failsRun: false,
    failed: 0,
    inconclusive: 0,
    passed: 0,
    notApplicable: 0,
    waivedFindings: 0,
    expiredWaivers: 0,
    new: 0,
    resolved: 0,
    persisting: 0,
    jobTransitions: [],
    reportDir: pair.name,
  };
}

/** Collect, analyse and record one pair; any error becomes that pair's error row, never the whole run's. */
async function checkPair(run: CheckRun, pair: PairTarget): Promise<PairOutcome> {
  const dir = path.join(run.options.outDir, pair.name);
  const snapshotDir = path.join(dir, "snapshot");
  const tag = run.config.pairs.length > 1 ? `[${pair.name}] ` : "";
  const base = pairBase(pair);
  const failed = (message: string, exitCode: number): PairOutcome => {
    run.log.info(`${tag}cts-doctor: ${message}`);
    run.recorder?.store.recordPair(run.recorder.runId, {
      pair: pair.name,
      sourceTenantId: base.sourceTenantId,
      targetTenantId: base.targetTenantId,
      verdict: "error",
      error: message,
    });
    return { summary: { ...base, error: message }, files: [], exitCode };
  };
  try {
    run.log.info(`${tag}Collecting source ${pair.config.source.tenantId} and target ${pair.config.target.tenantId} into ${snapshotDir}`);
    const collected = await collect(pair.config, snapshotDir, collectOptions(run, pair, tag));
    if (collected.unreachable.length) {
      const u = collected.unreachable.map((x) => `${x.side} tenant not reachable: ${x.code}: ${x.message}`).join("; ");
      return failed(u, ExitCode.collect);
    }
    return await analysePair(run, pair, { dir, snapshotDir, tag, base });
  } catch (err) {
    const e = describeError(err);
    return failed(e.message, e.exitCode);
  }
}

/** tenantCredentials made one credential per tenant key of the config. */
function credentialOf(credentials: ReadonlyMap<string, TokenCredential>, key: string): TokenCredential {
  const credential = credentials.get(key);
  if (!credential) throw new Error(`no credential for tenant ${key}`);
  return credential;
}

/** The collection of one pair, its progress lines tagged with the pair's name when there are several. */
function collectOptions(run: CheckRun, pair: PairTarget, tag: string): CollectOptions {
  const { options, log, credentials } = run;
  return {
    since: parseSince(options.since ?? pair.config.collection?.since, options.until ?? run.now()),
    ...(options.until ? { until: options.until } : {}),
    connectionTest: options.connectionTest && pair.config.collection?.connectionTest !== false,
    ...(pair.config.collection?.timeoutSeconds ? { timeoutSeconds: pair.config.collection.timeoutSeconds } : {}),
    credentials: { source: credentialOf(credentials, pair.tenantKeys.source), target: credentialOf(credentials, pair.tenantKeys.target) },
    ...(options.retry ? { retry: options.retry } : {}),
    onFacet: (id, entry) => {
      log.info(`${tag}${facetLine(id, entry)}`);
    },
    onRequest: (side, e) => {
      log.debug(`${tag}${side} ${e.method} ${e.path} → ${e.status} (${e.ms} ms)`);
    },
    onRetry: (side, r) => {
      log.info(`${tag}  ${side}: ${r.status === "network" ? "network error" : `HTTP ${r.status}`}, retry ${r.attempt} in ${Math.round(r.waitMs / 100) / 10} s`);
    },
    onNotice: (line) => {
      log.info(`${tag}cts-doctor: ${line}`);
    },
  };
}

interface PairPlace {
  dir: string;
  snapshotDir: string;
  tag: string;
  base: PairSummary;
}

/** Analyse a collected pair: waivers, changes since the previous run, reports, history and its summary row. */
async function analysePair(run: CheckRun, pair: PairTarget, place: PairPlace): Promise<PairOutcome> {
  const { options, rules, recorder } = run;
  // No formats: the report is finished (waivers, changes) before anything is written.
  const { report } = await analyzeSnapshot(place.snapshotDir, place.dir, [], options.failOn);
  report.pair = pair.name;
  report.jobs = await jobStatuses(place.snapshotDir, report);
  applyWaivers(report, pair.name, options.waivers, run.now());
  const previous = options.baseline ? await baselineFor(options.baseline, pair) : recorder?.store.previous(pair.name, recorder.runId);
  const c = diffRuns(findingEntries(report), report.jobs, previous, options.baseline ? "baseline" : "history");
  report.changes = c;
  const files = await writeReports(report, rules, place.dir, options.formats, { excel: options.excel === true });
  const verdict = pairVerdict(report);
  recorder?.store.recordPair(recorder.runId, {
    pair: pair.name,
    sourceTenantId: place.base.sourceTenantId,
    targetTenantId: place.base.targetTenantId,
    verdict,
    report,
  });
  const failsRun = pairFails(report, options.failOn, options.failOnNew, rules);
  const lacksData = !options.allowInconclusive && report.results.some((r) => inconclusiveAt(r, options.failOn));
  const s = report.summary.byStatus;
  run.log.info(
    `${place.tag}${verdict}: ${s.fail} fail, ${s.inconclusive} inconclusive, ${s.pass} pass; ${c.new.length} new, ${c.resolved.length} resolved, ${c.persisting.length} persisting`,
  );
  const summary: PairSummary = {
    ...place.base,
    verdict,
    failsRun,
    failed: s.fail,
    inconclusive: s.inconclusive,
    passed: s.pass,
    notApplicable: s["not-applicable"],
    waivedFindings: report.results.reduce((n, r) => n + (r.waivedFindings ?? 0), 0),
    expiredWaivers: report.waivers?.expired.filter((w) => w.matched > 0).length ?? 0,
    new: c.new.length,
    resolved: c.resolved.length,
    persisting: c.persisting.length,
    jobTransitions: c.jobs.map((j) => `${j.jobId}: ${j.from} → ${j.to}`),
  };
  return { report, files, exitCode: failsRun ? ExitCode.failed : lacksData ? ExitCode.inconclusive : ExitCode.ok, summary };
}
