// predict.json's users and predict.csv's rows rendered a batch of users at a time, the same text in this thread or in render-worker.ts.
import { scrubSecrets } from "../graph/scrub.js";
import type { CsvOptions } from "../report/csv.js";
import { PredictCsvChunks } from "./csv.js";
import type { UnknownAttribute, UserPrediction } from "./types.js";

/** The text a batch adds to each file: predict.csv's rows, and elements of predict.json's users array. */
export interface RenderedText {
  csv: string;
  json: string;
}

/** The same as UTF-8 bytes, scrubbed of the process's secrets: what the writers append as they are. */
export interface RenderedBatch {
  csv: Uint8Array<ArrayBuffer>;
  json: Uint8Array<ArrayBuffer>;
}

/** What a render thread is started with. */
export interface RenderSettings {
  csv: CsvOptions;
  /** The main thread's registered secrets (graph/scrub.ts). */
  secrets: string[];
}

const encoder = new TextEncoder();

/** Each its own buffer (TextEncoder never pools), so that a worker can transfer it. */
export const scrubbedBytes = (text: RenderedText): RenderedBatch => ({
  csv: encoder.encode(scrubSecrets(text.csv)),
  json: encoder.encode(scrubSecrets(text.json)),
});

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
function userJson(user: UserPrediction): string {
  if (user.unknown.length === 0) return atDepthTwo(user);
  const text = atDepthTwo({ ...user, unknown: [] });
  // `unknown` is the user's last key; if it ever is not, the whole user is stringified.
  if (!text.endsWith(`"unknown": ${EMPTY_UNKNOWN_END}`)) return atDepthTwo(user);
  return `${text.slice(0, -EMPTY_UNKNOWN_END.length)}[\n${user.unknown.map(entryText).join(",\n")}\n      ]\n    }`;
}

/** One run's renderer: the users in the order they are predicted, then end(). */
export class PredictRenderer {
  private first = true;
  private readonly csv: PredictCsvChunks;

  constructor(options: CsvOptions = {}) {
    this.csv = new PredictCsvChunks(options);
  }

  batch(users: readonly UserPrediction[]): RenderedText {
    let json = "";
    for (const user of users) {
      json += (this.first ? "" : ",") + userJson(user);
      this.first = false;
    }
    return { csv: this.csv.add(users), json };
  }

  /** The CSV header when there were no users. */
  end(): RenderedText {
    return { csv: this.csv.end(), json: "" };
  }
}
