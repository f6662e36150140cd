// The user mapping's attribute mappings, each parsed once, and what one of them evaluates to for one source user.
import { readAttribute, type AttributeFacts } from "./attributes.js";
import {
  ExpressionEvaluationError,
  ExpressionSyntaxError,
  attributesIn,
  evaluateExpression,
  fromJson,
  parseExpression,
  toJsonValue,
  type DateValue,
  type Node,
  type Value,
} from "./expression/index.js";
import type { AttributeMapping, User } from "../snapshot/graph-types.js";
import { isEmpty, withAddedValues } from "./mapping-values.js";

export interface CompiledMapping {
  target: string;
  /** The expression as the schema writes it (an Attribute mapping is `[name]`, a Constant `"value"`). */
  expression: string;
  node?: Node;
  /** The source attributes the expression reads. */
  attributes: string[];
  /** Why the expression cannot be evaluated here (an undocumented function such as AltSecIdFromNetId). */
  invalid?: string;
  flowType: string;
  flowBehavior: string;
  defaultValue: string | null;
  matchingPriority: number;
}

const quote = (s: string): string => `"${s.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;

/** The expression text of a mapping source: its own `expression`, else built from its type and name. */
function expressionOf(m: AttributeMapping): string {
  const s = m.source;
  if (s?.expression) return s.expression;
  if (s?.type === "Constant") return quote(s.name ?? "");
  return s?.name ? `[${s.name}]` : "";
}

export function compileMapping(m: AttributeMapping): CompiledMapping {
  const expression = expressionOf(m);
  const base = {
    target: m.targetAttributeName ?? "",
    expression,
    flowType: m.flowType ?? "Always",
    flowBehavior: (m as { flowBehavior?: string }).flowBehavior ?? "FlowWhenChanged",
    defaultValue: m.defaultValue ?? null,
    matchingPriority: m.matchingPriority ?? 0,
  };
  try {
    const node = parseExpression(expression);
    return { ...base, node, attributes: [...new Set(attributesIn(node))] };
  } catch (err) {
    if (!(err instanceof ExpressionSyntaxError)) throw err;
    return { ...base, attributes: [], invalid: `cannot be evaluated offline: ${err.message}` };
  }
}

/** What an evaluation may consult besides the user: the clock, the target's taken values, the manager's target user. */
export interface MappingEnv {
  now: DateValue;
  /** SelectUniqueValue: whether a value already exists in the target (UPN or mail). */
  isTaken?: (value: string) => boolean;
  /** The target user a source user was provisioned as (reference attributes such as manager). */
  targetIdOf(sourceId: string): string | undefined;
}

/** A mapping's outcome for one user: a value, "no flow" (IgnoreFlow), or why it cannot be known. */
export type Computed = { kind: "value"; value: unknown } | { kind: "no-flow" } | { kind: "unknown"; reason: string };

/** The source attributes a mapping reads, or the first that cannot be read (checked before evaluating: no throw per user). */
function readInputs(m: CompiledMapping, user: User, facts: AttributeFacts): Map<string, Value> | string {
  const values = new Map<string, Value>();
  for (const name of m.attributes) {
    const r = readAttribute(user, name, facts);
    if (!r.known) return r.reason;
    values.set(name, fromJson(r.value));
  }
  return values;
}

export function evaluateMapping(m: CompiledMapping, user: User, facts: AttributeFacts, env: MappingEnv): Computed {
  if (!m.node) return { kind: "unknown", reason: m.invalid ?? "cannot be evaluated offline" };
  // Most mappings are a direct attribute or a constant: no evaluation needed, and no map of inputs per user and mapping
  // (predict: 100,000 users × every mapping).
  if (m.node.kind === "string") return { kind: "value", value: m.node.value };
  if (m.node.kind === "attribute") {
    const r = readAttribute(user, m.node.name, facts);
    return r.known ? withReference(m, toJsonValue(fromJson(r.value)), env) : { kind: "unknown", reason: r.reason };
  }
  const values = readInputs(m, user, facts);
  if (typeof values === "string") return { kind: "unknown", reason: values };
  try {
    const out = evaluateExpression(m.node, {
      attribute: (name) => values.get(name) ?? null,
      now: () => env.now,
      ...(env.isTaken ? { isTaken: env.isTaken } : {}),
    });
    return out.flow ? withReference(m, toJsonValue(out.value), env) : { kind: "no-flow" };
  } catch (err) {
    if (err instanceof ExpressionEvaluationError) return { kind: "unknown", reason: err.message };
    throw err;
  }
}

/** The manager reference is written as the target user its source user was provisioned as. */
function withReference(m: CompiledMapping, value: unknown, env: MappingEnv): Computed {
  if (m.target.toLowerCase() !== "manager" || typeof value !== "string") return { kind: "value", value };
  const targetId = env.targetIdOf(value);
  return targetId
    ? { kind: "value", value: targetId }
    : { kind: "unknown", reason: "the manager has no user in the target (not in scope, or not provisioned yet)" };
}

/** What an update writes for one mapping, by flow type (Graph attributeMapping: Always, ObjectAddOnly, …). */
export function desiredValue(m: CompiledMapping, current: unknown, value: unknown): unknown {
  // "The Microsoft Entra provisioning service doesn't support provisioning null values."
  if (isEmpty(value)) return undefined;
  if (m.flowType === "AttributeAddOnly") return isEmpty(current) ? value : undefined;
  if (m.flowType === "MultiValueAddOnly" || (m.flowType === "ValueAddOnly" && (Array.isArray(value) || Array.isArray(current))))
    return withAddedValues(current, value);
  return value;
}
