// Reading date text: the forms CDate accepts, and FormatDateTime's exact parse with a .NET custom format string.
import { DateValue, ExpressionEvaluationError } from "./ast.js";
import { offsetMinutes, splitFormat, utcFields } from "./dates.js";

const OFFSET = "(Z|z|[+-]\\d{2}:?\\d{2})";
// 2009-06-15T01:45:30-07:00, 2021-06-30+08:00 (a date with an offset is midnight there), 2021-08-24, 2021-08-24 23:59:59-08:00
const ISO = new RegExp(`^(\\d{4})-(\\d{2})-(\\d{2})(?:[T ](\\d{2}):(\\d{2})(?::(\\d{2})(?:\\.(\\d{1,7}))?)?)?\\s*${OFFSET}?$`);
// 8/25/2021 5:41:18 PM, the page's own output format (M/d/yyyy h:mm:ss tt)
const US = new RegExp(`^(\\d{1,2})/(\\d{1,2})/(\\d{4})(?:\\s+(\\d{1,2}):(\\d{2})(?::(\\d{2}))?(?:\\s*(AM|PM))?)?\\s*${OFFSET}?$`, "i");

const fractionMs = (digits: string | undefined): number => (digits ? Math.floor(Number(`0.${digits}`) * 1000) : 0);

function fromIso(m: RegExpExecArray): number | undefined {
  const [, y, mo, d, h, mi, s, f, off] = m;
  const t = utcFields(Number(y), Number(mo), Number(d), Number(h ?? 0), Number(mi ?? 0), Number(s ?? 0), fractionMs(f));
  return t === undefined ? undefined : t - offsetMinutes(off) * 60000;
}

function fromUs(m: RegExpExecArray): number | undefined {
  const [, mo, d, y, h, mi, s, tt, off] = m;
  let hour = Number(h ?? 0);
  if (tt) {
    if (hour < 1 || hour > 12) return undefined;
    hour = (hour % 12) + (tt.toUpperCase() === "PM" ? 12 : 0);
  }
  const t = utcFields(Number(y), Number(mo), Number(d), hour, Number(mi ?? 0), Number(s ?? 0));
  return t === undefined ? undefined : t - offsetMinutes(off) * 60000;
}

/** A date/time string as CDate reads it; a time without an offset is UTC (the service's own zone). */
export function parseDateText(text: string, fn: string): DateValue {
  const s = text.trim();
  const iso = ISO.exec(s);
  const us = iso ? null : US.exec(s);
  const ms = iso ? fromIso(iso) : us ? fromUs(us) : undefined;
  if (ms === undefined)
    throw new ExpressionEvaluationError(
      `cannot read ${JSON.stringify(text)} as a date (use ISO 8601, such as 2021-06-30T08:00:00Z, or M/d/yyyy h:mm:ss tt)`,
      fn,
    );
  return new DateValue(ms);
}

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** The regular expression for one specifier when parsing, and the field it fills. */
function specPattern(spec: string): { re: string; field: string } {
  const c = spec.charAt(0);
  const n = spec.length;
  const digits = (min: number, max: number) => `(\\d{${min},${max}})`;
  if (c === "y") return { re: n <= 2 ? digits(n, 2) : digits(n, Math.max(n, 4)), field: n <= 2 ? "yy" : "y" };
  if (c === "M") return n >= 3 ? { re: "([A-Za-z]+)", field: "monthName" } : { re: digits(n, 2), field: "M" };
  if (c === "d") return n >= 3 ? { re: "([A-Za-z]+)", field: "dayName" } : { re: digits(n, 2), field: "d" };
  if ("hHms".includes(c)) return { re: digits(Math.min(n, 2), 2), field: c };
  if (c === "f") return { re: digits(n, n), field: "f" };
  if (c === "F") return { re: digits(0, n), field: "f" };
  if (c === "t") return { re: n === 1 ? "([AP])" : "(AM|PM)", field: "t" };
  if (c === "z") return { re: n >= 3 ? "([+-]\\d{2}:\\d{2})" : n === 2 ? "([+-]\\d{2})" : "([+-]\\d{1,2})", field: "z" };
  if (c === "K") return { re: "(Z|[+-]\\d{2}:\\d{2})?", field: "z" };
  return { re: "(A\\.D\\.|AD)", field: "era" };
}

function monthNumber(name: string): number {
  const i = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"].indexOf(name.slice(0, 3).toLowerCase());
  return i + 1;
}

function assemble(f: Record<string, string>, now: DateValue): number | undefined {
  const today = new Date(now.ms);
  // .NET's calendar reads two-digit years up to 49 as 20xx (TwoDigitYearMax 2049).
  const year = f.y ? Number(f.y) : f.yy ? (Number(f.yy) <= 49 ? 2000 : 1900) + Number(f.yy) : today.getUTCFullYear();
  const month = f.M ? Number(f.M) : f.monthName ? monthNumber(f.monthName) : f.d ? 1 : today.getUTCMonth() + 1;
  const day = f.d ? Number(f.d) : f.y || f.yy || f.M || f.monthName ? 1 : today.getUTCDate();
  let hour = Number(f.H ?? f.h ?? 0);
  if (f.h !== undefined) {
    if (hour < 1 || hour > 12) return undefined;
    hour = (hour % 12) + (/^P/i.test(f.t ?? "") ? 12 : 0);
  }
  const t = utcFields(year, month, day, hour, Number(f.m ?? 0), Number(f.s ?? 0), fractionMs(f.f));
  return t === undefined ? undefined : t - (f.z !== undefined ? offsetMinutes(f.z) : 0) * 60000;
}

/** DateTime.ParseExact with leading and trailing white space allowed (FormatDateTime's default styles). */
export function parseExact(text: string, format: string, now: DateValue, fn: string): DateValue {
  const fields: string[] = [];
  const re = splitFormat(format)
    .map((p) => {
      if ("literal" in p) return escapeRe(p.literal);
      const { re, field } = specPattern(p.spec);
      fields.push(field);
      return re;
    })
    .join("");
  const m = new RegExp(`^${re}$`, "i").exec(text.trim());
  const found: Record<string, string> = {};
  fields.forEach((field, i) => {
    const v = m?.[i + 1];
    if (v !== undefined) found[field] = v;
  });
  const ms = m ? assemble(found, now) : undefined;
  if (ms === undefined) throw new ExpressionEvaluationError(`${JSON.stringify(text)} does not match the input format ${JSON.stringify(format)}`, fn);
  return new DateValue(ms);
}
