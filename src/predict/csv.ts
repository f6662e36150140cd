// predict.csv: a row per attribute change of each user (one row for a user without changes), guarded like every report CSV.
import { toCsv, type Column } from "../report/csv.js";
import type { AttributeChange, Prediction, UserPrediction } from "./types.js";

interface Row {
  user: UserPrediction;
  change?: AttributeChange;
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
  { header: "unknownAttributes", value: (r) => r.user.unknown.map((u) => u.attribute).join(" ") },
];

export function renderPredictCsv(prediction: Prediction, options: { excel?: boolean } = {}): string {
  const rows: Row[] = prediction.users.flatMap((user) => (user.changes.length ? user.changes.map((change) => ({ user, change })) : [{ user }]));
  return toCsv(PREDICT_COLUMNS, rows, options);
}
