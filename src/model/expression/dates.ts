// Dates as the service reads and writes them: .NET custom format strings, the ISO and M/d/yyyy forms CDate accepts, AD file times.
import { DateValue, ExpressionEvaluationError } from "./ast.js";

const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
const DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const FORMAT_LETTERS = "dfFghHKmMstyz";

/** A .NET custom format string split into specifiers (runs of one letter) and literal text. */
export type FormatPart = { spec: string } | { literal: string };

export function splitFormat(format: string): FormatPart[] {
  const parts: FormatPart[] = [];
  for (let i = 0; i < format.length;) {
    const c = format.charAt(i);
    if (c === "'" || c === '"') {
      const end = format.indexOf(c, i + 1);
      const stop = end < 0 ? format.length : end;
      parts.push({ literal: format.slice(i + 1, stop) });
      i = stop + 1;
    } else if (c === "\\") {
      parts.push({ literal: format[i + 1] ?? "" });
      i += 2;
    } else if (c === "%") {
      i += 1; // "%d" is the single specifier d
    } else if (FORMAT_LETTERS.includes(c)) {
      let j = i;
      while (format[j] === c) j++;
      parts.push({ spec: format.slice(i, j) });
      i = j;
    } else {
      parts.push({ literal: c });
      i += 1;
    }
  }
  return parts;
}

const pad = (n: number, width: number): string => String(n).padStart(width, "0");

function fraction(ms: number, spec: string): string {
  const digits = pad(ms, 3).padEnd(7, "0").slice(0, spec.length);
  return spec[0] === "F" ? digits.replace(/0+$/, "") : digits;
}

function formatSpec(d: Date, spec: string): string {
  const c = spec.charAt(0);
  const n = spec.length;
  const h12 = d.getUTCHours() % 12 || 12;
  switch (c) {
    case "d":
      return n >= 4 ? (DAYS[d.getUTCDay()] ?? "") : n === 3 ? (DAYS[d.getUTCDay()] ?? "").slice(0, 3) : pad(d.getUTCDate(), n);
    case "M":
      return n >= 4 ? (MONTHS[d.getUTCMonth()] ?? "") : n === 3 ? (MONTHS[d.getUTCMonth()] ?? "").slice(0, 3) : pad(d.getUTCMonth() + 1, n);
    case "y":
      return n <= 2 ? pad(d.getUTCFullYear() % 100, n) : pad(d.getUTCFullYear(), n);
    case "h":
      return pad(h12, Math.min(n, 2));
    case "H":
      return pad(d.getUTCHours(), Math.min(n, 2));
    case "m":
      return pad(d.getUTCMinutes(), Math.min(n, 2));
    case "s":
      return pad(d.getUTCSeconds(), Math.min(n, 2));
    case "f":
    case "F":
      return fraction(d.getUTCMilliseconds(), spec);
    case "t":
      return (d.getUTCHours() < 12 ? "AM" : "PM").slice(0, n === 1 ? 1 : 2);
    case "z":
      return n === 1 ? "+0" : n === 2 ? "+00" : "+00:00";
    case "K":
      return "Z";
    default:
      return "A.D."; // g, gg: the era
  }
}

/** Format a DateTime with a .NET custom format string (invariant culture, UTC). */
export function formatDate(value: DateValue, format: string): string {
  const d = new Date(value.ms);
  return splitFormat(format)
    .map((p) => ("literal" in p ? p.literal : formatSpec(d, p.spec)))
    .join("");
}

/** Milliseconds for calendar fields in UTC, or undefined when a field is out of range (Feb 30, hour 25…). */
export function utcFields(y: number, mo: number, d: number, h = 0, mi = 0, s = 0, ms = 0): number | undefined {
  const t = Date.UTC(y, mo - 1, d, h, mi, s, ms);
  const back = new Date(t);
  const ok =
    back.getUTCFullYear() === y &&
    back.getUTCMonth() === mo - 1 &&
    back.getUTCDate() === d &&
    back.getUTCHours() === h &&
    back.getUTCMinutes() === mi &&
    back.getUTCSeconds() === s;
  return ok && y >= 1 ? t : undefined;
}

/** "+08:00", "-0700", "Z" → minutes east of UTC. */
export function offsetMinutes(text: string | undefined): number {
  if (!text || text === "Z" || text === "z") return 0;
  const m = /^([+-])(\d{1,2}):?(\d{2})?$/.exec(text);
  // Callers pass only offsets their own patterns matched; anything else is a bug, not data.
  if (!m) throw new Error(`not a UTC offset: ${text}`);
  return (m[1] === "-" ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3] ?? 0));
}

const AD_EPOCH_OFFSET_MS = 11644473600000n; // 1601-01-01 to 1970-01-01
const TICKS_PER_MS = 10000n;

/** An AD file time (100-ns ticks since 1601-01-01 UTC, as in accountExpires) as a DateTime. */
export function fromFileTime(ticks: bigint, fn: string): DateValue {
  const ms = Number(ticks / TICKS_PER_MS - AD_EPOCH_OFFSET_MS);
  if (!Number.isFinite(ms) || Math.abs(ms) > 8.64e15) throw new ExpressionEvaluationError(`${ticks} is outside the dates a DateTime can hold`, fn);
  return new DateValue(ms);
}

/** A DateTime as an AD file time, in decimal digits (larger than a double holds exactly). */
export function toFileTime(value: DateValue): string {
  return ((BigInt(Math.trunc(value.ms)) + AD_EPOCH_OFFSET_MS) * TICKS_PER_MS).toString();
}
