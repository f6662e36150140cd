// The store of provisioning-log entries: built in one pass while streaming, compact enough for 1M entries in memory.
import type { ProvisioningLogEntry } from "../snapshot/graph-types.js";
import { isExternalUsersFilterSkip, namesCtsCode, normalizeErrorCode, problemCode, ENTITY_TYPE_NOT_SUPPORTED, WATCHED_CODES } from "./log-codes.js";
import { LOWER_CASE_GUID } from "../guid.js";

/**
 * Rules never see the raw log entries: they read this summary, built entry by entry (from an NDJSON stream or from
 * an array) in file order. It keeps, per source identity, the latest entry (time, code, SMS-skip flag) and the last
 * success; one compact row per problem entry (non-success with a code, or an SMS "Filter external users" skip) in
 * typed arrays: time, file position, identity, code, reason, status, action and the entry id packed in 16 bytes; the
 * EntityTypeNotSupported group skips; entries naming the cross-cloud codes; and outcomes per day. Successes, the bulk
 * of a log, cost one comparison each. The queries at the end answer what the rules used to compute from the array.
 */

/** Entries kept for the cross-cloud codes; the total is always counted. */
const MAX_SIGNALS = 1_000;

/** Position of an entry: time, then file order (a stable sort by time keeps file order among equal times). */
export interface At {
  t: number;
  seq: number;
}

export interface LogObject {
  id: string;
  type: "user" | "group";
  displayName: string;
  userPrincipalName?: string;
}

function objectOf(e: ProvisioningLogEntry): LogObject | undefined {
  const s = e.sourceIdentity;
  if (!s?.id) return undefined;
  const upn = s.details?.["UserPrincipalName"];
  return {
    id: s.id,
    type: (s.identityType ?? "User").toLowerCase() === "group" ? "group" : "user",
    displayName: s.displayName || s.id,
    ...(upn ? { userPrincipalName: upn } : {}),
  };
}

/** A growable typed array. */
export class Column<T extends Float64Array | Uint32Array | Int32Array | Uint8Array> {
  data: T;
  constructor(
    private readonly make: (n: number) => T,
    private readonly width = 1,
  ) {
    this.data = make(1024 * width);
  }
  /** The value at `i` (0 past the end, which no caller reads: rows and identities are counted). */
  at(i: number): number {
    return this.data[i] ?? 0;
  }
  ensure(rows: number): T {
    if (rows * this.width > this.data.length) {
      const bigger = this.make(Math.max(rows * this.width, this.data.length * 2));
      bigger.set(this.data);
      this.data = bigger;
    }
    return this.data;
  }
}

const GUID = LOWER_CASE_GUID;

