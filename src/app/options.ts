// Option values shared by the commands and check: the collection window (--since, --until) and --fail-on.
import { SEVERITIES, type Severity } from "../engine/types.js";
import { CtsError } from "../errors.js";

/** --until as a date (default now); it also bounds how far back --since may go. */
export function parseUntil(value: string | undefined, now = new Date()): Date {
  if (value === undefined) return now;
  const date = new Date(value);
  if (Number.isNaN(date.getTime()) || !/^\d{4}-\d{2}-\d{2}/.test(value))
    throw new CtsError("USAGE", `--until: "${value}" is not an ISO date-time like 2025-03-04T11:00:00Z`);
  if (date > now) throw new CtsError("USAGE", `--until: ${value} is in the future`);
  return date;
}

/** Entra keeps activity logs 30 days with P1/P2 (entra-docs docs/identity/monitoring-health/reference-reports-data-retention.md, "Activity reports"). */
export const LOG_RETENTION_DAYS = 30;

/** A --since typed on the command line reaching past what Graph keeps is refused; the window ends at --until or now. */
export function checkSinceArg(since: string, until: string | undefined, now = new Date()): void {
  const end = parseUntil(until, now);
  const start = parseSince(since, end);
  if (end.getTime() - start.getTime() > LOG_RETENTION_DAYS * 86_400_000) {
    throw new CtsError(
      "USAGE",
      `--since: ${since} is more than ${LOG_RETENTION_DAYS} days before ${until ?? "now"} (Microsoft Graph keeps provisioning logs ${LOG_RETENTION_DAYS} days)`,
    );
  }
}

/** "7d", "24h", "90m" or an ISO date-time → the start of the window. */
export function parseSince(value: string | undefined, now = new Date()): Date {
  const v = (value ?? "7d").trim();
  const rel = /^(\d+)\s*([dhm])$/i.exec(v);
  if (rel) {
    const n = Number(rel[1]);
    const unit = rel[2]?.toLowerCase();
    const ms = unit === "d" ? 86_400_000 : unit === "h" ? 3_600_000 : 60_000;
    if (n <= 0 || n * ms > LOG_RETENTION_DAYS * 86_400_000)
      throw new CtsError("USAGE", `--since: ${v} is out of range (Microsoft Graph keeps provisioning logs ${LOG_RETENTION_DAYS} days)`);
    return new Date(now.getTime() - n * ms);
  }
  const date = new Date(v);
  if (Number.isNaN(date.getTime()) || !/^\d{4}-\d{2}-\d{2}/.test(v))
    throw new CtsError("USAGE", `--since: "${v}" is not a duration like 7d or an ISO date-time`);
  if (date > now) throw new CtsError("USAGE", `--since: ${v} is in the future`);
  return date;
}

export function parseSeverity(value: string | undefined): Severity {
  const v = (value ?? "high").toLowerCase();
  if (!(SEVERITIES as readonly string[]).includes(v)) throw new CtsError("USAGE", `--fail-on: must be one of ${SEVERITIES.join(", ")}`);
  return v as Severity;
}
