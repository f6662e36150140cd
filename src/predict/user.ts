// One in-scope source user: the scoping filter, every mapped value, and the action against the matched target user.
import type { DateValue } from "../model/expression/index.js";
import type { ObjectMapping, User } from "../snapshot/graph-types.js";
import { readAttribute, type AttributeFacts } from "../model/attributes.js";
import { evaluateScope, failingClauses, scopeOutcome } from "../model/scoping.js";
import { isEmpty, sameValue, targetValue, upnComparable } from "../model/mapping-values.js";
import { desiredValue, evaluateMapping, type CompiledMapping, type Computed } from "../model/mappings.js";
import { remembered } from "../model/remembered.js";
import type { AttributeChange, UnknownAttribute, UserPrediction } from "./types.js";

export interface PredictContext {
  mapping: ObjectMapping;
  compiled: CompiledMapping[];
  now: DateValue;
  lastCycleSucceeded: boolean;
  /** The target user a source user was provisioned as (reference attributes such as manager). */
  targetIdOf(sourceId: string): string | undefined;
  /** SelectUniqueValue: whether a value already exists in the target (UPN or mail). */
  isTaken: (value: string) => boolean;
}

export interface UserInput {
  user: User;
  target?: User;
  deleted?: User;
  matchedBy?: string;
  facts: AttributeFacts;
}

/** The provisioning logs' text for a RedundantExport skip. */
export const NO_CHANGE_TEXT = "The state of the user in both the source and target systems already match. No change was exported.";

const compute = (m: CompiledMapping, input: UserInput, ctx: PredictContext): Computed => evaluateMapping(m, input.user, input.facts, ctx);

/** The scoping clauses as the logs' ScopeEvaluationResult writes them: {"<group>.<attribute> <OP> '<value>'": false}. */
function scopeSkip(input: UserInput, ctx: PredictContext): Pick<UserPrediction, "action" | "reason"> | undefined {
  const read = (name: string) => readAttribute(input.user, name, input.facts);
  // Most users are in scope: the outcome alone first, the clauses' results only for the reason of the others.
  if (scopeOutcome(ctx.mapping.scope, read) === "pass") return undefined;
  const result = evaluateScope(ctx.mapping.scope, read);
  if (result.outcome === "pass") return undefined;
  if (result.outcome === "unknown")
    return { action: "inconclusive", reason: `the scoping filter cannot be evaluated: ${failingClauses(result, "unknown")[0]?.why ?? "unknown"}` };
  const evaluation = Object.fromEntries(failingClauses(result, "fail").map((c) => [c.text, false]));
  return { action: "skip", reason: `Scoping filter evaluation passed: False; ScopeEvaluationResult ${JSON.stringify(evaluation)}` };
}

function createChanges(input: UserInput, ctx: PredictContext, unknown: UnknownAttribute[]): AttributeChange[] {
  const changes: AttributeChange[] = [];
  for (const m of ctx.compiled) {
    const c = compute(m, input, ctx);
    if (c.kind === "unknown") unknown.push(unknownEntry(m.target, c.reason));
    if (c.kind !== "value") continue;
    // "Default value if null … only provisioned when a user is created" (customize-application-attributes.md).
    const value = isEmpty(c.value) ? m.defaultValue : c.value;
    if (!isEmpty(value)) changes.push({ attribute: m.target, expression: m.expression, old: null, new: value, drift: false });
  }
  return changes;
}

function updateChanges(input: UserInput, target: User, ctx: PredictContext, unknown: UnknownAttribute[]): AttributeChange[] {
  const changes: AttributeChange[] = [];
  for (const m of ctx.compiled) {
    if (m.flowType === "ObjectAddOnly") continue; // only when the object is created
    const c = compute(m, input, ctx);
    if (c.kind === "unknown") unknown.push(unknownEntry(m.target, c.reason));
    if (c.kind !== "value") continue;
    const current = targetValue(m.target, target);
    if (!current.present) {
      unknown.push(notInTargetSelect(m.target));
      continue;
    }
    const want = desiredValue(m, current.value, upnComparable(m.target, c.value));
    if (want === undefined || sameValue(current.value, want)) continue;
    const note = m.flowBehavior === "FlowWhenChanged" ? "FlowWhenChanged: written when the source value changes (or in a restarted, full cycle)" : undefined;
    changes.push({
      attribute: m.target,
      expression: m.expression,
      old: current.value ?? null,
      new: want,
      drift: ctx.lastCycleSucceeded,
      ...(note ? { note } : {}),
    });
  }
  return changes;
}

// 100,000 users share a handful of unknown attributes: one object per (attribute, reason) keeps memory bounded.
const entries = remembered((attribute) => remembered((reason): UnknownAttribute => ({ attribute, reason })));
const unknownEntry = (attribute: string, reason: string): UnknownAttribute => entries(attribute)(reason);

const notInTargetSelect = remembered((attribute): UnknownAttribute => ({
  attribute,
  reason: `the snapshot does not hold ${attribute} for target users (not in the collector's $select)`,
}));

export function predictUser(input: UserInput, ctx: PredictContext): UserPrediction {
  const { user, target } = input;
  const base = {
    displayName: user.displayName ?? user.userPrincipalName ?? user.id,
    sourceObjectId: user.id,
    sourceUserPrincipalName: user.userPrincipalName ?? undefined,
    ...(target ? { targetObjectId: target.id, targetUserPrincipalName: target.userPrincipalName ?? undefined, matchedBy: input.matchedBy } : {}),
  };
  const skipped = scopeSkip(input, ctx);
  if (skipped) return { ...base, ...skipped, changes: [], unknown: [] };
  const unknown: UnknownAttribute[] = [];
  if (!target) {
    const changes = createChanges(input, ctx, unknown);
    const reason = input.deleted ? `a soft-deleted target user matches (${input.deleted.id})` : undefined;
    return { ...base, action: "create", ...(reason ? { reason } : {}), changes, unknown };
  }
  const changes = updateChanges(input, target, ctx, unknown);
  return changes.length ? { ...base, action: "update", changes, unknown } : { ...base, action: "no-change", reason: NO_CHANGE_TEXT, changes, unknown };
}
