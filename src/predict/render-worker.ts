// The thread that renders predict --out's text (render.ts) while the main thread predicts the next users.
import { parentPort, workerData } from "node:worker_threads";
import type { CsvOptions } from "../report/csv.js";
import { PredictRenderer, type RenderedBatch } from "./render.js";
import type { UserPrediction } from "./types.js";

/** A batch of users, or the end of the run; each message gets one RenderedBatch back, in order. */
export type RenderMessage = { users: UserPrediction[] } | { end: true };

const port = parentPort;
if (!port) throw new Error("render-worker.js runs as a worker thread only");
const renderer = new PredictRenderer(workerData as CsvOptions);
port.on("message", (message: RenderMessage) => {
  const reply: RenderedBatch = "end" in message ? renderer.end() : renderer.batch(message.users);
  port.postMessage(reply);
});
