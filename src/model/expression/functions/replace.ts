// Replace(source, oldValue, regexPattern, regexGroupName, replacementValue, replacementAttributeName, template):
// the five behaviours of entra-docs functions-for-customizing-application-data.md, "Replace".
import { ExpressionEvaluationError, type Value } from "../ast.js";
import type { Args, FunctionImpl } from "../context.js";
import { isNullOrEmpty, toText, toTextOrEmpty } from "../values.js";

const SOURCE = 0,
  OLD = 1,
  PATTERN = 2,
  GROUP = 3,
  REPLACEMENT = 4,
  ATTRIBUTE = 5,
  TEMPLATE = 6;

/** A .NET pattern as a JavaScript RegExp; a leading inline (?i) becomes the i flag. */
function regex(a: Args): RegExp {
  let source = toTextOrEmpty(a.value(PATTERN));
  let flags = "gd";
  if (source.startsWith("(?i)")) {
    source = source.slice(4);
    flags += "i";
  }
  try {
    return new RegExp(source, flags);
  } catch (err) {
    throw new ExpressionEvaluationError(`regexPattern is not a valid regular expression: ${(err as Error).message}`, a.fn);
  }
}

/** .NET writes a named group in a replacement as ${name}; JavaScript as $<name>. */
const jsReplacement = (s: string): string => s.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, "$<$1>");

/** Replace only the named group's text inside each match ("Example 4": the street number of "545 Tremont Street"). */
function replaceGroup(source: string, re: RegExp, group: string, replacement: string): string {
  let out = "";
  let last = 0;
  for (const m of source.matchAll(re)) {
    const span = m.indices?.groups?.[group];
    if (!span) continue;
    out += source.slice(last, span[0]) + replacement;
    last = span[1];
  }
  return out + source.slice(last);
}

function fromAttribute(a: Args, source: Value): Value {
  // "If source has a value, source is returned"; otherwise the group's text in replacementAttributeName.
  if (!isNullOrEmpty(source)) return source;
  const other = toText(a.value(ATTRIBUTE));
  if (other === null) return null;
  const m = regex(a).exec(other);
  return m?.groups?.[toTextOrEmpty(a.value(GROUP))] ?? null;
}

export const replace: FunctionImpl = (a) => {
  const source = a.value(SOURCE);
  if (a.given(ATTRIBUTE)) {
    if (!a.given(PATTERN) || !a.given(GROUP)) throw new ExpressionEvaluationError("replacementAttributeName needs regexPattern and regexGroupName", a.fn);
    return fromAttribute(a, source);
  }
  const text = toText(source);
  if (text === null) return null;
  if (a.given(OLD) && a.given(TEMPLATE)) return toTextOrEmpty(a.value(TEMPLATE)).replaceAll(toTextOrEmpty(a.value(OLD)), text);
  if (!a.given(REPLACEMENT))
    throw new ExpressionEvaluationError("give replacementValue (with oldValue or regexPattern), template (with oldValue) or replacementAttributeName", a.fn);
  const replacement = toTextOrEmpty(a.value(REPLACEMENT));
  if (a.given(OLD)) {
    const old = toTextOrEmpty(a.value(OLD));
    return old === "" ? text : text.replaceAll(old, replacement);
  }
  if (!a.given(PATTERN)) throw new ExpressionEvaluationError("give oldValue or regexPattern", a.fn);
  if (a.given(GROUP)) return replaceGroup(text, regex(a), toTextOrEmpty(a.value(GROUP)), jsReplacement(replacement));
  return text.replace(regex(a), jsReplacement(replacement));
};
