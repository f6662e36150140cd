// The thread that renders predict --out's text (render.ts) while the main thread predicts the next users.
import { parentPort, workerData } from "node:worker_threads";
import { registerSecret } from "../graph/scrub.js";
import { PredictRenderer, scrubbedBytes, type RenderSettings } from "./render.js";
import type { UserPrediction } from "./types.js";

/** A batch of users, or the end of the run; each message gets one RenderedBatch back, in order. */
export type RenderMessage = { users: UserPrediction[] } | { end: true };

const port = parentPort;
if (!port) throw new Error("render-worker.js runs as a worker thread only");
const settings = workerData as RenderSettings;
// The main thread's tokens and secrets: this thread's output is scrubbed of them as every writer's is.
for (const secret of settings.secrets) registerSecret(secret);
const renderer = new PredictRenderer(settings.csv);
port.on("message", (message: RenderMessage) => {
  const reply = scrubbedBytes("end" in message ? renderer.end() : renderer.batch(message.users));
  // The bytes are handed over, not copied: the main thread writes them without holding the text on its heap.
  port.postMessage(reply, [reply.csv.buffer, reply.json.buffer]);
});
