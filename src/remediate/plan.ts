// The plan builder: failing results + the fix registry → ordered, merged Graph requests with preconditions. Runs nothing.
import { readFile } from "node:fs/promises";
import { CtsError } from "../errors.js";
import type { RuleResult } from "../engine/types.js";
import type { Pair } from "../model/pair.js";
import { isResettingRestart, isUserChange } from "./plan-risk.js";
import type { FixBuilder, FixOptions, Plan, PlanStep, StepDraft } from "./types.js";

export interface PlanInput {
  pair: Pair;
  results: readonly RuleResult[];
  /** The fix registry (rules/fixes.ts); handed in so src/ never imports rules/. */
  fixes: ReadonlyMap<string, FixBuilder>;
  options: FixOptions & { rules?: string[]; allowRestart?: boolean; includeUserChanges?: boolean };
  configPath?: string;
  snapshotDir?: string;
  now?: Date;
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

/** Deep merge of two request bodies (two fixes asking for different properties of one resource). */
export function mergeBodies(a: unknown, b: unknown): unknown {
  if (isObject(a) && isObject(b)) {
    const out: Record<string, unknown> = { ...a };
    for (const [k, v] of Object.entries(b)) out[k] = k in out ? mergeBodies(out[k], v) : v;
    return out;
  }
  return b === undefined ? a : b;
}

function uniqueChecks<T extends { path: string }>(list: T[]): T[] {
  const seen = new Set<string>();
  return list.filter((c) => {
    const key = JSON.stringify(c);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

interface Draft {
  draft: StepDraft;
  ruleIds: string[];
}

/** One request per resource and method: fixes that touch the same record (a missing partner, the secrets) merge. */
function mergeDrafts(drafts: Draft[]): Draft[] {
  const out: Draft[] = [];
  const byKey = new Map<string, Draft>();
  for (const d of drafts) {
    const key = d.draft.mergeKey;
    const prior = key ? byKey.get(key) : undefined;
    if (!prior) {
      const copy = { draft: { ...d.draft }, ruleIds: [...d.ruleIds] };
      if (key) byKey.set(key, copy);
      out.push(copy);
      continue;
    }
    const p = prior.draft;
    p.body = mergeBodies(p.body, d.draft.body);
    if (p.upsert && d.draft.upsert)
      p.upsert = { ...p.upsert, createBody: mergeBodies(p.upsert.createBody, d.draft.upsert.createBody) as Record<string, unknown> };
    if (p.secrets && d.draft.secrets) p.secrets = { ...p.secrets, set: { ...p.secrets.set, ...d.draft.secrets.set } };
    if (d.draft.version === "beta") p.version = "beta";
    if (p.undo && d.draft.version === "beta") p.undo = { ...p.undo, version: "beta" };
    p.precondition = uniqueChecks([...p.precondition, ...d.draft.precondition]);
    p.effect = uniqueChecks([...p.effect, ...d.draft.effect]);
    p.summary = p.summary === d.draft.summary ? p.summary : `${p.summary} ${d.draft.summary}`;
    p.order = Math.min(p.order, d.draft.order);
    p.tenantWide = p.tenantWide || d.draft.tenantWide;
    for (const id of d.ruleIds) if (!prior.ruleIds.includes(id)) prior.ruleIds.push(id);
  }
  return out;
}

/** Why a draft is left out of the plan under these options (tenant-wide, resetting restart, user change), if it is. */
function heldBack(draft: StepDraft, options: PlanInput["options"]): string | undefined {
  if (draft.tenantWide && !options.allowTenantWide) return "changes a tenant-wide setting: plan with --allow-tenant-wide";
  if (isResettingRestart(draft) && !options.allowRestart) return "restarts the job with resetScope (irreversible): plan with --allow-restart";
  if (isUserChange(draft) && !options.includeUserChanges)
    return `changes a user's account (${draft.summary.replace(/^Source: /, "")}): plan with --include-user-changes`;
  return undefined;
}

/** The drafts one failing result's fix proposes; what it cannot propose, or the options hold back, goes to notPlanned. */
function draftsFor(result: RuleResult, input: PlanInput, notPlanned: Plan["notPlanned"]): Draft[] {
  const { pair, fixes, options } = input;
  const builder = fixes.get(result.ruleId);
  if (!builder) {
    notPlanned.push({ ruleId: result.ruleId, reason: "no automatic fix: see the rule's fix in the report" });
    return [];
  }
  let outcome;
  try {
    outcome = builder({ pair, result, options });
  } catch (err) {
    notPlanned.push({ ruleId: result.ruleId, reason: `fix could not be built: ${(err as Error).message}` });
    return [];
  }
  if ("skipped" in outcome) {
    notPlanned.push({ ruleId: result.ruleId, reason: outcome.skipped });
    return [];
  }
  const drafts: Draft[] = [];
  for (const draft of outcome.steps) {
    const reason = heldBack(draft, options);
    if (reason) notPlanned.push({ ruleId: result.ruleId, reason });
    else drafts.push({ draft, ruleIds: [result.ruleId] });
  }
  return drafts;
}

/** Build the remediation plan for the failing rules that have a fix. */
export function buildPlan(input: PlanInput): Plan {
  const { pair, results, options } = input;
  const wanted = options.rules?.length ? new Set(options.rules) : undefined;
  const notPlanned: Plan["notPlanned"] = [];
  const drafts = results.filter((r) => r.status === "fail" && (!wanted || wanted.has(r.ruleId))).flatMap((r) => draftsFor(r, input, notPlanned));
  // Stable sort by order: within one kind, steps keep the registry's rule order.
  const merged = mergeDrafts(drafts).sort((a, b) => a.draft.order - b.draft.order);
  const width = String(merged.length).length;
  const steps: PlanStep[] = merged.map(({ draft, ruleIds }, i) => {
    const rest: Omit<StepDraft, "mergeKey"> & Partial<StepDraft> = { ...draft };
    delete rest.mergeKey;
    return {
      id: `${String(i + 1).padStart(Math.max(2, width), "0")}-${ruleIds[0]}`,
      ruleIds,
      tenantId: draft.tenant === "source" ? pair.source.tenantId : pair.target.tenantId,
      url: `/${draft.version}${draft.path}`,
      ...rest,
    };
  });
  return {
    kind: "cts-doctor.remediation-plan",
    schemaVersion: 1,
    createdAt: (input.now ?? new Date()).toISOString(),
    source: { tenantId: pair.source.tenantId, cloud: pair.source.cloud },
    target: { tenantId: pair.target.tenantId, cloud: pair.target.cloud },
    ...(input.configPath ? { configPath: input.configPath } : {}),
    ...(input.snapshotDir ? { snapshotDir: input.snapshotDir } : {}),
    options: {
      allowTenantWide: options.allowTenantWide,
      allowRestart: options.allowRestart === true,
      includeUserChanges: options.includeUserChanges === true,
      ...(options.rules?.length ? { rules: options.rules } : {}),
    },
    before: results.map((r) => ({ ruleId: r.ruleId, status: r.status, findings: r.findings.length })),
    steps,
    notPlanned,
  };
}

/** What apply decides from the live read, in a few words after the URL: a person approving must not be surprised. */
export function liveNote(step: PlanStep): string {
  if (step.upsert) return step.upsert.existed ? " (PUT instead if the live read answers 404)" : " (PATCH instead if the live read finds it)";
  if (step.secrets) return ` (every live secret sent back; ${step.secrets.key} ${Object.keys(step.secrets.set).join(", ")} changed)`;
  return "";
}

/** "PATCH /v1.0/policies/… (source 1fd6…): summary" lines for the terminal. */
export function describePlan(plan: Plan): string[] {
  const lines = plan.steps.map((s) => `  ${s.id}  ${s.tenant.padEnd(6)} ${s.method.padEnd(5)} ${s.url}${liveNote(s)}\n        ${s.summary} [${s.permission}]`);
  for (const n of plan.notPlanned) lines.push(`  not planned: ${n.ruleId}: ${n.reason}`);
  return lines;
}

/** Read a plan file written by `remediate plan` (or an undo plan); anything else is a usage error. */
export async function readPlan(file: string): Promise<Plan> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, "utf8"));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new CtsError("USAGE", `plan ${file}: ${code === "ENOENT" ? "file not found" : code ? `unreadable (${code})` : "not valid JSON"}`);
  }
  const plan = raw as Partial<Plan> | null;
  if (plan?.kind !== "cts-doctor.remediation-plan" || plan.schemaVersion !== 1 || !Array.isArray(plan.steps) || !plan.source || !plan.target) {
    throw new CtsError("USAGE", `plan ${file}: not a cts-doctor remediation plan (schemaVersion 1)`);
  }
  return plan as Plan;
}
