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
  const { undo: _undo, paced: _paced, upsert: _upsert, secrets: _secrets, ...rest } = step;
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

async function applyLocked(plan: Plan, options: ApplyOptions): Promise<ApplyResult> {
  const journal = new Journal(options.journalFile);
  const run = randomUUID();
  const pid = planId(plan);
  const log = options.log ?? (() => undefined);
  const rate = options.onDemandRate ?? { limit: 5, windowMs: 10_000 };
  const pacer = new RatePacer(rate.limit, rate.windowMs);
  const base = (step: string) => ({ at: new Date().toISOString(), run, plan: pid, step });
  const reports: StepReport[] = [];
  const approved = new Map<TenantSide, boolean>();
  let writes = 0;

  for (const step of plan.steps) {
    const report = (status: StepStatus, detail: string, requestId?: string) => {
      reports.push({ id: step.id, tenant: step.tenant, status, detail, ...(requestId ? { requestId } : {}) });
      log(`  ${status.padEnd(13)} ${step.id}: ${detail}`);
    };
    const api = options.apis[step.tenant];
    const readApi = options.apis[step.read.tenant];
    if (!api || !readApi) {
      report("failed", `no client for the ${!api ? step.tenant : step.read.tenant} tenant`);
      continue;
    }
    let state: ReadState;
    try {
      state = await readState(readApi, step.read);
    } catch (err) {
      const e = err instanceof GraphRequestError ? err : undefined;
      // The secrets PUT replaces every key: without the live list it would drop what the snapshot did not keep.
      const refusal = step.secrets ? "; the secrets PUT replaces every key, so it is never sent from the snapshot" : "";
      const detail = `could not read ${step.read.path}: ${describeError(err)}${refusal}`;
      journal.append({ ...base(step.id), type: "skip", reason: "read-failed", detail, ...(e?.requestId ? { readRequestId: e.requestId } : {}) });
      report(step.secrets ? "refused" : "failed", detail, e?.requestId);
      continue;
    }
    const pending = journal.pendingIntent(pid, step.id);
    if (allHold(state.doc, step.effect)) {
      // Also how an interrupted run is resolved: the write it sent took effect, so it is never sent again.
      const detail = pending ? "already in effect (written by an interrupted run)" : "already in effect";
      journal.append({
        ...base(step.id),
        type: "skip",
        reason: "in-effect",
        detail,
        resolvesIntent: pending !== undefined,
        ...(state.requestId ? { readRequestId: state.requestId } : {}),
      });
      report("in-effect", detail);
      continue;
    }
    // Actions (provisionOnDemand, start/restart, disableSmsSignIn) are carried out by the service afterwards: one the
    // service already accepted is not sent again because its effect is not visible yet.
    const accepted = step.method === "POST" ? journal.succeeded(pid, step.id) : undefined;
    if (accepted !== undefined) {
      const detail = `accepted by the service in an earlier run${accepted ? ` (request-id ${accepted})` : ""}; its effect is not visible yet`;
      journal.append({ ...base(step.id), type: "skip", reason: "in-effect", detail, ...(state.requestId ? { readRequestId: state.requestId } : {}) });
      report("in-effect", detail);
      continue;
    }
    const live = liveRequest(step, state.doc);
    if ("refused" in live) {
      journal.append({
        ...base(step.id),
        type: "skip",
        reason: "refused",
        detail: live.refused,
        ...(state.requestId ? { readRequestId: state.requestId } : {}),
      });
      report("refused", live.refused);
      continue;
    }
    if (live.checkPrecondition && !allHold(state.doc, step.precondition)) {
      const detail = `state changed since the plan: ${describeMismatch(state.doc, step.precondition)}${pending ? " (an interrupted run wrote here; check by hand)" : ""}`;
      journal.append({ ...base(step.id), type: "skip", reason: "drift", detail, ...(state.requestId ? { readRequestId: state.requestId } : {}) });
      report("drift", detail);
      continue;
    }
    if (!approved.has(step.tenant)) {
      const tenantSteps = plan.steps.filter((s) => s.tenant === step.tenant);
      approved.set(step.tenant, options.confirm ? await options.confirm(step.tenant, step.tenantId, tenantSteps) : true);
    }
    if (!approved.get(step.tenant)) {
      journal.append({ ...base(step.id), type: "skip", reason: "declined", detail: `not approved for the ${step.tenant} tenant` });
      report("declined", `not approved for the ${step.tenant} tenant`);
      continue;
    }
    if (options.maxChanges !== undefined && writes >= options.maxChanges) {
      journal.append({ ...base(step.id), type: "skip", reason: "max-changes", detail: `--max-changes ${options.maxChanges} reached` });
      report("max-changes", `not applied: --max-changes ${options.maxChanges} reached`);
      continue;
    }

    if (step.paced === "provisionOnDemand") await pacer.acquire();
    const clientRequestId = randomUUID();
    const journalBody = live.journalBody ?? live.body;
    journal.append({
      ...base(step.id),
      type: "intent",
      request: {
        tenant: step.tenant,
        tenantId: step.tenantId,
        method: live.method,
        url: step.url,
        ...(journalBody !== undefined ? { body: journalBody } : {}),
      },
      clientRequestId,
      before: valuesAt(journalView(step, state.doc), [...step.precondition, ...step.effect]),
      ...(live.note ? { note: live.note } : {}),
    });
    writes++;
    let status = 0;
    let requestId: string | undefined;
    let error: { code: string; message: string } | undefined;
    try {
      const r = await api.call<unknown>(live.method, step.path, {
        version: step.version,
        headers: { "client-request-id": clientRequestId },
        ...(live.body !== undefined ? { body: live.body } : {}),
      });
      status = r.status;
      requestId = r.requestId;
    } catch (err) {
      const e = err instanceof GraphRequestError ? err : new GraphRequestError({ status: 0, graphCode: "Error", message: (err as Error).message });
      status = e.status;
      requestId = e.requestId;
      error = { code: e.graphCode, message: e.message };
    }
    if (options.crashAfterWrites !== undefined && writes >= options.crashAfterWrites)
      throw new SimulatedCrash(`simulated crash after write ${writes} (${step.id})`);

    // Whatever the answer, the state decides: a dropped connection may hide a write that happened.
    let after: ReadState | undefined;
    try {
      after = await readState(readApi, step.read);
    } catch {
      after = undefined;
    }
    const inEffect = after !== undefined && allHold(after.doc, step.effect);
    journal.append({
      ...base(step.id),
      type: "outcome",
      ok: !error,
      status,
      ...(requestId ? { requestId } : {}),
      clientRequestId,
      ...(error ? { error } : {}),
      ...(after ? { after: valuesAt(journalView(step, after.doc), [...step.precondition, ...step.effect]) } : {}),
      inEffect,
    });
    if (error && !inEffect)
      report("failed", `${status || "no answer"} ${error.code}: ${error.message}${status === 403 ? ` (grant ${step.permission})` : ""}`, requestId);
    else if (!inEffect)
      report("not-in-effect", `written (${status}), but ${after ? describeMismatch(after.doc, step.effect) : "the state could not be read back"}`, requestId);
    else report("applied", `${live.method} ${step.url} → ${status || "state shows it applied"}${live.note ? ` (${live.note})` : ""}`, requestId);
  }

  const undo = writeUndo(plan, journal, pid);
  if (options.undoFile && undo.length) {
    const undoPlan: Plan = { ...plan, createdAt: new Date().toISOString(), steps: undo, notPlanned: [], before: [] };
    await writeFileAtomic(options.undoFile, JSON.stringify(undoPlan, null, 2) + "\n");
  }
  return { steps: reports, writes, ...(options.undoFile && undo.length ? { undoFile: options.undoFile } : {}), undoSteps: undo.length };
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
