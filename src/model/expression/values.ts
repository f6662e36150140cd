// Conversions between expression values, as the provisioning service (a .NET service) makes them.
import { DateValue, ExpressionEvaluationError, type Value } from "./ast.js";
import { formatDate } from "./dates.js";

/** The page's date format for every DateTime turned into a string: M/d/yyyy h:mm:ss tt, in UTC. */
export const DEFAULT_DATE_FORMAT = "M/d/yyyy h:mm:ss tt";

export const isNullOrEmpty = (v: Value): boolean => v === null || v === "" || (Array.isArray(v) && v.length === 0);

/** A value as text; null stays null. .NET writes Booleans as True/False; a multi-valued attribute gives its first value. */
export function toText(v: Value): string | null {
  if (v === null) return null;
  if (typeof v === "string") return v;
  if (typeof v === "boolean") return v ? "True" : "False";
  if (typeof v === "number") return String(v);
  if (v instanceof DateValue) return formatDate(v, DEFAULT_DATE_FORMAT);
  return v.length ? toText(v[0] ?? null) : null;
}

/** A value as text where null reads as "" (Append, Left, Mid…). */
export const toTextOrEmpty = (v: Value): string => toText(v) ?? "";

/** A number from a number, a numeric string or a Boolean (True is 1, as CBool's "non-zero" implies). */
export function toNumber(v: Value, fn: string, what: string): number {
  if (typeof v === "number") return v;
  if (typeof v === "boolean") return v ? 1 : 0;
  const s = toText(v)?.trim();
  if (s !== undefined && s !== "" && /^[-+]?(\d+(\.\d*)?|\.\d+)$/.test(s)) return Number(s);
  if (s !== undefined && /^&H[0-9A-F]+$/i.test(s)) return parseInt(s.slice(2), 16);
  throw new ExpressionEvaluationError(`${what} must be a number, not ${describe(v)}`, fn);
}

export function toInteger(v: Value, fn: string, what: string): number {
  const n = toNumber(v, fn, what);
  if (!Number.isInteger(n)) throw new ExpressionEvaluationError(`${what} must be a whole number, not ${n}`, fn);
  return n;
}

/** A Boolean: True/False strings in any case, numbers by non-zero. */
export function toBoolean(v: Value, fn: string): boolean {
  if (typeof v === "boolean") return v;
  const s = toText(v)?.trim();
  if (s !== undefined && /^(true|false)$/i.test(s)) return s.toLowerCase() === "true";
  return toNumber(v, fn, "the value") !== 0;
}

/** A multi-valued attribute as its list of values; a single value is a list of one; null is empty. */
export function toList(v: Value): Value[] {
  if (v === null) return [];
  return Array.isArray(v) ? v : [v];
}

export function describe(v: Value): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return `a multi-valued attribute of ${v.length}`;
  if (v instanceof DateValue) return `the date ${toText(v)}`;
  return JSON.stringify(v);
}

/** The value as JSON for the `expression` command and reports: dates as the page's UTC string. */
export function toJsonValue(v: Value): string | number | boolean | null | unknown[] {
  if (v instanceof DateValue) return toText(v);
  if (Array.isArray(v)) return v.map(toJsonValue);
  return v;
}

/** A source attribute as read from Graph JSON: references ({ id }) become their id, other objects their JSON text. */
export function fromJson(raw: unknown): Value {
  if (raw === undefined || raw === null) return null;
  if (typeof raw === "string" || typeof raw === "number" || typeof raw === "boolean") return raw;
  if (Array.isArray(raw)) return raw.map(fromJson);
  const o = raw as Record<string, unknown>;
  if (typeof o.id === "string" && Object.keys(o).length === 1) return o.id;
  return JSON.stringify(o);
}
