// String functions: Append, ConvertToBase64, ConvertToUTF8Hex, CStr, InStr, Join, Left, Mid, NormalizeDiacritics,
// PCase, Redact, StripSpaces, ToLower, ToUpper, Word (entra-docs functions-for-customizing-application-data.md).
import { ExpressionEvaluationError, type Value } from "../ast.js";
import type { Args, FunctionImpl } from "../context.js";
import { isNullOrEmpty, toInteger, toList, toText, toTextOrEmpty } from "../values.js";

/** A one-string function that keeps null as null. */
const mapText =
  (f: (s: string, a: Args) => string): FunctionImpl =>
  (a) => {
    const s = toText(a.value(0));
    return s === null ? null : f(s, a);
  };

function inStr(a: Args): Value {
  const hay = toText(a.value(0));
  const needle = toTextOrEmpty(a.value(1));
  if (hay === null) return null;
  const start = a.given(2) ? toInteger(a.value(2), a.fn, "start") : 1;
  if (start < 1) throw new ExpressionEvaluationError(`start must be 1 or more, not ${start}`, a.fn);
  const mode = a.given(3) ? toText(a.value(3)) : "vbBinaryCompare";
  if (mode !== "vbBinaryCompare" && mode !== "vbTextCompare")
    throw new ExpressionEvaluationError(`compareType must be vbBinaryCompare or vbTextCompare, not ${mode}`, a.fn);
  const fold = (s: string) => (mode === "vbTextCompare" ? s.toLowerCase() : s);
  return fold(hay).indexOf(fold(needle), start - 1) + 1;
}

/** "Add a comma between last name and first name": Join(", ", "", [surname], [givenName]) gives "Doe, John", so empty values are left out. */
function join(a: Args): Value {
  const sep = toTextOrEmpty(a.value(0));
  const parts: string[] = [];
  for (let i = 1; i < a.count; i++) {
    for (const v of toList(a.value(i))) if (!isNullOrEmpty(v)) parts.push(toTextOrEmpty(v));
  }
  return parts.join(sep);
}

function left(a: Args): Value {
  const s = toTextOrEmpty(a.value(0));
  const n = toInteger(a.value(1), a.fn, "NumChars");
  return n < 0 ? s : s.slice(0, n);
}

function mid(a: Args): Value {
  const s = toTextOrEmpty(a.value(0));
  const start = toInteger(a.value(1), a.fn, "start");
  const length = toInteger(a.value(2), a.fn, "length");
  if (start < 1) throw new ExpressionEvaluationError(`start is 1-based and must be 1 or more, not ${start}`, a.fn);
  if (length < 0) throw new ExpressionEvaluationError(`length must not be negative (${length})`, a.fn);
  return s.slice(start - 1, start - 1 + length);
}

// The page's table, for the letters Unicode decomposition does not split into a base letter and marks.
const LIGATURES: Record<string, string> = { æ: "ae", Æ: "AE", ǣ: "ae", Ǣ: "AE", ø: "oe", Ø: "OE", œ: "oe", Œ: "OE", ß: "ss", ł: "l", Ł: "L", ı: "i" };

export function normalizeDiacritics(s: string): string {
  const replaced = Array.from(s.normalize("NFC"))
    .map((c) => LIGATURES[c] ?? c)
    .join("");
  return replaced.normalize("NFD").replace(/\p{M}/gu, "").normalize("NFC");
}

/**
 * Without separators .NET's ToTitleCase splits words at anything but letters, marks and digits (the page lists the
 * categories); the page's "PABLO GONSALVES (SECOND)" → "Pablo Gonsalves (Second)" shows the rest is lower-cased.
 */
function pCase(s: string, a: Args): string {
  const seps = a.given(1) ? toTextOrEmpty(a.value(1)) : undefined;
  const isSep = (c: string) => (seps === undefined ? !/[\p{L}\p{M}\p{N}]/u.test(c) : seps.includes(c));
  let start = true;
  let out = "";
  for (const c of s) {
    if (isSep(c)) {
      out += c;
      start = true;
    } else {
      out += start ? c.toUpperCase() : c.toLowerCase();
      start = false;
    }
  }
  return out;
}

const withCulture =
  (upper: boolean): FunctionImpl =>
  (a) => {
    const s = toText(a.value(0));
    if (s === null) return null;
    if (!a.given(1)) return upper ? s.toUpperCase() : s.toLowerCase(); // invariant culture
    const culture = toTextOrEmpty(a.value(1));
    try {
      return upper ? s.toLocaleUpperCase(culture) : s.toLocaleLowerCase(culture);
    } catch {
      throw new ExpressionEvaluationError(`unknown culture ${JSON.stringify(culture)} (use an RFC 4646 name such as en-US)`, a.fn);
    }
  };

function word(a: Args): Value {
  const s = toText(a.value(0));
  const n = toInteger(a.value(1), a.fn, "WordNumber");
  const delimiters = toTextOrEmpty(a.value(2));
  if (s === null || n < 1) return "";
  const words: string[] = [];
  let current = "";
  for (const c of s) {
    if (delimiters.includes(c)) {
      if (current) words.push(current);
      current = "";
    } else current += c;
  }
  if (current) words.push(current);
  return words[n - 1] ?? "";
}

export const textFunctions = {
  Append: (a) => {
    const s = toText(a.value(0));
    const suffix = toText(a.value(1));
    return s === null && suffix === null ? null : (s ?? "") + (suffix ?? "");
  },
  ConvertToBase64: mapText((s) => Buffer.from(s, "utf16le").toString("base64")),
  ConvertToUTF8Hex: mapText((s) => Buffer.from(s, "utf8").toString("hex").toUpperCase()),
  CStr: mapText((s) => s),
  InStr: inStr,
  Join: join,
  Left: left,
  Mid: mid,
  NormalizeDiacritics: mapText(normalizeDiacritics),
  PCase: mapText(pCase),
  // The value flows unchanged; only the provisioning logs (and our evaluation steps) show "[Redact]".
  Redact: (a) => a.value(0),
  StripSpaces: mapText((s) => s.replaceAll(" ", "")),
  ToLower: withCulture(false),
  ToUpper: withCulture(true),
  Word: word,
} satisfies Record<string, FunctionImpl>;
