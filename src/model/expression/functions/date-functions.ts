// Date functions: CDate, DateAdd, DateDiff, DateFromNum, FormatDateTime, Now, NumFromDate
// (entra-docs functions-for-customizing-application-data.md; intervals yyyy m d ww h n s).
import { DateValue, ExpressionEvaluationError, type Value } from "../ast.js";
import type { Args, FunctionImpl } from "../context.js";
import { formatDate, fromFileTime, toFileTime } from "../dates.js";
import { parseDateText, parseExact } from "../parse-dates.js";
import { toNumber, toText, toTextOrEmpty } from "../values.js";

const INTERVALS = ["yyyy", "m", "d", "ww", "h", "n", "s"] as const;
type Interval = (typeof INTERVALS)[number];
const MS: Record<string, number> = { ww: 7 * 86400000, d: 86400000, h: 3600000, n: 60000, s: 1000 };

/** A date argument: a DateTime, or a string read as CDate reads it; null stays null. */
export function toDate(v: Value, fn: string): DateValue | null {
  if (v === null || v === "") return null;
  if (v instanceof DateValue) return v;
  const s = toText(v);
  return s === null ? null : parseDateText(s, fn);
}

function interval(v: Value, fn: string): Interval {
  const s = toText(v);
  if (!INTERVALS.includes(s as Interval)) throw new ExpressionEvaluationError(`interval must be one of ${INTERVALS.join(", ")}, not ${JSON.stringify(s)}`, fn);
  return s as Interval;
}

/** Add months the .NET way: the day is clamped to the end of a shorter month (Jan 31 + 1 month = Feb 28/29). */
function addMonths(ms: number, months: number): number {
  const d = new Date(ms);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth() + months;
  const last = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  return Date.UTC(y, m, Math.min(d.getUTCDate(), last), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds(), d.getUTCMilliseconds());
}

function dateAdd(a: Args): Value {
  const unit = interval(a.value(0), a.fn);
  const n = Math.trunc(toNumber(a.value(1), a.fn, "value"));
  const date = toDate(a.value(2), a.fn);
  if (date === null) return null;
  const ms = unit === "yyyy" ? addMonths(date.ms, 12 * n) : unit === "m" ? addMonths(date.ms, n) : date.ms + n * (MS[unit] ?? NaN);
  // A DateTime ends at year 9999.
  if (!Number.isFinite(ms) || ms > Date.UTC(9999, 11, 31, 23, 59, 59) || ms < Date.UTC(1, 0, 1) - 86400000 * 366) {
    throw new ExpressionEvaluationError(`adding ${n} ${unit} leaves the dates a DateTime can hold`, a.fn);
  }
  return new DateValue(ms);
}

/**
 * DateDiff counts interval boundaries crossed, as VBA's DateDiff does: the page's table gives -3449 days, -493 weeks,
 * -113 months and -9 years from 8/25/2021 5:41:18 PM to 2012-03-16-07:00, which only boundary counting produces.
 * Weeks start on Sunday.
 */
export function dateDiff(unit: Interval, d1: DateValue, d2: DateValue): number {
  const a = new Date(d1.ms);
  const b = new Date(d2.ms);
  if (unit === "yyyy") return b.getUTCFullYear() - a.getUTCFullYear();
  if (unit === "m") return (b.getUTCFullYear() - a.getUTCFullYear()) * 12 + (b.getUTCMonth() - a.getUTCMonth());
  const day = (ms: number) => Math.floor(ms / 86400000);
  // 1970-01-01 was a Thursday: day + 4 counts from a Sunday.
  if (unit === "ww") return Math.floor((day(d2.ms) + 4) / 7) - Math.floor((day(d1.ms) + 4) / 7);
  const size = unit === "d" ? 86400000 : (MS[unit] ?? NaN);
  return Math.floor(d2.ms / size) - Math.floor(d1.ms / size);
}

function formatDateTime(a: Args): Value {
  // FormatDateTime(source, dateTimeStyles, inputFormat, outputFormat); the styles may be left out.
  const [input, output] = a.count === 4 ? [2, 3] : [1, 2];
  const source = toText(a.value(0));
  if (source === null || source === "") return null;
  const date = parseExact(source, toTextOrEmpty(a.value(input)), a.ctx.now(), a.fn);
  return formatDate(date, toTextOrEmpty(a.value(output)));
}

function dateFromNum(a: Args): Value {
  const v = a.value(0);
  if (v === null || v === "") return null;
  const text = typeof v === "number" ? BigInt(Math.trunc(v)).toString() : (toText(v) ?? "").trim();
  if (!/^-?\d+$/.test(text))
    throw new ExpressionEvaluationError(`value must be an AD date (a whole number of 100-ns ticks), not ${JSON.stringify(text)}`, a.fn);
  return fromFileTime(BigInt(text), a.fn);
}

export const dateFunctions = {
  CDate: (a) => toDate(a.value(0), a.fn),
  DateAdd: dateAdd,
  DateDiff: (a) => {
    const unit = interval(a.value(0), a.fn);
    const d1 = toDate(a.value(1), a.fn);
    const d2 = toDate(a.value(2), a.fn);
    return d1 === null || d2 === null ? null : dateDiff(unit, d1, d2);
  },
  DateFromNum: dateFromNum,
  FormatDateTime: formatDateTime,
  Now: (a) => a.ctx.now(),
  NumFromDate: (a) => {
    const d = toDate(a.value(0), a.fn);
    return d === null ? null : toFileTime(d);
  },
} satisfies Record<string, FunctionImpl>;
