// The sidecar `collect-state.json`: where each paged NDJSON facet stopped, so `collect --resume` continues from there.
import { readFile, unlink } from "node:fs/promises";
import path from "node:path";
import type { GraphVersion } from "../graph/client.js";
import { isFacetId, type FacetId } from "../snapshot/facets.js";
import { writeFileAtomic } from "../snapshot/store.js";

export const STATE_FILE = "collect-state.json";

/** Written after each completed page: the next page to ask for, and how much of the partial file is complete. */
export interface PageCheckpoint {
  /** The facet's first request (path and query, without the Graph root): a resume continues only the same query. */
  query: string;
  version: GraphVersion;
  /** The @odata.nextLink of the next page, as Graph sent it. */
  nextLink: string;
  /** Items in `<facet>.ndjson.partial` after the completed pages (collectors may keep fewer items than they read). */
  items: number;
  /** Items read from Graph so far, and pages (progress only). */
  fetched: number;
  pages: number;
}

export interface CollectState {
  version: 1;
  facets: Partial<Record<FacetId, PageCheckpoint>>;
}

export const emptyState = (): CollectState => ({ version: 1, facets: {} });

function isCheckpoint(v: unknown): v is PageCheckpoint {
  const c = v as Partial<PageCheckpoint> | null;
  return (
    typeof c === "object" &&
    c !== null &&
    typeof c.query === "string" &&
    (c.version === "v1.0" || c.version === "beta") &&
    typeof c.nextLink === "string" &&
    [c.items, c.fetched, c.pages].every((n) => Number.isInteger(n) && (n as number) >= 0)
  );
}

/**
 * The sidecar of an earlier run; absent or unreadable is an empty state (nothing continues, every facet that was not
 * ok is collected anew, which is always correct — only slower).
 */
export async function readCollectState(dir: string): Promise<CollectState> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(path.join(dir, STATE_FILE), "utf8"));
  } catch {
    return emptyState();
  }
  const state = emptyState();
  const facets = (raw as { version?: unknown; facets?: unknown } | null)?.facets;
  if ((raw as { version?: unknown }).version !== 1 || typeof facets !== "object" || facets === null) return state;
  for (const [id, checkpoint] of Object.entries(facets)) {
    if (isFacetId(id) && isCheckpoint(checkpoint)) state.facets[id] = checkpoint;
  }
  return state;
}

export async function writeCollectState(dir: string, state: CollectState): Promise<void> {
  await writeFileAtomic(path.join(dir, STATE_FILE), JSON.stringify(state, null, 2) + "\n");
}

export async function removeCollectState(dir: string): Promise<void> {
  await unlink(path.join(dir, STATE_FILE)).catch(() => undefined);
}
