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

export function compareWhatIf(current: Prediction, edited: Prediction): WhatIf {
  const before = new Map(current.users.map((u) => [keyOf(u), u]));
  const after = new Map(edited.users.map((u) => [keyOf(u), u]));
  const actions: WhatIf["actions"] = [];
  const values: WhatIf["values"] = [];
  for (const key of new Set([...before.keys(), ...after.keys()])) {
    const cur = before.get(key);
    const edit = after.get(key);
    const user = edit ?? cur;
    if (!user) continue;
    const name = user.displayName;
    if (cur?.action !== edit?.action)
      actions.push({ displayName: name, objectId: key, current: cur?.action ?? "no-change", edited: edit?.action ?? "no-change" });
    values.push(...valueDiffs(key, cur, edit));
  }
  return { actions, values };
}
