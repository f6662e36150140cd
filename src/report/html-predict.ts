// The HTML report's "Next cycle" section: report.predict as counts per action, the users per action and their diffs.
import type { PredictSection } from "../predict/section.js";
import type { AttributeChange, PredictedAction, UserPrediction } from "../predict/types.js";
import { FIRST_PAGE, visible } from "./html-view.js";
import type { Report } from "./model.js";

/** The actions in the order the section lists them, with their headings (not a rule: the text lives here). */
const ACTIONS: { action: PredictedAction; label: string }[] = [
  { action: "create", label: "Create" },
  { action: "update", label: "Update" },
  { action: "no-change", label: "No change" },
  { action: "skip", label: "Skip" },
  { action: "deprovision", label: "Deprovision" },
  { action: "inconclusive", label: "Inconclusive" },
];

const shown = (v: unknown): string => {
  if (v === null || v === undefined || v === "") return "(empty)";
  return visible(typeof v === "string" ? v : JSON.stringify(v));
};

function changeRow(c: AttributeChange) {
  return { attribute: visible(c.attribute), old: shown(c.old), new: shown(c.new), drift: c.drift, note: c.note ? visible(c.note) : null };
}

function userRow(u: UserPrediction) {
  return {
    displayName: visible(u.displayName),
    upn: u.sourceUserPrincipalName ? visible(u.sourceUserPrincipalName) : null,
    targetUpn: u.targetUserPrincipalName ? visible(u.targetUserPrincipalName) : null,
    reason: u.reason ? visible(u.reason) : null,
    changes: u.changes.map(changeRow),
  };
}

type Available = Exclude<PredictSection, { unavailable: string }>;

/** One action's collapsed list: at most FIRST_PAGE users here, the rest counted (report.json and predict.csv have more). */
function actionView(p: Available, action: PredictedAction, label: string) {
  const users = p.users[action] ?? [];
  const more = users.length - Math.min(users.length, FIRST_PAGE) + (p.omitted[action] ?? 0);
  return { action, label, count: p.counts[action], users: users.slice(0, FIRST_PAGE).map(userRow), more };
}

/** The section's view, or null when the report has no prediction (an older report.json, or not analysed). */
export function predictView(report: Report) {
  const p = report.predict;
  if (!p) return null;
  if ("unavailable" in p) return { unavailable: visible(p.unavailable), counts: [], actions: [], lastCycleSucceeded: false, driftChanges: 0, threshold: null };
  const threshold = p.deleteThreshold ? { value: p.deleteThreshold.value, exceeded: p.deleteThreshold.exceeded } : null;
  return {
    unavailable: null,
    counts: ACTIONS.map(({ action, label }) => ({ action, label, count: p.counts[action] })),
    // No-change users are only counted (report.predict lists none), so only the other actions get a list.
    actions: ACTIONS.filter(({ action }) => action !== "no-change" && p.counts[action] > 0).map(({ action, label }) => actionView(p, action, label)),
    lastCycleSucceeded: p.lastCycleSucceeded,
    driftChanges: p.driftChanges,
    threshold,
  };
}
