// predict.json and predict.csv written while the users are predicted: neither file, nor the list of users, is ever held whole.
import { mkdir } from "node:fs/promises";
import path from "node:path";
import type { Pair } from "../model/pair.js";
import type { SynchronizationSchema } from "../snapshot/graph-types.js";
import { AtomicTextWriter } from "../snapshot/atomic-text.js";
import { PredictCsvChunks } from "./csv.js";
import { emptyCounts, predictStream, predictWhatIf, withUsers, type ActionCounts, type PredictionSummary } from "./predict.js";
import type { UnknownAttribute, UserPrediction } from "./types.js";
import { lockstep, WhatIfDiff, type WhatIf } from "./what-if.js";

export interface PredictFilesOptions {
  /** predict.csv with a UTF-8 byte order mark, for Excel. */
  excel?: boolean;
  /** What Now() returns in expressions (default: the snapshot's date). */
  now?: Date;
  /** What-if: predict with this edited copy of the job's schema and compare with the current one. */
  schema?: SynchronizationSchema;
}

// JSON.stringify(document, null, 2) puts a top-level key at the start of a line after two spaces; strings hold no raw newline.
const USERS_KEY = '\n  "users": []';

/** The document's JSON text before and after its (empty) users array, indented as JSON.stringify(…, null, 2) does. */
function aroundUsers(document: object): [string, string] {
  const text = JSON.stringify(document, null, 2);
  const at = text.indexOf(USERS_KEY);
  if (at < 0) throw new Error("predict.json: the document has no users key");
  return [text.slice(0, at) + '\n  "users": [', text.slice(at + USERS_KEY.length) + "\n"];
}

/** JSON.stringify(…, null, 2) of a value at depth two (the text between "[\n  [" and "\n  ]\n]"). */
const atDepthTwo = (value: unknown): string => JSON.stringify([[value]], null, 2).slice(5, -6);

// The unknown entries are interned (user.ts) and most users repeat the same ones: each entry's text at its depth (four,
// inside a user's `unknown`) is made once. It was half of predict.json's bytes, stringified anew for every user.
const entryTexts = new WeakMap<UnknownAttribute, string>();
function entryText(entry: UnknownAttribute): string {
  let text = entryTexts.get(entry);
  if (text === undefined) entryTexts.set(entry, (text = JSON.stringify(entry, null, 2).replace(/^/gm, "        ")));
  return text;
}

const EMPTY_UNKNOWN_END = "[]\n    }";

/** A user as an element of the users array, as atDepthTwo(user) writes it. */
function userJson(user: UserPrediction, first: boolean): string {
  const comma = first ? "" : ",";
  if (user.unknown.length === 0) return comma + atDepthTwo(user);
  const text = atDepthTwo({ ...user, unknown: [] });
  // `unknown` is the user's last key; if it ever is not, the whole user is stringified.
  if (!text.endsWith(`"unknown": ${EMPTY_UNKNOWN_END}`)) return comma + atDepthTwo(user);
  return `${comma}${text.slice(0, -EMPTY_UNKNOWN_END.length)}[\n${user.unknown.map(entryText).join(",\n")}\n      ]\n    }`;
}

/**
 * Write predict.csv and predict.json in `out`, counting the users as they come. `document(counts)` is predict.json
 * without its users (`users: []` where they go). The users' JSON goes to a temp file first, since the counts come
 * before them in the document; each file is renamed into place only when complete.
 */
export async function writePredictFiles(
  out: string,
  users: Iterable<UserPrediction>,
  document: (counts: ActionCounts) => { users: readonly unknown[] },
  options: { excel?: boolean } = {},
): Promise<ActionCounts> {
  await mkdir(out, { recursive: true });
  const csvFile = await AtomicTextWriter.open(path.join(out, "predict.csv"));
  const jsonFile = await AtomicTextWriter.open(path.join(out, "predict.json"));
  const usersPart = await AtomicTextWriter.open(path.join(out, "predict.json.users"));
  try {
    const counts = emptyCounts();
    const csv = new PredictCsvChunks(options);
    let first = true;
    for (const user of users) {
      counts[user.action]++;
      await usersPart.write(userJson(user, first));
      await csvFile.write(csv.add(user));
      first = false;
    }
    await csvFile.write(csv.end());
    await usersPart.flush();
    const [head, tail] = aroundUsers(document(counts));
    await jsonFile.write(head);
    await jsonFile.append(usersPart.tmp);
    await jsonFile.write((first ? "]" : "\n  ]") + tail);
    await jsonFile.commit();
    await csvFile.commit();
    return counts;
  } finally {
    await Promise.all([usersPart.abort(), jsonFile.abort(), csvFile.abort()]);
  }
}

export type PredictFilesResult = PredictionSummary & { whatIf?: WhatIf };

/** `predict --out DIR`: the prediction (or, with a schema, the edited one and its what-if) streamed into DIR's files. */
export async function predictToFiles(pair: Pair, out: string, options: PredictFilesOptions = {}): Promise<PredictFilesResult> {
  const files = { excel: options.excel === true };
  if (!options.schema) {
    const stream = predictStream(pair, options.now);
    const counts = await writePredictFiles(out, stream.users(), (c) => withUsers(stream.summary(c), []), files);
    return stream.summary(counts);
  }
  const { current, edited } = predictWhatIf(pair, options.schema, options.now);
  const diff = new WhatIfDiff();
  function* compared(): Generator<UserPrediction> {
    for (const [cur, edit] of lockstep(current.users(), edited.users())) {
      diff.add(cur, edit);
      yield edit;
    }
  }
  const document = (c: ActionCounts) => ({ ...withUsers(edited.summary(c), []), whatIf: diff.result() });
  const counts = await writePredictFiles(out, compared(), document, files);
  return { ...edited.summary(counts), whatIf: diff.result() };
}
