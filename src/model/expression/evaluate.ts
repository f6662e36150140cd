// Evaluates a parsed expression for one user's attributes, optionally recording each step for display.
import { DateValue, ExpressionEvaluationError, NoFlow, type CallNode, type CompareOp, type Node, type Value } from "./ast.js";
import type { Args, EvaluationContext } from "./context.js";
import { FUNCTIONS } from "./functions/index.js";
import { parseExpression } from "./parser.js";
import { printExpression } from "./print.js";
import type { FunctionName } from "./signatures.js";
import { isNullOrEmpty, toText } from "./values.js";

/** One evaluated call or comparison, innermost first; `depth` 0 is the whole expression. */
export interface Step {
  text: string;
  /** "[Redact]" inside Redact(…), as the provisioning logs show it (a string, so a Value). */
  value: Value;
  depth: number;
}

export type Outcome = { flow: true; value: Value; steps: Step[] } | { flow: false; reason: string; steps: Step[] };

interface Run {
  ctx: EvaluationContext;
  steps: Step[] | undefined;
  redacting: number;
}

const asNumber = (v: Value): number | undefined => {
  if (typeof v === "number") return v;
  if (v instanceof DateValue) return v.ms;
  const s = toText(v)?.trim();
  return s && /^[-+]?\d+(\.\d+)?$/.test(s) ? Number(s) : undefined;
};

/** A comparison with an empty side is false (see IIF's known limitations); numbers and dates compare by value. */
function compare(op: CompareOp, l: Value, r: Value): boolean {
  if (isNullOrEmpty(l) || isNullOrEmpty(r)) return false;
  const [ln, rn] = [asNumber(l), asNumber(r)];
  const [a, b] = ln !== undefined && rn !== undefined ? [ln, rn] : [toText(l) ?? "", toText(r) ?? ""];
  const ops: Record<CompareOp, boolean> = { "=": a === b, "<>": a !== b, ">": a > b, ">=": a >= b, "<": a < b, "<=": a <= b };
  return ops[op];
}

function callArgs(node: CallNode, run: Run, depth: number): Args {
  const cache = new Map<number, Value>();
  return {
    fn: node.name,
    count: node.args.length,
    ctx: run.ctx,
    // An argument past the end reads as an empty one (callers check `count` first).
    node: (i) => node.args[i] ?? { kind: "empty", pos: node.pos },
    given: (i) => {
      const arg = node.args[i];
      return arg !== undefined && arg.kind !== "empty";
    },
    value: (i) => {
      const cached = cache.get(i);
      if (cached !== undefined || cache.has(i)) return cached ?? null;
      const arg = node.args[i];
      const v = arg ? evaluateNode(arg, run, depth + 1) : null;
      cache.set(i, v);
      return v;
    },
  };
}

function record(run: Run, node: Node, value: Value, depth: number): Value {
  run.steps?.push({ text: printExpression(node), value: run.redacting > 0 ? "[Redact]" : value, depth });
  return value;
}

function evaluateNode(node: Node, run: Run, depth: number): Value {
  switch (node.kind) {
    case "attribute":
      return run.ctx.attribute(node.name);
    case "string":
      return node.value;
    case "number":
      return node.value;
    case "name":
      return node.name;
    case "empty":
      return null;
    case "compare":
      return record(run, node, compare(node.op, evaluateNode(node.left, run, depth + 1), evaluateNode(node.right, run, depth + 1)), depth);
    case "call": {
      const redact = node.name === "Redact";
      if (redact) run.redacting++;
      try {
        const value = FUNCTIONS[node.name as FunctionName](callArgs(node, run, depth));
        return record(run, node, value, depth);
      } finally {
        if (redact) run.redacting--;
      }
    }
  }
}

/**
 * Evaluate an expression (text or a parsed tree). Returns the value, or `flow: false` when IgnoreFlowIfNullOrEmpty
 * drops the attribute. Throws ExpressionSyntaxError for invalid text and ExpressionEvaluationError when it cannot be
 * evaluated for these attributes.
 */
export function evaluateExpression(expression: string | Node, ctx: EvaluationContext, options: { trace?: boolean } = {}): Outcome {
  const node = typeof expression === "string" ? parseExpression(expression) : expression;
  const run: Run = { ctx, steps: options.trace ? [] : undefined, redacting: 0 };
  try {
    const value = evaluateNode(node, run, 0);
    return { flow: true, value, steps: run.steps ?? [] };
  } catch (err) {
    if (err instanceof NoFlow) return { flow: false, reason: err.reason, steps: run.steps ?? [] };
    if (err instanceof ExpressionEvaluationError) throw err;
    if (err instanceof RangeError) throw new ExpressionEvaluationError(`cannot evaluate: ${err.message}`);
    throw err;
  }
}

/** A context over a plain attribute object (Graph JSON): exact name first, then case-insensitively, as Graph names are. */
export function attributesContext(attributes: Record<string, Value>, now: DateValue, extra: Partial<EvaluationContext> = {}): EvaluationContext {
  const lower = new Map(Object.entries(attributes).map(([k, v]) => [k.toLowerCase(), v]));
  return {
    attribute: (name) => (Object.hasOwn(attributes, name) ? (attributes[name] ?? null) : (lower.get(name.toLowerCase()) ?? null)),
    now: () => now,
    ...extra,
  };
}
