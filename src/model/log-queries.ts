// Queries over the provisioning-log store: what the rules ask of the logs (SMS skips, open problems, codes still failing).
import type { ProvisioningLogEntry } from "../snapshot/graph-types.js";
import { normalizeErrorCode } from "./log-codes.js";
import { IDENTITY_USER, LATEST_SMS, LogStore, SMS_SKIP, SUCCESS_WITH_CODE, type Column, type LoggedEntry, type LogObject } from "./log-store.js";

/** Entry ids kept per code and identity (the rules list at most 50 per code). */
export const FIRST_IDS = 50;
/** SMS skip entry ids kept per user (the rule lists the last 20). */
export const SMS_LAST_IDS = 20;

/** The summary the rules read: the store and the queries they ask of it. */
export class LogSummary extends LogStore {
  /** Number of identities seen. */
  get identityCount(): number {
    return this.identityIds.length;
  }

  /**
   * Users whose latest entry is an SMS "Filter external users" skip, with their skip entries: count, the latest
   * SMS_LAST_IDS ids (oldest first), the latest skip's time and the name it logged.
   */
  smsSkippedUsers(): SmsSkippedUser[] {
    const code = this.textIndex.get(SMS_SKIP);
    if (code === undefined) return [];
    const byIdentity = new Map<number, number[]>();
    for (const r of this.rowsByCode().get(code) ?? []) {
      const who = this.rowIdentity.at(r);
      if (who < 0 || !(this.idFlags.at(who) & LATEST_SMS) || !(this.idFlags.at(who) & IDENTITY_USER)) continue;
      let list = byIdentity.get(who);
      if (!list) byIdentity.set(who, (list = []));
      list.push(r);
    }
    return [...byIdentity].flatMap(([who, rows]) => {
      rows.sort(this.rowBefore);
      const last = rows.at(-1);
      if (last === undefined) return [];
      const object = this.objectOfIdentity(who);
      return {
        id: this.identityId(who),
        count: rows.length,
        lastIds: rows.slice(-SMS_LAST_IDS).map((r) => this.rowId(r)),
        lastSkipped: this.rowDate(last),
        displayName: this.idRawName[who],
        ...(object?.userPrincipalName ? { userPrincipalName: object.userPrincipalName } : {}),
      };
    });
  }

  /** Entries of `code` (normalised errorCode) of the objects whose latest entry still has that code. */
  stillFailing(code: string): StillFailing {
    const out: StillFailing = { count: 0, firstIds: [], objects: [] };
    const c = this.textIndex.get(code);
    if (c === undefined) return out;
    // Every row whose logged errorCode folds to `code`, whatever its status or row code.
    const folds = new Map<number, boolean>();
    const matches = (raw: number) => {
      let m = folds.get(raw);
      if (m === undefined) folds.set(raw, (m = raw !== 0 && normalizeErrorCode(this.texts[raw]) === code));
      return m;
    };
    const rows: number[] = [];
    for (let r = 0; r < this.rows; r++) {
      const who = this.rowIdentity.at(r);
      if (who >= 0 && this.idLatestCode.at(who) === c && matches(this.rowRawCode.at(r))) rows.push(r);
    }
    if (rows.length === 0) return out;
    // Equal times: grouped by object (in order of first appearance), then file order — as the array code sorted.
    rows.sort((a, b) => this.rowT.at(a) - this.rowT.at(b) || this.rowIdentity.at(a) - this.rowIdentity.at(b) || this.rowSeq.at(a) - this.rowSeq.at(b));
    const seen = new Set<number>();
    for (const r of rows) seen.add(this.rowIdentity.at(r));
    const first = rows[0] ?? 0;
    const last = rows.at(-1) ?? first;
    return {
      count: rows.length,
      firstIds: rows.slice(0, FIRST_IDS).map((r) => this.rowId(r)),
      firstSeen: this.rowDate(first),
      last: this.entry(last),
      objects: [...seen].map((who) => this.objectOfIdentity(who) ?? { id: this.identityId(who), type: "user", displayName: this.identityId(who) }),
    };
  }

  /**
   * Problems by code that no later success of the same object resolved (an entry is dropped when its object has a
   * success at a later time); SMS skips are not included. Each with its entries' count, objects (file order), the
   * earliest FIRST_IDS ids, first and last entry, and the distinct reasons, statuses, actions and codes as logged.
   */
  openProblems(): OpenProblem[] {
    const out: OpenProblem[] = [];
    for (const [c, all] of this.rowsByCode()) {
      const code = this.textOf(c);
      if (code === undefined || code === SMS_SKIP || code === SUCCESS_WITH_CODE) continue;
      const rows = all.filter((r) => {
        const who = this.rowIdentity.at(r);
        return who < 0 || !(this.idLastSuccess.at(who) > this.rowT.at(r));
      });
      const first = rows[0];
      if (first === undefined) continue;
      const objects = new Map<string, LogObject>();
      for (const r of rows) {
        const object = this.objectOfIdentity(this.rowIdentity.at(r));
        if (object && !objects.has(object.id)) objects.set(object.id, object);
      }
      rows.sort(this.rowBefore);
      const distinct = (col: Column<Uint32Array>) => [...new Set(rows.map((r) => col.at(r)).filter((i) => i !== 0))].flatMap((i) => this.textOf(i) ?? []);
      out.push({
        code,
        count: rows.length,
        objects: [...objects.values()],
        firstIds: rows.slice(0, FIRST_IDS).map((r) => this.rowId(r)),
        first: this.entry(rows[0] ?? first),
        last: this.entry(rows.at(-1) ?? first),
        reasons: distinct(this.rowReason),
        statuses: [...new Set(rows.map((r) => this.textOf(this.rowStatus.at(r)) ?? ""))],
        actions: distinct(this.rowAction),
        codesAsLogged: distinct(this.rowRawCode),
      });
    }
    return out;
  }
}

export interface SmsSkippedUser {
  id: string;
  count: number;
  lastIds: string[];
  lastSkipped: string;
  /** sourceIdentity.displayName of the latest skip, as logged. */
  displayName: string | null | undefined;
  userPrincipalName?: string;
}

export interface StillFailing {
  count: number;
  firstIds: string[];
  firstSeen?: string;
  last?: LoggedEntry;
  objects: LogObject[];
}

export interface OpenProblem {
  code: string;
  count: number;
  /** Objects in the order their first entry appears in the file. */
  objects: LogObject[];
  /** Ids of the earliest entries by time (at most FIRST_IDS). */
  firstIds: string[];
  first: LoggedEntry;
  last: LoggedEntry;
  reasons: string[];
  statuses: string[];
  actions: string[];
  codesAsLogged: string[];
}

/**
 * True when the logs were collected without success entries (manifest facet filter "non-success"): a later success
 * cannot clear a failure or skip then, so the queries above report it (conservative) and findings say so in evidence.
 */
export function withoutSuccesses(entry: { filter?: string | undefined } | undefined): boolean {
  return entry?.filter === "non-success";
}

/** Summarise entries already in memory (test fixtures, small snapshots). */
export function summarizeLogs(entries: Iterable<ProvisioningLogEntry>): LogSummary {
  const summary = new LogSummary();
  for (const e of entries) summary.add(e);
  return summary;
}
