// Applying a plan: re-read each step's state, skip what is in effect or drifted, write, journal, and build the undo plan.
import { randomUUID } from "node:crypto";
import { GraphRequestError } from "../errors.js";
import type { GraphApi } from "../graph/client.js";
import { RatePacer } from "../graph/limiter.js";
import { withLock } from "../snapshot/lock.js";
import { writeFileAtomic } from "../snapshot/store.js";
import type { TenantSide } from "../snapshot/facets.js";
import { allHold, describeMismatch, isSimplePath, setPath, valuesAt } from "./checks.js";
import { Journal, planId, type JournalEntry } from "./journal.js";
import { journalView, liveRequest, secretsUndo } from "./live.js";
import type { Plan, PlanStep, SecretsChange, StateRead } from "./types.js";

export type StepStatus = "applied" | "in-effect" | "drift" | "refused" | "failed" | "declined" | "max-changes" | "not-in-effect";

export interface StepReport {
  id: string;
  tenant: TenantSide;
  status: StepStatus;
  detail: string;
  requestId?: string;
}

export interface ApplyOptions {
  /** Write-capable clients per tenant (the remediation credentials). */
  apis: Partial<Record<TenantSide, GraphApi>>;
  journalFile: string;
  /** Where the undo plan for reversible steps is written (rewritten after every step). */
  undoFile?: string;
  /** Asked once per tenant before its first write; absent = approved (--yes). */
  confirm?: (tenant: TenantSide, tenantId: string, steps: PlanStep[]) => Promise<boolean>;
  /** Stop after this many writes; the remaining steps are reported as not applied. */
  maxChanges?: number;
  /** provisionOnDemand pacing (default 5 per 10 s, the documented limit). */
  onDemandRate?: { limit: number; windowMs: number };
  log?: (line: string) => void;
  /** Test hook: behave as if killed right after the Nth write was answered, before its outcome is journaled. */
  crashAfterWrites?: number;
}

export interface ApplyResult {
  steps: StepReport[];
  writes: number;
  undoFile?: string;
  undoSteps: number;
}

/** Thrown by the crash hook; nothing after the write is recorded, as when the process is killed. */
export class SimulatedCrash extends Error {}

interface ReadState {
  doc: unknown;
  requestId?: string;
}

async function readOn(api: GraphApi, path: string, version: StateRead["version"]): Promise<ReadState> {
  try {
    const r = await api.call<unknown>("GET", path, { version });
    return { doc: r.body ?? null, ...(r.requestId ? { requestId: r.requestId } : {}) };
  } catch (err) {
    // 404 is how Graph says a partner record or sync policy does not exist: the state is "absent".
    if (err instanceof GraphRequestError && err.status === 404) return { doc: null, ...(err.requestId ? { requestId: err.requestId } : {}) };
    throw err;
  }
}

const describeError = (err: unknown): string => (err instanceof GraphRequestError ? `${err.status} ${err.graphCode}: ${err.message}` : (err as Error).message);

/** The state on the read's version, or on its fallback version when that one cannot be read (both named if neither can). */
async function readState(api: GraphApi, read: StateRead): Promise<ReadState> {
  try {
    return await readOn(api, read.path, read.version);
  } catch (err) {
    if (!read.fallbackVersion) throw err;
    try {
      return await readOn(api, read.path, read.fallbackVersion);
    } catch (second) {
      throw new Error(`${read.version}: ${describeError(err)}; ${read.fallbackVersion}: ${describeError(second)}`);
    }
  }
}

