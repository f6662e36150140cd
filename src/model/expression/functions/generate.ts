// Generated values: Guid and RandomString (entra-docs functions-for-customizing-application-data.md).
import { randomInt, randomUUID } from "node:crypto";
import { ExpressionEvaluationError, type Value } from "../ast.js";
import type { Args, FunctionImpl } from "../context.js";
import { toInteger, toTextOrEmpty } from "../values.js";

// The special characters of the Windows password-complexity reference the page links to.
const SPECIAL = "~!@#$%^&*_-+=`|\\(){}[]:;\"'<>,.?/";
const DIGITS = "0123456789";
const UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const LOWER = "abcdefghijklmnopqrstuvwxyz";
const MAX_LENGTH = 256;

function randomString(a: Args): Value {
  const int = (i: number, name: string) => toInteger(a.value(i), a.fn, name);
  const length = int(0, "Length");
  const numbers = int(1, "MinimumNumbers");
  const specials = int(2, "MinimumSpecialCharacters");
  const capitals = int(3, "MinimumCapital");
  const lowers = int(4, "MinimumLowerCase");
  const avoid = a.given(5) ? toTextOrEmpty(a.value(5)) : "";
  const keep = (set: string) =>
    Array.from(set)
      .filter((c) => !avoid.includes(c))
      .join("");
  const classes = [
    { set: keep(DIGITS), min: numbers },
    { set: keep(SPECIAL), min: specials },
    { set: keep(UPPER), min: capitals },
    { set: keep(LOWER), min: lowers },
  ];
  const required = classes.reduce((n, c) => n + c.min, 0);
  if (length > MAX_LENGTH || length < 1) throw new ExpressionEvaluationError(`Length must be 1 to ${MAX_LENGTH}, not ${length}`, a.fn);
  if (classes.some((c) => c.min < 0) || required > length)
    throw new ExpressionEvaluationError(`the minimums (${required} in all) must not be negative or exceed Length ${length}`, a.fn);
  if (classes.some((c) => c.min > 0 && c.set === ""))
    throw new ExpressionEvaluationError("CharactersToAvoid removes every character of a class that has a minimum", a.fn);
  const pick = (n: number) => (a.ctx.randomInt ?? randomInt)(n);
  const all = classes.map((c) => c.set).join("");
  const chars = classes.flatMap((c) => Array.from({ length: c.min }, () => c.set.charAt(pick(c.set.length))));
  while (chars.length < length) chars.push(all.charAt(pick(all.length)));
  for (let i = chars.length - 1; i > 0; i--) {
    const j = pick(i + 1);
    const swapped = chars[i] ?? "";
    chars[i] = chars[j] ?? "";
    chars[j] = swapped;
  }
  return chars.join("");
}

export const generateFunctions = {
  Guid: (a) => (a.ctx.uuid ?? randomUUID)(),
  RandomString: randomString,
} satisfies Record<string, FunctionImpl>;
