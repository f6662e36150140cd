// predict.csv: a row per attribute change of each user (one row for a user without changes), guarded like every report CSV.
import { toCsv, type Column, type CsvOptions } from "../report/csv.js";
import type { AttributeChange, Prediction, UserPrediction } from "./types.js";

interface Row {
  user: UserPrediction;
  change?: AttributeChange;
  /** The user's unknown attributes as one cell, joined once for all of the user's rows. */
  unknown: string;
}

const cell = (v: unknown): string => (v === null || v === undefined ? "" : typeof v === "string" ? v : JSON.stringify(v));

/** The columns, defined once. */
export const PREDICT_COLUMNS: readonly Column<Row>[] = [
  { header: "action", value: (r) => r.user.action },
  { header: "displayName", value: (r) => r.user.displayName },
  { header: "sourceUserPrincipalName", value: (r) => r.user.sourceUserPrincipalName ?? "" },
  { header: "sourceObjectId", value: (r) => r.user.sourceObjectId ?? "" },
  { header: "targetUserPrincipalName", value: (r) => r.user.targetUserPrincipalName ?? "" },
  { header: "targetObjectId", value: (r) => r.user.targetObjectId ?? "" },
  { header: "matchedBy", value: (r) => r.user.matchedBy ?? "" },
  { header: "reason", value: (r) => r.user.reason ?? "" },
  { header: "attribute", value: (r) => r.change?.attribute ?? "" },
  { header: "expression", value: (r) => r.change?.expression ?? "" },
  { header: "old", value: (r) => cell(r.change?.old) },
  { header: "new", value: (r) => cell(r.change?.new) },
  { header: "drift", value: (r) => (r.change ? String(r.change.drift) : "") },
  { header: "note", value: (r) => r.change?.note ?? "" },
  { header: "unknownAttributes", value: (r) => r.unknown },
];

function rowsOf(user: UserPrediction): Row[] {
  const unknown = user.unknown.map((u) => u.attribute).join(" ");
  return user.changes.length ? user.changes.map((change) => ({ user, change, unknown })) : [{ user, unknown }];
}

/** The whole predict.csv at once (small predictions and tests; the CLI streams it with PredictCsvChunks). */
export function renderPredictCsv(prediction: Prediction, options: CsvOptions = {}): string {
  return toCsv(PREDICT_COLUMNS, prediction.users.flatMap(rowsOf), options);
}

/**
 * predict.csv a batch of users at a time, every batch through toCsv (its guards and quoting): the first carries the
 * header (and the byte order mark), the others have toCsv's header line taken off.
 */
export class PredictCsvChunks {
  private started = false;
  private readonly header = toCsv(PREDICT_COLUMNS, [], {});

  constructor(private readonly options: CsvOptions = {}) {}

  /** The users' rows. */
  add(users: readonly UserPrediction[]): string {
    if (users.length === 0) return "";
    const text = toCsv(PREDICT_COLUMNS, users.flatMap(rowsOf), this.started ? {} : this.options);
    if (!this.started) {
      this.started = true;
      return text;
    }
    if (!text.startsWith(this.header)) throw new Error("predict.csv: a chunk does not start with the header line");
    return text.slice(this.header.length);
  }

  /** The header alone when there were no users. */
  end(): string {
    if (this.started) return "";
    this.started = true;
    return toCsv(PREDICT_COLUMNS, [], this.options);
  }
}
