// Guests of the target still in PendingAcceptance, joined with their source user: scope, UPN staleness, days pending.
import { stringify } from "csv-stringify/sync";
import { configurationInUse, jobOf, schemaOf, userMapping } from "../model/configuration.js";
import { correlateUsers, homeAddressFromUpn } from "../model/correlate.js";
import { externalReason, GUEST_REASON } from "../model/external-user.js";
import type { Pair } from "../model/pair.js";
import { scopeOf } from "../model/scope.js";
import { guardCell } from "../report/csv.js";
import type { ObjectMapping, User } from "../snapshot/graph-types.js";
import { graphPropertyFor } from "../model/attributes.js";
import { known, unknown } from "../model/known.js";
import { evaluateScope, failingClauses } from "../model/scoping.js";
import { smsReady } from "../model/sms-sign-in.js";

const DAY_MS = 86_400_000;

export interface PendingRow {
  displayName: string;
  targetUserPrincipalName: string;
  mail: string;
  targetObjectId: string;
  sourceObjectId: string;
  sourceUserPrincipalName: string;
  /** yes, no, or unknown (scope facets not collected). */
  inScope: "yes" | "no" | "unknown";
  /** sync-all, assigned, group:<name>, filtered-out:<why>, not-in-scope, no-source-match. */
  scopeReason: string;
  upnStale: boolean;
  invitedDateTime: string;
  daysPending: number | null;
}

const norm = (s: string | null | undefined): string | undefined => (s ? s.trim().toLowerCase() : undefined);

/** The query the export answers, as Graph would be asked it in the target. */
export const PENDING_FILTER = "userType eq 'Guest' and externalUserState eq 'PendingAcceptance'";

export function isPendingGuest(u: User): boolean {
  return norm(u.userType) === "guest" && norm(u.externalUserState) === "pendingacceptance";
}

/** Why a source user in the configuration's assignments is still not provisioned, if a known clause drops them. */
function filteredOut(pair: Pair, user: User): string | undefined {
  const external = externalReason(user);
  if (external === GUEST_REASON) return "filtered-out: source user is a guest (never synchronized)";
  if (external) return `filtered-out: source user is external, ${external} (never synchronized)`;
  const phones = pair.maybe("source.phoneMethods")?.find((p) => p.userId === user.id);
  if (smsReady(phones?.value)) return "filtered-out: SMS sign-in enabled (Filter external users)";
  // The configuration's own scoping clauses, evaluated like trace-user does; an attribute not collected is unknown.
  const scope = userScopeOf(pair);
  if (!scope) return undefined;
  const read = (name: string) => {
    const prop = graphPropertyFor(name);
    if (!prop) return unknown(`${name} is not a Graph property`);
    const entry: [string, unknown] | undefined = Object.entries(user).find(([k]) => k.toLowerCase() === prop.toLowerCase());
    return entry === undefined ? unknown(`${name} was not collected`) : known(entry[1]);
  };
  const result = evaluateScope(scope, read);
  const failing = result.outcome === "fail" ? failingClauses(result, "fail")[0] : undefined;
  return failing ? `filtered-out: ${failing.text}` : undefined;
}

/** The user mapping's scoping filter of the configuration in use, when the schema was collected. */
function userScopeOf(pair: Pair): ObjectMapping["scope"] | undefined {
  if (!pair.has("source.syncServicePrincipals") || !pair.has("source.syncJobs") || !pair.has("source.syncSchemas")) return undefined;
  const config = configurationInUse(pair);
  const job = config ? jobOf(pair, config) : undefined;
  return config && job ? userMapping(schemaOf(pair, config, job))?.scope : undefined;
}

/** One row per pending guest of the target, sorted by display name; `now` defaults to the snapshot's time. */
export function pendingAcceptanceRows(pair: Pair, now: Date = new Date(pair.manifest.createdAt)): PendingRow[] {
  const pending = pair.get("target.users").filter(isPendingGuest);
  const config = pair.has("source.syncServicePrincipals") ? configurationInUse(pair) : undefined;
  const scope = config && pair.has("source.syncAssignments") && pair.has("source.users") ? scopeOf(pair, config) : undefined;
  const sourceUsers = pair.maybe("source.users") ?? [];
  const bySource = new Map<string, User>();
  for (const c of correlateUsers(sourceUsers, pending)) if (c.target && !bySource.has(c.target.id)) bySource.set(c.target.id, c.source);

  const rows = pending.map((t): PendingRow => {
    const source = bySource.get(t.id);
    let inScope: PendingRow["inScope"] = "unknown";
    let scopeReason = scope ? "no-source-match" : "unknown: scope not collected";
    if (source && scope) {
      const reason = scope.reason(source.id);
      const dropped = reason ? filteredOut(pair, source) : undefined;
      if (!reason) [inScope, scopeReason] = ["no", "not-in-scope"];
      else if (dropped) [inScope, scopeReason] = ["no", dropped];
      else [inScope, scopeReason] = ["yes", reason.kind === "group" ? `group:${reason.groupName}` : reason.kind];
    } else if (scope) {
      // Source users outside the scope are not collected, so an unmatched guest is not in scope (or not from the source).
      inScope = "no";
    }
    const upn = norm(source?.userPrincipalName);
    const mail = norm(source?.mail);
    const upnStale = Boolean(upn && mail && upn !== mail && homeAddressFromUpn(t.userPrincipalName) !== upn);
    const invited = t.externalUserStateChangeDateTime ?? t.createdDateTime ?? "";
    const since = invited ? Date.parse(invited) : NaN;
    return {
      displayName: t.displayName ?? "",
      targetUserPrincipalName: t.userPrincipalName ?? "",
      mail: t.mail ?? "",
      targetObjectId: t.id,
      sourceObjectId: source?.id ?? "",
      sourceUserPrincipalName: source?.userPrincipalName ?? "",
      inScope,
      scopeReason,
      upnStale,
      invitedDateTime: invited,
      daysPending: Number.isNaN(since) ? null : Math.max(0, Math.floor((now.getTime() - since) / DAY_MS)),
    };
  });
  return rows.sort((a, b) => a.displayName.localeCompare(b.displayName) || a.targetObjectId.localeCompare(b.targetObjectId));
}

/** The CSV columns, defined once. */
export const PENDING_COLUMNS: readonly (keyof PendingRow)[] = [
  "displayName",
  "targetUserPrincipalName",
  "mail",
  "targetObjectId",
  "sourceObjectId",
  "sourceUserPrincipalName",
  "inScope",
  "scopeReason",
  "upnStale",
  "invitedDateTime",
  "daysPending",
];

/** CSV guarded like the reports: formula-looking cells neutralised, every cell quoted. */
export function pendingAcceptanceCsv(rows: readonly PendingRow[], excel = false): string {
  const records = rows.map((r) =>
    PENDING_COLUMNS.map((c) => {
      const v = r[c];
      return guardCell(typeof v === "number" ? v : v === null ? "" : String(v));
    }),
  );
  const text = stringify(records, {
    header: true,
    columns: [...PENDING_COLUMNS],
    quoted: true,
    quoted_empty: true,
    escape_formulas: true,
    record_delimiter: "windows",
  });
  return excel ? `\uFEFF${text}` : text;
}