/** The reverse of an applied step, from the state journaled before it. */
export function undoStep(step: PlanStep, intent: Extract<JournalEntry, { type: "intent" }>): PlanStep | undefined {
  const spec = step.undo;
  if (!spec) return undefined;
  let method = spec.method;
  let body: unknown = spec.body;
  let effect = step.precondition;
  let secrets: SecretsChange | undefined;
  if (spec.restore === "paths") {
    const restored = step.precondition.filter((c) => isSimplePath(c.path));
    effect = restored.map((c) => ({ path: c.path, equals: intent.before[c.path] ?? null }));
    // An upsert that created the resource is undone by deleting it; one that updated it by PATCHing the values back.
    if (step.upsert && intent.request.method === "PUT") method = "DELETE";
    else {
      const out: Record<string, unknown> = {};
      for (const c of restored) setPath(out, c.path, intent.before[c.path] ?? null);
      body = out;
    }
  } else if (spec.restore === "secrets") {
    if (!step.secrets) return undefined;
    ({ secrets, effect } = secretsUndo(step.secrets, intent.before));
  }
  // The undo is a plain write: it has no undo, pacing, upsert or secrets merge of its own (secrets set again below).
  const rest: Omit<PlanStep, "undo" | "paced" | "upsert" | "secrets"> & Partial<PlanStep> = { ...step };
  delete rest.undo;
  delete rest.paced;
  delete rest.upsert;
  delete rest.secrets;
  return {
    ...rest,
    id: `undo-${step.id}`,
    method,
    version: spec.version,
    path: spec.path,
    url: `/${spec.version}${spec.path}`,
    ...(body !== undefined && method !== "DELETE" ? { body } : { body: undefined }),
    ...(secrets ? { secrets } : {}),
    summary: `Undo: ${step.summary}`,
    precondition: step.effect,
    effect,
  };
}

/** The lock beside a journal: two applies of one plan at once would both write every step. */
export const journalLockFile = (journalFile: string): string => `${journalFile}.lock`;

/** Apply the plan holding its journal's lock; a second apply of it meanwhile is refused with LOCKED. */
export async function applyPlan(plan: Plan, options: ApplyOptions): Promise<ApplyResult> {
  const notice = (line: string) => {
    (options.log ?? (() => undefined))(`cts-doctor: ${line}`);
  };
  return withLock(journalLockFile(options.journalFile), `journal ${options.journalFile}`, "remediate apply", notice, () => applyLocked(plan, options));
}

/** What one apply run carries from step to step. */
interface ApplyRun {
  plan: Plan;
  options: ApplyOptions;
  journal: Journal;
  run: string;
  pid: string;
  log: (line: string) => void;
  pacer: RatePacer;
  reports: StepReport[];
  approved: Map<TenantSide, boolean>;
  writes: number;
}

type SkipReason = Extract<JournalEntry, { type: "skip" }>["reason"];

/** The fields every journal entry of a step starts with. */
const entryBase = (ctx: ApplyRun, step: PlanStep) => ({ at: new Date().toISOString(), run: ctx.run, plan: ctx.pid, step: step.id });

function report(ctx: ApplyRun, step: PlanStep, status: StepStatus, detail: string, requestId?: string): void {
  ctx.reports.push({ id: step.id, tenant: step.tenant, status, detail, ...(requestId ? { requestId } : {}) });
  ctx.log(`  ${status.padEnd(13)} ${step.id}: ${detail}`);
}

/** Journal a skip (with the read's request id when there was one) and report it. */
function skip(ctx: ApplyRun, step: PlanStep, reason: SkipReason, status: StepStatus, detail: string, state?: ReadState, extra: object = {}): void {
  ctx.journal.append({ ...entryBase(ctx, step), type: "skip", reason, detail, ...extra, ...(state?.requestId ? { readRequestId: state.requestId } : {}) });
  report(ctx, step, status, detail);
}

async function applyLocked(plan: Plan, options: ApplyOptions): Promise<ApplyResult> {
  const rate = options.onDemandRate ?? { limit: 5, windowMs: 10_000 };
  const ctx: ApplyRun = {
    plan,
    options,
    journal: new Journal(options.journalFile),
    run: randomUUID(),
    pid: planId(plan),
    log: options.log ?? (() => undefined),
    pacer: new RatePacer(rate.limit, rate.windowMs),
    reports: [],
    approved: new Map(),
    writes: 0,
  };
  for (const step of plan.steps) await applyStep(ctx, step);

  const undo = writeUndo(plan, ctx.journal, ctx.pid);
  if (options.undoFile && undo.length) {
    const undoPlan: Plan = { ...plan, createdAt: new Date().toISOString(), steps: undo, notPlanned: [], before: [] };
    await writeFileAtomic(options.undoFile, JSON.stringify(undoPlan, null, 2) + "\n");
  }
  return { steps: ctx.reports, writes: ctx.writes, ...(options.undoFile && undo.length ? { undoFile: options.undoFile } : {}), undoSteps: undo.length };
}

