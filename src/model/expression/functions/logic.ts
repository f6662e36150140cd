// Conditions and choices: BitAnd, CBool, Coalesce, IgnoreFlowIfNullOrEmpty, IIF, IsNull, IsNullOrEmpty, IsPresent,
// IsString, Not, SelectUniqueValue, Switch (entra-docs functions-for-customizing-application-data.md).
import { ExpressionEvaluationError, NoFlow, type Node, type Value } from "../ast.js";
import type { Args, FunctionImpl } from "../context.js";
import { isNullOrEmpty, toBoolean, toInteger, toText } from "../values.js";

/** The attributes a subtree reads. */
export function attributesIn(node: Node): string[] {
  if (node.kind === "attribute") return [node.name];
  if (node.kind === "call") return node.args.flatMap(attributesIn);
  if (node.kind === "compare") return [...attributesIn(node.left), ...attributesIn(node.right)];
  return [];
}

/**
 * "IIF", Known limitations: "If the source attribute used within the IIF function is empty or null, the condition
 * check fails" — so IIF([country]="", …) and IIF(IsPresent([country]), …) take the false branch for an empty country.
 */
function iif(a: Args): Value {
  const emptyInput = attributesIn(a.node(0)).some((name) => isNullOrEmpty(a.ctx.attribute(name)));
  const condition = !emptyInput && toBoolean(a.value(0) ?? false, a.fn);
  return a.value(condition ? 1 : 2);
}

/**
 * "Switch": keys are compared case-sensitively with the source; a null or empty source matches the key ""
 * (the page's `Switch([statusFlag], "Default Value", "true", "1", "", "0")` gives 0 for an empty statusFlag).
 */
function switchValue(a: Args): Value {
  const source = toText(a.value(0)) ?? "";
  for (let i = 2; i + 1 < a.count; i += 2) {
    if ((toText(a.value(i)) ?? "") === source) return a.value(i + 1);
  }
  return a.given(1) ? a.value(1) : null;
}

/** "SelectUniqueValue": the first rule whose value is not already in the target; when all are taken the entry is escrowed. */
function selectUniqueValue(a: Args): Value {
  const tried: string[] = [];
  for (let i = 0; i < a.count; i++) {
    const v = a.value(i);
    const text = toText(v);
    if (text === null || text === "") continue;
    if (!a.ctx.isTaken?.(text)) return v;
    tried.push(text);
  }
  throw new ExpressionEvaluationError(
    `every generated value already exists in the target (${tried.join(", ") || "none generated"}): the entry is escrowed`,
    a.fn,
  );
}

function bitAnd(a: Args): Value {
  const x = toInteger(a.value(0), a.fn, "value1");
  const y = toInteger(a.value(1), a.fn, "value2");
  return Number(BigInt(x) & BigInt(y));
}

export const logicFunctions = {
  BitAnd: bitAnd,
  // "If the expression evaluates to a non-zero value, then CBool returns True, else it returns False."
  CBool: (a) => {
    const v = a.value(0);
    return v === null ? false : toBoolean(v, a.fn);
  },
  Coalesce: (a) => {
    for (let i = 0; i < a.count; i++) {
      const v = a.value(i);
      if (v !== null) return v;
    }
    return null;
  },
  IgnoreFlowIfNullOrEmpty: (a) => {
    const v = a.value(0);
    // eslint-disable-next-line @typescript-eslint/only-throw-error -- NoFlow is a signal the evaluator catches, not an error: no stack to capture per user.
    if (isNullOrEmpty(v)) throw new NoFlow(`IgnoreFlowIfNullOrEmpty: the value is ${v === null ? "null" : "empty"}, so the attribute is dropped from the flow`);
    return v;
  },
  IIF: iif,
  IsNull: (a) => a.value(0) === null,
  IsNullOrEmpty: (a) => isNullOrEmpty(a.value(0)),
  IsPresent: (a) => !isNullOrEmpty(a.value(0)),
  IsString: (a) => typeof a.value(0) === "string",
  // "If source value is True, returns False. Otherwise, returns True."
  Not: (a) => {
    const v = a.value(0);
    return !(v === true || (typeof v === "string" && v.trim().toLowerCase() === "true"));
  },
  SelectUniqueValue: selectUniqueValue,
  Switch: switchValue,
} satisfies Record<string, FunctionImpl>;
