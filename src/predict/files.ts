// predict.json and predict.csv written while the users are predicted: neither file, nor the list of users, is ever held whole.
import { mkdir } from "node:fs/promises";
import path from "node:path";
import type { Pair } from "../model/pair.js";
import type { SynchronizationSchema } from "../snapshot/graph-types.js";
import { AtomicTextWriter } from "../snapshot/atomic-text.js";
import { emptyCounts, predictStream, predictWhatIf, withUsers, type ActionCounts, type PredictionSummary } from "./predict.js";
import type { RenderedBatch } from "./render.js";
import { openRenderer, type Renderer } from "./render-thread.js";
import type { UserPrediction } from "./types.js";
import { lockstep, WhatIfDiff, type WhatIf } from "./what-if.js";

export interface PredictFilesOptions {
  /** predict.csv with a UTF-8 byte order mark, for Excel. */
  excel?: boolean;
  /** What Now() returns in expressions (default: the snapshot's date). */
  now?: Date;
  /** What-if: predict with this edited copy of the job's schema and compare with the current one. */
  schema?: SynchronizationSchema;
  /** The render thread's script (default: the compiled render-worker.js), or false to render in this thread. */
  thread?: URL | false;
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

/** Users per message to the render thread, and messages in flight: enough to keep it busy, few enough to stay bounded. */
const BATCH_USERS = 100;
const IN_FLIGHT = 16;

/**
 * Write predict.csv and predict.json in `out`, counting the users as they come, their text rendered by `renderer`
 * (the caller's, which it closes). `document(counts)` is predict.json without its users (`users: []` where they go).
 * The users' JSON goes to a temp file first, since the counts come before them in the document; each file is renamed
 * into place only when complete.
 */
export async function writePredictFiles(
  out: string,
  users: Iterable<UserPrediction>,
  document: (counts: ActionCounts) => { users: readonly unknown[] },
  renderer: Renderer,
): Promise<ActionCounts> {
  await mkdir(out, { recursive: true });
  const csvFile = await AtomicTextWriter.open(path.join(out, "predict.csv"));
  const jsonFile = await AtomicTextWriter.open(path.join(out, "predict.json"));
  const usersPart = await AtomicTextWriter.open(path.join(out, "predict.json.users"));
  const inflight: Promise<RenderedBatch>[] = [];
  const send = (rendered: Promise<RenderedBatch>) => {
    rendered.catch(() => undefined); // awaited in turn below; a failure meanwhile is not an unhandled rejection
    inflight.push(rendered);
  };
  /** Write the rendered batches, oldest first, until `left` are still in flight. */
  const writeUntil = async (left: number) => {
    while (inflight.length > left) {
      const next = inflight.shift();
      if (!next) break;
      const rendered = await next;
      await usersPart.writeScrubbed(rendered.json);
      await csvFile.writeScrubbed(rendered.csv);
    }
  };
  try {
    const counts = emptyCounts();
    let batch: UserPrediction[] = [];
    let total = 0;
    for (const user of users) {
      counts[user.action]++;
      total++;
      batch.push(user);
      if (batch.length < BATCH_USERS) continue;
      send(renderer.render(batch));
      batch = [];
      await writeUntil(IN_FLIGHT);
    }
    if (batch.length) send(renderer.render(batch));
    send(renderer.end());
    await writeUntil(0);
    await usersPart.flush();
    const [head, tail] = aroundUsers(document(counts));
    await jsonFile.write(head);
    await jsonFile.append(usersPart.tmp);
    await jsonFile.write((total === 0 ? "]" : "\n  ]") + tail);
    await jsonFile.commit();
    await csvFile.commit();
    return counts;
  } finally {
    await Promise.all([usersPart.abort(), jsonFile.abort(), csvFile.abort()]);
  }
}

export type PredictFilesResult = PredictionSummary & { whatIf?: WhatIf };

/**
 * `predict --out DIR`: the prediction (or, with a schema, the edited one and its what-if) streamed into DIR's files.
 * Rendering the text is most of the work after the prediction itself, so a thread does it meanwhile; it starts while
 * the prediction's setup (scope, correlation) runs, and a snapshot that cannot be predicted fails before DIR is made.
 */
export async function predictToFiles(pair: Pair, out: string, options: PredictFilesOptions = {}): Promise<PredictFilesResult> {
  const renderer = openRenderer({ excel: options.excel === true }, options.thread);
  try {
    if (!options.schema) {
      const stream = predictStream(pair, options.now);
      const counts = await writePredictFiles(out, stream.users(), (c) => withUsers(stream.summary(c), []), renderer);
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
    const counts = await writePredictFiles(out, compared(), document, renderer);
    return { ...edited.summary(counts), whatIf: diff.result() };
  } finally {
    await renderer.close();
  }
}