/** One step: read its state, skip it when that says so, else write it and journal the outcome. */
async function applyStep(ctx: ApplyRun, step: PlanStep): Promise<void> {
  const api = ctx.options.apis[step.tenant];
  const readApi = ctx.options.apis[step.read.tenant];
  if (!api || !readApi) {
    report(ctx, step, "failed", `no client for the ${!api ? step.tenant : step.read.tenant} tenant`);
    return;
  }
  let state: ReadState;
  try {
    state = await readState(readApi, step.read);
  } catch (err) {
    const e = err instanceof GraphRequestError ? err : undefined;
    // The secrets PUT replaces every key: without the live list it would drop what the snapshot did not keep.
    const refusal = step.secrets ? "; the secrets PUT replaces every key, so it is never sent from the snapshot" : "";
    const detail = `could not read ${step.read.path}: ${describeError(err)}${refusal}`;
    ctx.journal.append({ ...entryBase(ctx, step), type: "skip", reason: "read-failed", detail, ...(e?.requestId ? { readRequestId: e.requestId } : {}) });
    report(ctx, step, step.secrets ? "refused" : "failed", detail, e?.requestId);
    return;
  }
  const pending = ctx.journal.pendingIntent(ctx.pid, step.id);
  if (inEffectAlready(ctx, step, state, pending !== undefined)) return;
  const live = liveRequest(step, state.doc);
  if ("refused" in live) {
    skip(ctx, step, "refused", "refused", live.refused, state);
    return;
  }
  if (live.checkPrecondition && !allHold(state.doc, step.precondition)) {
    const detail = `state changed since the plan: ${describeMismatch(state.doc, step.precondition)}${pending ? " (an interrupted run wrote here; check by hand)" : ""}`;
    skip(ctx, step, "drift", "drift", detail, state);
    return;
  }
  if (!(await mayWrite(ctx, step))) return;
  await writeStep(ctx, step, { api, readApi }, state, live);
}

/** True (and journaled) when the step's effect already holds, or the service already accepted its action. */
function inEffectAlready(ctx: ApplyRun, step: PlanStep, state: ReadState, pending: boolean): boolean {
  if (allHold(state.doc, step.effect)) {
    // Also how an interrupted run is resolved: the write it sent took effect, so it is never sent again.
    skip(ctx, step, "in-effect", "in-effect", pending ? "already in effect (written by an interrupted run)" : "already in effect", state, {
      resolvesIntent: pending,
    });
    return true;
  }
  // Actions (provisionOnDemand, start/restart, disableSmsSignIn) are carried out by the service afterwards: one the
  // service already accepted is not sent again because its effect is not visible yet.
  const accepted = step.method === "POST" ? ctx.journal.succeeded(ctx.pid, step.id) : undefined;
  if (accepted === undefined) return false;
  const detail = `accepted by the service in an earlier run${accepted ? ` (request-id ${accepted})` : ""}; its effect is not visible yet`;
  skip(ctx, step, "in-effect", "in-effect", detail, state);
  return true;
}

/** The tenant's approval (asked once, before its first write) and the --max-changes budget; a refusal is journaled. */
async function mayWrite(ctx: ApplyRun, step: PlanStep): Promise<boolean> {
  const { options } = ctx;
  if (!ctx.approved.has(step.tenant)) {
    const tenantSteps = ctx.plan.steps.filter((s) => s.tenant === step.tenant);
    ctx.approved.set(step.tenant, options.confirm ? await options.confirm(step.tenant, step.tenantId, tenantSteps) : true);
  }
  if (!ctx.approved.get(step.tenant)) {
    skip(ctx, step, "declined", "declined", `not approved for the ${step.tenant} tenant`);
    return false;
  }
  if (options.maxChanges !== undefined && ctx.writes >= options.maxChanges) {
    ctx.journal.append({ ...entryBase(ctx, step), type: "skip", reason: "max-changes", detail: `--max-changes ${options.maxChanges} reached` });
    report(ctx, step, "max-changes", `not applied: --max-changes ${options.maxChanges} reached`);
    return false;
  }
  return true;
}

