// Reading values out of Graph documents by path, and testing them against a step's precondition and effect.
import { isDeepStrictEqual } from "node:util";
import type { Check } from "./types.js";

const SELECT = /^([^[\]]+)\[([^=\]]+)=([^\]]*)\]$/;

/** The value at `path` in `doc` (see Check); null when anything along the way is missing. */
export function valueAt(doc: unknown, path: string): unknown {
  if (path === "") return doc ?? null;
  let cur: unknown = doc;
  for (const segment of path.split(".")) {
    if (cur === null || cur === undefined) return null;
    if (segment === "$json") {
      if (typeof cur !== "string") return null;
      try {
        cur = JSON.parse(cur);
      } catch {
        return null;
      }
      continue;
    }
    const m = SELECT.exec(segment);
    if (m) {
      // The three groups are not optional: a match has every one.
      const [, name = "", field = "", want = ""] = m;
      const list = (cur as Record<string, unknown>)[name];
      if (!Array.isArray(list)) return null;
      cur = list.find((item) => item && typeof item === "object" && String((item as Record<string, unknown>)[field]).toLowerCase() === want.toLowerCase());
      continue;
    }
    cur = typeof cur === "object" ? (cur as Record<string, unknown>)[segment] : undefined;
  }
  return cur ?? null;
}

const same = (a: unknown, b: unknown): boolean => isDeepStrictEqual(a ?? null, b ?? null);

/** Whether one check holds for a document. */
export function holds(doc: unknown, check: Check): boolean {
  const value = valueAt(doc, check.path);
  if ("equals" in check && !same(value, check.equals)) return false;
  if (check.in && !check.in.some((v) => same(value, v))) return false;
  if (check.notIn && check.notIn.some((v) => same(value, v))) return false;
  return true;
}

export function allHold(doc: unknown, checks: readonly Check[]): boolean {
  return checks.every((c) => holds(doc, c));
}

/** The values the checks look at, keyed by path (the journal's before/after). */
export function valuesAt(doc: unknown, checks: readonly Check[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const c of checks) out[c.path] = valueAt(doc, c.path);
  return out;
}

/** "automaticUserConsentSettings.outboundAllowed = null (expected true)" for the first check that fails. */
export function describeMismatch(doc: unknown, checks: readonly Check[]): string {
  const failing = checks.find((c) => !holds(doc, c));
  if (!failing) return "";
  const want =
    "equals" in failing ? JSON.stringify(failing.equals ?? null) : failing.in ? `one of ${JSON.stringify(failing.in)}` : `not ${JSON.stringify(failing.notIn)}`;
  return `${failing.path || "(document)"} = ${JSON.stringify(valueAt(doc, failing.path))} (expected ${want})`;
}

/** Set a simple dotted path (no selectors) in a fresh object tree. */
export function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split(".");
  const last = keys.pop() ?? path;
  let cur = target;
  for (const k of keys) {
    if (!cur[k] || typeof cur[k] !== "object") cur[k] = {};
    cur = cur[k] as Record<string, unknown>;
  }
  cur[last] = value;
}

/** True for a path `setPath` can write. */
export const isSimplePath = (path: string): boolean => path !== "" && !path.includes("[") && !path.includes("$json");
