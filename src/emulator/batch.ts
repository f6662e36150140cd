// JSON batching (graph-api.md §8.1): validation of the envelope, dependsOn ordering with 424, per-item responses.
import { GraphFault, type Reply } from "./reply.js";

export const BATCH_LIMIT = 20;

export interface BatchItem {
  id: string;
  method: string;
  url: string;
  headers: Record<string, string>;
  body: unknown;
  dependsOn: string[];
}

/** Runs one sub-request through the router (faults, journal and errors included); never throws. */
export type RunItem = (item: BatchItem) => Promise<Reply>;
/** Builds an error reply (with the Graph envelope) for an item the batch itself fails. */
export type ErrorReply = (status: number, code: string, message: string) => Reply;

function invalid(message: string): GraphFault {
  return new GraphFault(400, "BadRequest", message);
}

/** Check the whole payload first: Graph rejects a malformed batch as a whole with 400, before running anything. */
export function readBatch(body: unknown): BatchItem[] {
  const requests = (body as { requests?: unknown } | null)?.requests;
  if (!Array.isArray(requests)) throw invalid("Invalid batch payload format.");
  if (requests.length === 0) throw invalid("Invalid batch payload format: no requests.");
  if (requests.length > BATCH_LIMIT) throw invalid(`Number of batch requests exceeds the limit of ${BATCH_LIMIT}.`);
  const seen = new Set<string>();
  return requests.map((raw: unknown) => {
    const r = (raw ?? {}) as Record<string, unknown>;
    const id = typeof r.id === "number" ? String(r.id) : r.id;
    if (typeof id !== "string" || id === "" || typeof r.method !== "string" || typeof r.url !== "string") {
      throw invalid("Invalid batch payload format: every request needs id, method and url.");
    }
    const dependsOn = r.dependsOn === undefined ? [] : r.dependsOn;
    if (!Array.isArray(dependsOn) || !dependsOn.every((d) => typeof d === "string" && seen.has(d.toLowerCase()))) {
      throw invalid(`Request '${id}' has an invalid dependsOn: it must list ids of earlier requests.`);
    }
    if (seen.has(id.toLowerCase())) throw invalid(`Batch request ids must be unique; '${id}' appears more than once.`);
    seen.add(id.toLowerCase());
    const headers: Record<string, string> = {};
    if (r.headers && typeof r.headers === "object") {
      for (const [k, v] of Object.entries(r.headers as Record<string, unknown>)) if (typeof v === "string") headers[k.toLowerCase()] = v;
    }
    return { id, method: r.method.toUpperCase(), url: r.url, headers, body: r.body, dependsOn: dependsOn as string[] };
  });
}

/** Run every item (independent ones concurrently); a dependant of a failed item gets 424 without running. */
export async function runBatch(items: readonly BatchItem[], run: RunItem, error: ErrorReply): Promise<Reply> {
  const done = new Map<string, Promise<Reply>>();
  for (const item of items) {
    const deps = item.dependsOn.map((d) => done.get(d.toLowerCase()) as Promise<Reply>);
    done.set(
      item.id.toLowerCase(),
      Promise.all(deps).then((results) =>
        results.every((r) => r.status >= 200 && r.status < 300) ? run(item) : error(424, "FailedDependency", "Failed dependency."),
      ),
    );
  }
  const responses = [];
  for (const item of items) {
    const reply = await (done.get(item.id.toLowerCase()) as Promise<Reply>);
    const headers: Record<string, string> = { ...reply.headers };
    // BatchResponseContent only JSON-serialises an item whose "Content-Type" (this exact case) is JSON.
    if (reply.body !== undefined) headers["Content-Type"] = "application/json";
    responses.push(
      reply.body === undefined ? { id: item.id, status: reply.status, headers } : { id: item.id, status: reply.status, headers, body: reply.body },
    );
  }
  return { status: 200, body: { responses } };
}