/** Write a lower-case GUID as 16 bytes; false when the id is something else (kept as a string instead). */
function packGuid(id: string, into: Uint8Array, at: number): boolean {
  if (id.length !== 36 || !GUID.test(id)) return false;
  const hex = id.replace(/-/g, "");
  for (let i = 0; i < 16; i++) into[at + i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return true;
}

function unpackGuid(from: Uint8Array, at: number): string {
  let hex = "";
  for (let i = 0; i < 16; i++) hex += (from[at + i] ?? 0).toString(16).padStart(2, "0");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** activityDateTime as written, from its time when it is one of the two usual ISO forms (else kept as a string). */
const DATE_FORM = { ms: 1, seconds: 2 } as const;

export interface Signal {
  code: string;
  message: string;
  ref: string;
  at?: string;
}

export interface GroupSkip {
  logEntryId: string;
  groupId: string;
  displayName: string;
  servicePrincipalId?: string;
  activityDateTime: string;
}

export interface DayCount {
  success: number;
  skipped: number;
  failure: number;
  warning: number;
}

/**
 * Deprovisioning in the logs: deletes and disables done, and those held back by the accidental-deletion threshold
 * (entra-docs app-provisioning/accidental-deletions.md, "How are these deletion events logged?": Action StagedAction
 * or StagedDelete). job-quarantined reads it to explain a TooManyDeletes quarantine.
 */
export interface Deletions {
  staged: number;
  deleted: number;
  disabled: number;
  /** The first DELETION_OBJECTS objects, in file order, each once. */
  objects: LogObject[];
  /** The first DELETION_OBJECTS objects whose delete or disable was done (not only staged), in file order, each once. */
  done: LogObject[];
}

/** Objects kept in Deletions.objects. */
export const DELETION_OBJECTS = 50;

function keepOnce(list: LogObject[], ids: Set<string>, o: LogObject): void {
  if (ids.has(o.id) || list.length >= DELETION_OBJECTS) return;
  ids.add(o.id);
  list.push(o);
}

const STAGED_ACTIONS = new Set(["stageddelete", "stagedaction"]);

/** Row code of an SMS "Filter external users" skip (never a Graph code: it has a NUL). */
export const SMS_SKIP = "\u0000sms";

/** Row code of a success entry that carries an error code. */
export const SUCCESS_WITH_CODE = "\u0000success";

export const IDENTITY_USER = 1;
const IDENTITY_GROUP = 2;
export const LATEST_SMS = 4;

/** The entries' store, filled by `add` in file order; log-queries.ts reads it. */
export class LogStore {
  /** Entries read. */
  entries = 0;
  /** Entries whose code or reason names a WATCHED_CODES code, in file order (at most MAX_SIGNALS kept). */
  readonly signals: Signal[] = [];
  signalTotal = 0;
  /** Group entries skipped or failed with EntityTypeNotSupported, in file order. */
  readonly groupSkips: GroupSkip[] = [];
  /** Outcomes per UTC day (activityDateTime's date) for the four documented statuses. */
  readonly byDay = new Map<string, DayCount>();
  readonly deletions: Deletions = { staged: 0, deleted: 0, disabled: 0, objects: [], done: [] };
  private readonly deletionIds = new Set<string>();
  private readonly doneIds = new Set<string>();

  // Texts (codes, reasons, statuses, actions, details): index 0 is "none".
  protected readonly textIndex = new Map<string, number>();
  protected readonly texts: (string | null)[] = [null];

  // Identities.
  protected readonly identityIndex = new Map<string, number>();
  protected readonly identityIds: string[] = [];
  protected readonly idLatestT = new Column((n) => new Float64Array(n));
  protected readonly idLatestSeq = new Column((n) => new Uint32Array(n));
  protected readonly idLatestCode = new Column((n) => new Uint32Array(n));
  protected readonly idLastSuccess = new Column((n) => new Float64Array(n));
  protected readonly idFlags = new Column((n) => new Uint8Array(n));
  /** The identity as named by its latest problem or skip entry (sparse). */
  protected readonly idObject: (LogObject | undefined)[] = [];
  protected readonly idObjectAt: (At | undefined)[] = [];
  /** sourceIdentity.displayName as logged by the latest SMS skip (may be empty). */
  protected readonly idRawName: (string | null | undefined)[] = [];

  // Problem rows.
  rows = 0;
  protected readonly rowT = new Column((n) => new Float64Array(n));
  protected readonly rowSeq = new Column((n) => new Uint32Array(n));
  protected readonly rowIdentity = new Column((n) => new Int32Array(n));
  protected readonly rowCode = new Column((n) => new Uint32Array(n));
  protected readonly rowReason = new Column((n) => new Uint32Array(n));
  protected readonly rowRawCode = new Column((n) => new Uint32Array(n));
  protected readonly rowStatus = new Column((n) => new Uint32Array(n));
  protected readonly rowAction = new Column((n) => new Uint32Array(n));
  protected readonly rowDetails = new Column((n) => new Uint32Array(n));
  protected readonly rowDateForm = new Column((n) => new Uint8Array(n));
  protected readonly rowGuid = new Column((n) => new Uint8Array(n), 16);
  /** Ids that are not lower-case GUIDs and dates in another form, by row. */
  protected readonly rowIdText = new Map<number, string>();
  protected readonly rowDateText = new Map<number, string>();
  /** Whether additionalDetails was present (null counts) — index 0 with this flag means null. */
  protected readonly rowHasDetails = new Column((n) => new Uint8Array(n));

  private text(value: string | null | undefined): number {
    if (value === undefined || value === null || value === "") return 0;
    let i = this.textIndex.get(value);
    if (i === undefined) {
      i = this.texts.length;
      this.texts.push(value);
      this.textIndex.set(value, i);
    }
    return i;
  }

  protected textOf(i: number): string | undefined {
    return i === 0 ? undefined : (this.texts[i] ?? undefined);
  }

  private identity(e: ProvisioningLogEntry, id: string): number {
    let i = this.identityIndex.get(id);
    if (i !== undefined) return i;
    i = this.identityIds.length;
    this.identityIds.push(id);
    this.identityIndex.set(id, i);
    const n = i + 1;
    this.idLatestT.ensure(n)[i] = -Infinity;
    this.idLatestSeq.ensure(n);
    this.idLatestCode.ensure(n);
    this.idLastSuccess.ensure(n)[i] = -1;
    this.idFlags.ensure(n)[i] =
      (e.sourceIdentity?.identityType ?? "User").toLowerCase() === "group"
        ? IDENTITY_GROUP
        : (e.sourceIdentity?.identityType ?? "User").toLowerCase() === "user"
          ? IDENTITY_USER
          : 0;
    return i;
  }

  add(e: ProvisioningLogEntry): void {
    const seq = this.entries++;
    const t = Date.parse(e.activityDateTime) || 0;
    const rawStatus = e.provisioningStatusInfo?.status;
    const status = (rawStatus ?? "").toLowerCase();
    const info = e.provisioningStatusInfo?.errorInformation;
    const code = normalizeErrorCode(info?.errorCode);
    const smsSkip = isExternalUsersFilterSkip(e);

    const identityId = e.sourceIdentity?.id;
    const who = identityId ? this.identity(e, identityId) : -1;
    if (who >= 0) {
      const lt = this.idLatestT.at(who);
      if (t > lt || (t === lt && seq > this.idLatestSeq.at(who))) {
        this.idLatestT.data[who] = t;
        this.idLatestSeq.data[who] = seq;
        this.idLatestCode.data[who] = this.text(code);
        this.idFlags.data[who] = (this.idFlags.at(who) & ~LATEST_SMS) | (smsSkip ? LATEST_SMS : 0);
      }
      if (status === "success" && t > this.idLastSuccess.at(who)) this.idLastSuccess.data[who] = t;
    }

    // A success that still carries an error code gets a row too (stillFailing matches on the code; nothing else reads it).
    const problem = smsSkip ? SMS_SKIP : (problemCode(e) ?? (code ? SUCCESS_WITH_CODE : undefined));
    if (problem) this.addRow(e, seq, t, who, problem, status);

    if (code) {
      const reason = info?.reason ?? "";
      if (WATCHED_CODES.some((w) => namesCtsCode(code, reason, w))) {
        this.signalTotal++;
        if (this.signals.length < MAX_SIGNALS) this.signals.push({ code, message: reason, ref: e.id, at: e.activityDateTime });
      }
    }

    const identity = e.sourceIdentity;
    if (identity?.id && identity.identityType?.toLowerCase() === "group") {
      const skipReason = (e.provisioningSteps ?? []).some((s) => s.details?.["SkipReason"] === ENTITY_TYPE_NOT_SUPPORTED);
      if (code === ENTITY_TYPE_NOT_SUPPORTED || skipReason) {
        this.groupSkips.push({
          logEntryId: e.id,
          groupId: identity.id,
          displayName: identity.displayName || identity.id,
          ...(e.servicePrincipal?.id ? { servicePrincipalId: e.servicePrincipal.id } : {}),
          activityDateTime: e.activityDateTime,
        });
      }
    }

    this.countDeletion(e, status);

    if (rawStatus === "success" || rawStatus === "skipped" || rawStatus === "failure" || rawStatus === "warning") {
      const day = e.activityDateTime.slice(0, 10);
      let bucket = this.byDay.get(day);
      if (!bucket) this.byDay.set(day, (bucket = { success: 0, skipped: 0, failure: 0, warning: 0 }));
      bucket[rawStatus]++;
    }
  }

  /**
   * A success of a logged object known from outside the log stream (source.provisioningOutcomes, log-outcomes.ts): it
   * clears the object's earlier problems and, when later than its latest entry, becomes that entry. Counts nothing.
   */
  noteSuccess(id: string, t: number): void {
    const who = this.identityIndex.get(id);
    if (who === undefined || Number.isNaN(t)) return;
    if (t > (this.idLastSuccess.data[who] ?? -Infinity)) this.idLastSuccess.data[who] = t;
    if (t <= (this.idLatestT.data[who] ?? -Infinity)) return;
    this.idLatestT.data[who] = t;
    this.idLatestCode.data[who] = 0;
    this.idFlags.data[who] = (this.idFlags.data[who] ?? 0) & ~LATEST_SMS;
  }

  private countDeletion(e: ProvisioningLogEntry, status: string): void {
    const action = (e.provisioningAction ?? "").toLowerCase();
    const staged = STAGED_ACTIONS.has(action);
    // A delete or disable counts once done (success); a staged one is the service holding it back.
    if (staged) this.deletions.staged++;
    else if (status === "success" && action === "delete") this.deletions.deleted++;
    else if (status === "success" && action === "disable") this.deletions.disabled++;
    else return;
    const o = objectOf(e);
    if (!o) return;
    keepOnce(this.deletions.objects, this.deletionIds, o);
    if (!staged) keepOnce(this.deletions.done, this.doneIds, o);
  }

  private addRow(e: ProvisioningLogEntry, seq: number, t: number, who: number, problem: string, status: string): void {
    const r = this.rows++;
    const n = r + 1;
    const info = e.provisioningStatusInfo?.errorInformation;
    this.rowT.ensure(n)[r] = t;
    this.rowSeq.ensure(n)[r] = seq;
    this.rowIdentity.ensure(n)[r] = who;
    this.rowCode.ensure(n)[r] = this.text(problem);
    this.rowReason.ensure(n)[r] = this.text(info?.reason);
    this.rowRawCode.ensure(n)[r] = this.text(info?.errorCode);
    this.rowStatus.ensure(n)[r] = this.text(status === "" ? undefined : status);
    this.rowAction.ensure(n)[r] = this.text(e.provisioningAction);
    this.rowDetails.ensure(n)[r] = this.text(info?.additionalDetails);
    this.rowHasDetails.ensure(n)[r] = info?.additionalDetails !== undefined ? 1 : 0;
    if (!packGuid(e.id, this.rowGuid.ensure(n), r * 16)) this.rowIdText.set(r, e.id);
    const iso = Number.isFinite(t) && t !== 0 ? new Date(t).toISOString() : "";
    const form = e.activityDateTime === iso ? DATE_FORM.ms : e.activityDateTime === iso.replace(/\.000Z$/, "Z") ? DATE_FORM.seconds : 0;
    this.rowDateForm.ensure(n)[r] = form;
    if (!form) this.rowDateText.set(r, e.activityDateTime);
    // The object named by the identity's latest problem or skip entry (one per identity).
    if (who >= 0) {
      const known = this.idObjectAt[who];
      if (!known || t > known.t || (t === known.t && seq > known.seq)) {
        const old = this.idObject[who];
        const built = objectOf(e);
        this.idObject[who] =
          old && built && old.displayName === built.displayName && old.userPrincipalName === built.userPrincipalName && old.type === built.type ? old : built;
        this.idObjectAt[who] = { t, seq };
        if (problem === SMS_SKIP) this.idRawName[who] = e.sourceIdentity?.displayName;
      }
    }
  }

  // ---- reading rows ----

  protected rowId(r: number): string {
    return this.rowIdText.get(r) ?? unpackGuid(this.rowGuid.data, r * 16);
  }

  protected rowDate(r: number): string {
    const form = this.rowDateForm.data[r];
    if (!form) return this.rowDateText.get(r) ?? "";
    const iso = new Date(this.rowT.at(r)).toISOString();
    return form === DATE_FORM.ms ? iso : iso.replace(/\.000Z$/, "Z");
  }

  protected rowBefore = (a: number, b: number): number => {
    const ta = this.rowT.at(a);
    const tb = this.rowT.at(b);
    return ta !== tb ? ta - tb : this.rowSeq.at(a) - this.rowSeq.at(b);
  };

  /** Rows of each code (SMS skips under SMS_SKIP), in file order. */
  protected rowsByCode(): Map<number, number[]> {
    const out = new Map<number, number[]>();
    const codes = this.rowCode.data;
    for (let r = 0; r < this.rows; r++) {
      const c = codes[r] ?? 0;
      let list = out.get(c);
      if (!list) out.set(c, (list = []));
      list.push(r);
    }
    return out;
  }

  /** The source identity id of identity `who` (an index the store handed out). */
  protected identityId(who: number): string {
    return this.identityIds[who] ?? "";
  }

  protected objectOfIdentity(who: number): LogObject | undefined {
    return who >= 0 ? this.idObject[who] : undefined;
  }

  protected entry(r: number): LoggedEntry {
    const details = this.rowDetails.at(r);
    return {
      id: this.rowId(r),
      activityDateTime: this.rowDate(r),
      reason: this.textOf(this.rowReason.at(r)),
      additionalDetails: details ? this.textOf(details) : this.rowHasDetails.data[r] ? null : undefined,
    };
  }
}

/** What the rules read of one log entry. */
export interface LoggedEntry {
  id: string;
  activityDateTime: string;
  reason: string | undefined;
  additionalDetails: string | null | undefined;
}
