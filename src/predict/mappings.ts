// The user mapping's attribute mappings, each parsed once: target, expression, flow type, default value.
import { ExpressionSyntaxError, attributesIn, parseExpression, type Node } from "../model/expression/index.js";
import type { AttributeMapping } from "../snapshot/graph-types.js";

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
