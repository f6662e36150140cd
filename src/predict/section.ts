// The predict section of report.json: counts per action, the users per action with their diffs (bounded), the drift count.
import { CtsError } from "../errors.js";
import type { Pair } from "../model/pair.js";
import { emptyCounts, predictStream, type ActionCounts, type PredictionSummary } from "./predict.js";
import { PREDICTED_ACTIONS, type PredictedAction, type Prediction, type UserPrediction } from "./types.js";

/** report.json lists at most this many users per action; predict.json and predict.csv list them all. */
export const REPORT_USERS_PER_ACTION = 1_000;

export type PredictSection =
  | {
      counts: Record<PredictedAction, number>;
      lastCycleSucceeded: boolean;
      /** Attribute changes that are drift (the target differs although the last cycle succeeded). */
      driftChanges: number;
      deleteThreshold?: Prediction["deleteThreshold"];
      /** Users per action except no-change (only counted), with their attribute changes. */
      users: Partial<Record<PredictedAction, UserPrediction[]>>;
      /** Users left out of `users` per action beyond REPORT_USERS_PER_ACTION. */
      omitted: Partial<Record<PredictedAction, number>>;
    }
  | { unavailable: string };

/** The section from users as they come: every user counted, at most REPORT_USERS_PER_ACTION kept per action. */
export function sectionOf(users: Iterable<UserPrediction>, summaryOf: (counts: ActionCounts) => PredictionSummary): PredictSection {
  const counts = emptyCounts();
  const kept: Partial<Record<PredictedAction, UserPrediction[]>> = {};
  let driftChanges = 0;
  for (const u of users) {
    counts[u.action]++;
    for (const c of u.changes) if (c.drift) driftChanges++;
    if (u.action === "no-change") continue;
    const list = (kept[u.action] ??= []);
    if (list.length < REPORT_USERS_PER_ACTION) list.push(u);
  }
  const summary = summaryOf(counts);
  const listed: Partial<Record<PredictedAction, UserPrediction[]>> = {};
  const omitted: Partial<Record<PredictedAction, number>> = {};
  for (const action of PREDICTED_ACTIONS) {
    const list = kept[action];
    if (!list) continue;
    listed[action] = list;
    if (counts[action] > list.length) omitted[action] = counts[action] - list.length;
  }
  const threshold = summary.deleteThreshold ? { deleteThreshold: summary.deleteThreshold } : {};
  return { counts: summary.counts, lastCycleSucceeded: summary.lastCycleSucceeded, driftChanges, ...threshold, users: listed, omitted };
}

export function predictSection(prediction: Prediction): PredictSection {
  return sectionOf(prediction.users, () => prediction);
}

/** The section for a pair, predicted as a stream (report.json never needs every user); when the snapshot cannot support a prediction, why (never a guess). */
export function reportPrediction(pair: Pair): PredictSection {
  try {
    const stream = predictStream(pair);
    return sectionOf(stream.users(), (counts) => stream.summary(counts));
  } catch (err) {
    if (err instanceof CtsError) return { unavailable: err.message };
    throw err;
  }
}
