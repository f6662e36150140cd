// What-if: the difference between the prediction with the current schema and with an edited copy of it.
import { sameValue } from "../model/mapping-values.js";
import type { AttributeChange, PredictedAction, Prediction, UserPrediction } from "./types.js";

export interface WhatIf {
  /** Users whose action differs. */
  actions: { displayName: string; objectId: string; current: PredictedAction; edited: PredictedAction }[];
  /** Target attributes that would get another value (or a value where none was written). */
  values: { displayName: string; objectId: string; attribute: string; current: unknown; edited: unknown }[];
}

const keyOf = (u: UserPrediction): string => u.sourceObjectId ?? u.targetObjectId ?? u.displayName;

/** The value a user ends with for an attribute: what the cycle writes, else what the target already holds. */
function finalValues(u: UserPrediction | undefined): Map<string, AttributeChange> {
  return new Map((u?.changes ?? []).map((c) => [c.attribute.toLowerCase(), c]));
}

function valueDiffs(key: string, cur: UserPrediction | undefined, edit: UserPrediction | undefined): WhatIf["values"] {
  const a = finalValues(cur);
  const b = finalValues(edit);
  const out: WhatIf["values"] = [];
  for (const attr of new Set([...a.keys(), ...b.keys()])) {
    const x = a.get(attr);
    const y = b.get(attr);
    const either = x ?? y;
    const user = edit ?? cur;
    if (!either || !user) continue;
    // Without a change the attribute keeps its target value, which the other side's change names as `old`.
    const current = x ? x.new : y?.old;
    const edited = y ? y.new : x?.old;
    if (!sameValue(current, edited)) out.push({ displayName: user.displayName, objectId: key, attribute: either.attribute, current, edited });
  }
  return out;
}

/** Collects the differences of users compared one pair at a time: only the differences are kept. */
export class WhatIfDiff {
  readonly actions: WhatIf["actions"] = [];
  readonly values: WhatIf["values"] = [];

  add(cur: UserPrediction | undefined, edit: UserPrediction | undefined): void {
    const user = edit ?? cur;
    if (!user) return;
    const key = keyOf(user);
    if (cur?.action !== edit?.action)
      this.actions.push({ displayName: user.displayName, objectId: key, current: cur?.action ?? "no-change", edited: edit?.action ?? "no-change" });
    this.values.push(...valueDiffs(key, cur, edit));
  }

  result(): WhatIf {
    return { actions: this.actions, values: this.values };
  }
}

/**
 * The two predictions' users side by side. Both come from one correlation (predictWhatIf), so the same user is at
 * the same place in both; a stream that does not is a programming error, not a difference.
 */
export function* lockstep(current: Iterable<UserPrediction>, edited: Iterable<UserPrediction>): Generator<[UserPrediction, UserPrediction]> {
  const a = current[Symbol.iterator]();
  const b = edited[Symbol.iterator]();
  for (;;) {
    const x = a.next();
    const y = b.next();
    if (x.done !== y.done || (!x.done && !y.done && keyOf(x.value) !== keyOf(y.value)))
      throw new Error("what-if: the two predictions do not list the same users");
    if (x.done || y.done) return;
    yield [x.value, y.value];
  }
}

/** The what-if of two whole predictions (small pairs and tests); the CLI compares the streams with lockstep. */
export function compareWhatIf(current: Prediction, edited: Prediction): WhatIf {
  const before = new Map(current.users.map((u) => [keyOf(u), u]));
  const after = new Map(edited.users.map((u) => [keyOf(u), u]));
  const diff = new WhatIfDiff();
  for (const key of new Set([...before.keys(), ...after.keys()])) diff.add(before.get(key), after.get(key));
  return diff.result();
}
