// JSON batching: GETs in batches of 20, throttled items re-queued under the client's retry policy, results keyed by id.
import { GraphRequestError } from "../errors.js";
import type { GraphApi, GraphVersion } from "./client.js";
import { sleep } from "./limiter.js";
import { backoffMs, RETRY_STATUS, retryAfterMs, type RetryPolicy } from "./middleware.js";

export const BATCH_LIMIT = 20;

export interface BatchGet {
  id: string;
  /** Relative URL without version, e.g. /users/{id}/authentication/phoneMethods */
  url: string;
}

export type BatchOutcome<T> = { ok: true; body: T } | { ok: false; error: GraphRequestError };

interface BatchResponseItem {
  id: string;
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

function header(headers: Record<string, string> | undefined, name: string): string | null {
  if (!headers) return null;
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name.toLowerCase());
  return key ? (headers[key] ?? null) : null;
}

function itemError(item: BatchResponseItem): GraphRequestError {
  const body = item.body as { error?: { code?: string; message?: string; innerError?: Record<string, string> } } | undefined;
  return new GraphRequestError({
    status: item.status,
    graphCode: body?.error?.code ?? `HTTP${item.status}`,
    message: body?.error?.message ?? `HTTP ${item.status}`,
    ...(body?.error?.innerError?.["request-id"] ? { requestId: body.error.innerError["request-id"] } : {}),
  });
}

/** How long a throttled item asks to wait: its Retry-After, else the policy's backoff for this round. */
function itemWait(item: BatchResponseItem, policy: RetryPolicy, round: number): number {
  return retryAfterMs(header(item.headers, "Retry-After")) ?? backoffMs(policy, round);
}

/** Servers that do not implement $batch answer 404/405/501 (or 400 naming the segment): fall back to plain GETs. */
function batchUnsupported(err: unknown): boolean {
  return (
    err instanceof GraphRequestError && (err.status === 404 || err.status === 405 || err.status === 501 || (err.status === 400 && /batch/i.test(err.message)))
  );
}

/** Per client: whether its server answered a $batch (true), lacked it (false), or has not been asked yet. */
const batchSupported = new WeakMap<GraphApi, boolean>();

async function sendChunk(api: GraphApi, chunk: BatchGet[], version: GraphVersion): Promise<Map<string, BatchResponseItem>> {
  if (batchSupported.get(api) !== false) {
    try {
      const body = { requests: chunk.map((r) => ({ id: r.id, method: "GET", url: r.url })) };
      const response = await api.post<{ responses?: BatchResponseItem[] } | undefined>("/$batch", body, version);
      batchSupported.set(api, true);
      return new Map((response?.responses ?? []).map((r) => [String(r.id as unknown), r]));
    } catch (err) {
      if (!batchUnsupported(err) || batchSupported.get(api) === true) throw err;
      batchSupported.set(api, false);
    }
  }
  // One GET per item, shaped like batch responses so the caller's handling is the same.
  const items = await Promise.all(
    chunk.map(async (r): Promise<BatchResponseItem> => {
      try {
        return { id: r.id, status: 200, body: await api.get(r.url, version) };
      } catch (err) {
        if (!(err instanceof GraphRequestError) || err.status === 0) throw err;
        return { id: r.id, status: err.status, body: { error: { code: err.graphCode, message: err.message } } };
      }
    }),
  );
  return new Map(items.map((i) => [i.id, i]));
}

/**
 * Run GETs through /$batch. Items answered 429, 503 or 504 go back in the queue after the longest wait among them: the
 * item's Retry-After, else the client's backoff, as a single GET would (same retry count, same longest wait). Every other
 * outcome is final. The batch request itself is retried by the middleware (a $batch of GETs is a read); if it still
 * fails, this throws.
 */
export async function batchGet<T>(api: GraphApi, requests: BatchGet[], options: { version?: GraphVersion } = {}): Promise<Map<string, BatchOutcome<T>>> {
  const version = options.version ?? "v1.0";
  const policy = api.retryPolicy;
  const results = new Map<string, BatchOutcome<T>>();
  let queue = [...requests];
  for (let round = 0; queue.length > 0; round++) {
    const retry: BatchGet[] = [];
    let waitMs = 0;
    const chunks: BatchGet[][] = [];
    for (let i = 0; i < queue.length; i += BATCH_LIMIT) chunks.push(queue.slice(i, i + BATCH_LIMIT));
    await Promise.all(
      chunks.map(async (chunk) => {
        const byId = await sendChunk(api, chunk, version);
        for (const request of chunk) {
          const item = byId.get(request.id);
          const wait = item && RETRY_STATUS.has(item.status) && round < policy.maxRetries ? itemWait(item, policy, round) : Infinity;
          if (!item) {
            results.set(request.id, {
              ok: false,
              error: new GraphRequestError({ status: 0, graphCode: "MissingBatchResponse", message: "the batch response had no item for this request" }),
            });
          } else if (item.status >= 200 && item.status < 300) {
            results.set(request.id, { ok: true, body: item.body as T });
          } else if (wait <= policy.maxDelayMs) {
            retry.push(request);
            waitMs = Math.max(waitMs, wait);
            api.noteRetry({ url: request.url, status: item.status, waitMs: wait, attempt: round + 1 });
          } else {
            results.set(request.id, { ok: false, error: itemError(item) });
          }
        }
      }),
    );
    queue = retry;
    if (queue.length > 0) await sleep(waitMs);
  }
  return results;
}