type LiveWrite = Exclude<ReturnType<typeof liveRequest>, { refused: string }>;

interface WriteAnswer {
  status: number;
  requestId?: string;
  error?: { code: string; message: string };
}

/** Send the write; an error is an answer too (the state read back decides what happened). */
async function send(api: GraphApi, step: PlanStep, live: LiveWrite, clientRequestId: string): Promise<WriteAnswer> {
  try {
    const r = await api.call<unknown>(live.method, step.path, {
      version: step.version,
      headers: { "client-request-id": clientRequestId },
      ...(live.body !== undefined ? { body: live.body } : {}),
    });
    return { status: r.status, ...(r.requestId ? { requestId: r.requestId } : {}) };
  } catch (err) {
    const e = err instanceof GraphRequestError ? err : new GraphRequestError({ status: 0, graphCode: "Error", message: (err as Error).message });
    return { status: e.status, ...(e.requestId ? { requestId: e.requestId } : {}), error: { code: e.graphCode, message: e.message } };
  }
}

/** Journal the intent, write, read the state back, journal the outcome and report it. */
async function writeStep(ctx: ApplyRun, step: PlanStep, apis: { api: GraphApi; readApi: GraphApi }, state: ReadState, live: LiveWrite): Promise<void> {
  if (step.paced === "provisionOnDemand") await ctx.pacer.acquire();
  const clientRequestId = randomUUID();
  const journalBody = live.journalBody ?? live.body;
  const checks = [...step.precondition, ...step.effect];
  ctx.journal.append({
    ...entryBase(ctx, step),
    type: "intent",
    request: { tenant: step.tenant, tenantId: step.tenantId, method: live.method, url: step.url, ...(journalBody !== undefined ? { body: journalBody } : {}) },
    clientRequestId,
    before: valuesAt(journalView(step, state.doc), checks),
    ...(live.note ? { note: live.note } : {}),
  });
  ctx.writes++;
  const { status, requestId, error } = await send(apis.api, step, live, clientRequestId);
  if (ctx.options.crashAfterWrites !== undefined && ctx.writes >= ctx.options.crashAfterWrites)
    throw new SimulatedCrash(`simulated crash after write ${ctx.writes} (${step.id})`);

  // Whatever the answer, the state decides: a dropped connection may hide a write that happened.
  const after = await readState(apis.readApi, step.read).catch(() => undefined);
  const inEffect = after !== undefined && allHold(after.doc, step.effect);
  ctx.journal.append({
    ...entryBase(ctx, step),
    type: "outcome",
    ok: !error,
    status,
    ...(requestId ? { requestId } : {}),
    clientRequestId,
    ...(error ? { error } : {}),
    ...(after ? { after: valuesAt(journalView(step, after.doc), checks) } : {}),
    inEffect,
  });
  if (error && !inEffect)
    report(ctx, step, "failed", `${status || "no answer"} ${error.code}: ${error.message}${status === 403 ? ` (grant ${step.permission})` : ""}`, requestId);
  else if (!inEffect)
    report(
      ctx,
      step,
      "not-in-effect",
      `written (${status}), but ${after ? describeMismatch(after.doc, step.effect) : "the state could not be read back"}`,
      requestId,
    );
  else report(ctx, step, "applied", `${live.method} ${step.url} → ${status || "state shows it applied"}${live.note ? ` (${live.note})` : ""}`, requestId);
}

/** Undo steps for every reversible step that took effect under this plan (any run), last change first. */
function writeUndo(plan: Plan, journal: Journal, pid: string): PlanStep[] {
  const out: PlanStep[] = [];
  for (const step of [...plan.steps].reverse()) {
    const intent = journal.lastEffectiveIntent(pid, step.id);
    const undo = intent ? undoStep(step, intent) : undefined;
    if (undo) out.push(undo);
  }
  return out;
}
