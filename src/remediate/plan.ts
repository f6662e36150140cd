// The plan builder: failing results + the fix registry → ordered, merged Graph requests with preconditions. Runs nothing.
import { readFile } from "node:fs/promises";
import { isDeepStrictEqual } from "node:util";
import { CtsError } from "../errors.js";
import type { RuleResult } from "../engine/types.js";
import type { Pair } from "../model/pair.js";
import type { FixBuilder, FixOptions, Plan, PlanStep, StepDraft } from "./types.js";

export interface PlanInput {
  pair: Pair;
  results: readonly RuleResult[];
  /** The fix registry (rules/fixes.ts); handed in so src/ never imports rules/. */
  fixes: ReadonlyMap<string, FixBuilder>;
  options: FixOptions & { rules?: string[] };
  configPath?: string;
  snapshotDir?: string;
  now?: Date;
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

type KeyValue = { key: string; value: unknown };
const isKeyValueList = (v: unknown): v is KeyValue[] => Array.isArray(v) && v.every((x) => isObject(x) && typeof x["key"] === "string");

function parseObject(text: unknown): Record<string, unknown> | undefined {
  if (typeof text !== "string") return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return isObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/**
 * JSON held in a string (SyncNotificationSettings) merges as the object it encodes. Both sides start from the value
 * read (`base`), so a key takes the right side's value only where the right side changed it.
 */
function mergeJsonStrings(a: unknown, b: unknown, base: unknown): unknown {
  const left = parseObject(a);
  const right = parseObject(b);
  if (!left || !right) return b;
  const original = parseObject(base) ?? {};
  const out = { ...left };
  for (const [k, v] of Object.entries(right)) if (!(k in original) || !isDeepStrictEqual(original[k], v)) out[k] = v;
  return JSON.stringify(out);
}

/**
 * Deep merge of two request bodies; `{key, value}` lists (synchronization secrets) merge by key, and `base(key)` gives
 * the value read for a key so JSON-in-string values merge three-way.
 */
export function mergeBodies(a: unknown, b: unknown, base: (key: string) => unknown = () => undefined): unknown {
  if (isKeyValueList(a) && isKeyValueList(b)) {
    const out = a.map((x) => ({ ...x }));
    for (const item of b) {
      const hit = out.find((x) => x.key.toLowerCase() === item.key.toLowerCase());
      if (hit) hit.value = mergeJsonStrings(hit.value, item.value, base(item.key));
      else out.push({ ...item });
    }
    return out;
  }
  if (isObject(a) && isObject(b)) {
    const out: Record<string, unknown> = { ...a };
    for (const [k, v] of Object.entries(b)) out[k] = k in out ? mergeBodies(out[k], v, base) : v;
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
    // A secret's value as read is what its precondition expects.
    const base = (key: string) => p.precondition.find((c) => c.path === `value[key=${key}].value`)?.equals;
    p.body = mergeBodies(p.body, d.draft.body, base);
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

/** Build the remediation plan for the failing rules that have a fix. */
export function buildPlan(input: PlanInput): Plan {
  const { pair, results, fixes, options } = input;
  const wanted = options.rules?.length ? new Set(options.rules) : undefined;
  const drafts: Draft[] = [];
  const notPlanned: Plan["notPlanned"] = [];
  for (const result of results) {
    if (result.status !== "fail") continue;
    if (wanted && !wanted.has(result.ruleId)) continue;
    const builder = fixes.get(result.ruleId);
    if (!builder) {
      notPlanned.push({ ruleId: result.ruleId, reason: "no automatic fix: see the rule's fix in the report" });
      continue;
    }
    let outcome;
    try {
      outcome = builder({ pair, result, options });
    } catch (err) {
      notPlanned.push({ ruleId: result.ruleId, reason: `fix could not be built: ${(err as Error).message}` });
      continue;
    }
    if ("skipped" in outcome) {
      notPlanned.push({ ruleId: result.ruleId, reason: outcome.skipped });
      continue;
    }
    for (const draft of outcome.steps) {
      if (draft.tenantWide && !options.allowTenantWide) {
        notPlanned.push({ ruleId: result.ruleId, reason: "changes a tenant-wide setting: plan with --allow-tenant-wide" });
        continue;
      }
      drafts.push({ draft, ruleIds: [result.ruleId] });
    }
  }
  // Stable sort by order: within one kind, steps keep the registry's rule order.
  const merged = mergeDrafts(drafts).sort((a, b) => a.draft.order - b.draft.order);
  const width = String(merged.length).length;
  const steps: PlanStep[] = merged.map(({ draft, ruleIds }, i) => {
    const { mergeKey: _mergeKey, ...rest } = draft;
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
    options: { allowTenantWide: options.allowTenantWide, ...(options.rules?.length ? { rules: options.rules } : {}) },
    before: results.map((r) => ({ ruleId: r.ruleId, status: r.status, findings: r.findings.length })),
    steps,
    notPlanned,
  };
}

/** "PATCH /v1.0/policies/… (source 1fd6…): summary" lines for the terminal. */
export function describePlan(plan: Plan): string[] {
  const lines = plan.steps.map((s) => `  ${s.id}  ${s.tenant.padEnd(6)} ${s.method.padEnd(5)} ${s.url}\n        ${s.summary} [${s.permission}]`);
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
  const plan = raw as Partial<Plan>;
  if (plan?.kind !== "cts-doctor.remediation-plan" || plan.schemaVersion !== 1 || !Array.isArray(plan.steps) || !plan.source || !plan.target) {
    throw new CtsError("USAGE", `plan ${file}: not a cts-doctor remediation plan (schemaVersion 1)`);
  }
  return plan as Plan;
}
