// predict --out's text rendered off the main thread: batches of users go to render-worker.js, their text comes back in order.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { CsvOptions } from "../report/csv.js";
import { registeredSecrets } from "../graph/scrub.js";
import { PredictRenderer, scrubbedBytes, type RenderedBatch, type RenderSettings } from "./render.js";
import type { RenderMessage } from "./render-worker.js";
import type { UserPrediction } from "./types.js";

export interface Renderer {
  render(users: UserPrediction[]): Promise<RenderedBatch>;
  end(): Promise<RenderedBatch>;
  close(): Promise<void>;
}

/**
 * The compiled worker beside this module. When the TypeScript sources run directly (the tests), there is none and the
 * text is rendered in this thread: the same PredictRenderer, so the same bytes.
 */
export const RENDER_WORKER = new URL("./render-worker.js", import.meta.url);

/** A renderer in a worker thread running `thread`, or in this thread when it is false or not there. */
export function openRenderer(options: CsvOptions, thread: URL | false = RENDER_WORKER): Renderer {
  if (thread && existsSync(fileURLToPath(thread))) return new ThreadRenderer(thread, options);
  const inline = new PredictRenderer(options);
  return {
    render: (users) => Promise.resolve(scrubbedBytes(inline.batch(users))),
    end: () => Promise.resolve(scrubbedBytes(inline.end())),
    close: () => Promise.resolve(),
  };
}

class ThreadRenderer implements Renderer {
  private readonly worker: Worker;
  /** The messages sent and not answered yet, oldest first: the worker answers each in turn. */
  private readonly waiting: { resolve: (batch: RenderedBatch) => void; reject: (err: Error) => void }[] = [];
  private failure: Error | undefined;
  private closed = false;

  constructor(file: URL, options: CsvOptions) {
    const settings: RenderSettings = { csv: options, secrets: registeredSecrets() };
    this.worker = new Worker(file, { workerData: settings });
    this.worker.on("message", (batch: RenderedBatch) => this.waiting.shift()?.resolve(batch));
    this.worker.on("error", (err) => {
      this.fail(err);
    });
    this.worker.on("exit", (code) => {
      if (!this.closed) this.fail(new Error(`predict's render thread stopped (exit code ${String(code)})`));
    });
  }

  render(users: UserPrediction[]): Promise<RenderedBatch> {
    return this.send({ users });
  }

  end(): Promise<RenderedBatch> {
    return this.send({ end: true });
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.worker.terminate();
  }

  private send(message: RenderMessage): Promise<RenderedBatch> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      this.worker.postMessage(message);
    });
  }

  private fail(err: Error): void {
    this.failure ??= err;
    for (const w of this.waiting.splice(0)) w.reject(this.failure);
  }
}
