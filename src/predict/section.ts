// The predict section of report.json: counts per action, the users per action with their diffs (bounded), the drift count.
import { CtsError } from "../errors.js";
import type { Pair } from "../model/pair.js";
import { predictPair } from "./predict.js";
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

export function predictSection(prediction: Prediction): PredictSection {
  const users: Partial<Record<PredictedAction, UserPrediction[]>> = {};
  const omitted: Partial<Record<PredictedAction, number>> = {};
  for (const action of PREDICTED_ACTIONS) {
    if (action === "no-change" || prediction.counts[action] === 0) continue;
    const all = prediction.users.filter((u) => u.action === action);
    users[action] = all.slice(0, REPORT_USERS_PER_ACTION);
    if (all.length > REPORT_USERS_PER_ACTION) omitted[action] = all.length - REPORT_USERS_PER_ACTION;
  }
  const driftChanges = prediction.users.reduce((n, u) => n + u.changes.filter((c) => c.drift).length, 0);
  const threshold = prediction.deleteThreshold ? { deleteThreshold: prediction.deleteThreshold } : {};
  return { counts: prediction.counts, lastCycleSucceeded: prediction.lastCycleSucceeded, driftChanges, ...threshold, users, omitted };
}

/** The section for a pair; when the snapshot cannot support a prediction, why (never a guess). */
export function reportPrediction(pair: Pair): PredictSection {
  try {
    return predictSection(predictPair(pair));
  } catch (err) {
    if (err instanceof CtsError) return { unavailable: err.message };
    throw err;
  }
}
