// Records each facet as it is collected: data written atomically, status and Graph error in the manifest, never lost.
import path from "node:path";
import { GraphRequestError } from "../errors.js";
import type { GraphApi, GraphPage, GraphVersion } from "../graph/client.js";
import { FACETS, facetSpec, type FacetId } from "../snapshot/facets.js";
import type { FacetData } from "../snapshot/graph-types.js";
import type { FacetEntry, Manifest } from "../snapshot/manifest.js";
import { isLicenceError } from "../snapshot/manifest.js";
import { NdjsonWriter, countOf, readFacet, writeFacet, writeManifest } from "../snapshot/store.js";
import { emptyState, writeCollectState, type CollectState, type PageCheckpoint } from "./resume-state.js";

export type FacetProgress = (id: FacetId, entry: FacetEntry) => void;

/** After each page of a paged facet: items read from Graph so far, items kept in the facet, pages, and a total when known. */
export type PageProgress = (id: FacetId, progress: { fetched: number; written: number; pages: number; total?: number }) => void;

export interface RecorderOptions {
  onFacet?: FacetProgress;
  onPage?: PageProgress;
  /** Stops the collection between requests (Ctrl-C): what is complete is recorded, paged facets can be continued. */
  signal?: AbortSignal;
  /** An earlier, interrupted run into the same folder: its ok facets are kept, its paged facets continue. */
  resume?: { facets: Manifest["facets"]; state: CollectState };
}

/** A collector's own verdict on a facet it could not read (e.g. no Graph version offers it), recorded as given. */
export class FacetUnavailable extends Error {
  constructor(
    readonly status: "denied" | "failed",
    readonly error: NonNullable<FacetEntry["error"]>,
    readonly extra: Pick<FacetEntry, "reads"> = {},
  ) {
    super(error.message);
    this.name = "FacetUnavailable";
  }
}

/** The collection was asked to stop (the facet is recorded as failed with code Interrupted). */
export class InterruptedError extends Error {
  constructor() {
    super("collection was interrupted; run again with --resume");
    this.name = "InterruptedError";
  }
}

/**
 * A few objects deleted between the list and the per-object read are normal; more than this many (and more than 1% of
 * the objects read) means the reads did not see the directory the list did, and the facet is degraded.
 */
export const NOT_FOUND_TOLERATED = 3;

/** The entry of a facet read completely, degraded when its unexpected 404s are past the threshold. */
export function completeEntry(base: FacetEntry, notFound?: { count: number; of: number }): FacetEntry {
  if (!notFound || notFound.count === 0) return base;
  const entry = { ...base, notFound: notFound.count };
  if (notFound.count <= Math.max(NOT_FOUND_TOLERATED, Math.floor(notFound.of / 100))) return entry;
  const message = `${notFound.count} of ${notFound.of} objects this run had just listed answered 404 when read one by one`;
  return { ...entry, status: "degraded", error: { code: "UnexpectedNotFound", message } };
}

export class SnapshotRecorder {
  private readonly manifest: Manifest;
  private flushing: Promise<void> = Promise.resolve();
  private readonly state: CollectState;
  private saving: Promise<void> = Promise.resolve();
  private readonly kept = new Set<FacetId>();
  private readonly writers = new Map<FacetId, NdjsonWriter>();
  private readonly notFound = new Map<FacetId, { count: number; of: number }>();
  private readonly options: RecorderOptions;
  /** Work racing the signal (one listener for all: collectors run many requests at once). */
  private readonly waiting = new Set<() => void>();

  constructor(
    readonly dir: string,
    base: Omit<Manifest, "facets">,
    options: RecorderOptions | FacetProgress = {},
  ) {
    this.options = typeof options === "function" ? { onFacet: options } : options;
    const facets: Manifest["facets"] = {};
    for (const spec of FACETS) {
      const earlier = this.options.resume?.facets[spec.id];
      if (earlier?.status === "ok") {
        facets[spec.id] = earlier;
        this.kept.add(spec.id);
      } else {
        facets[spec.id] = { status: "skipped", permission: spec.permission, error: { code: "NotCollected", message: "collection did not reach this facet" } };
      }
    }
    this.manifest = { ...base, facets };
    this.state = structuredClone(this.options.resume?.state ?? emptyState());
    this.options.signal?.addEventListener(
      "abort",
      () => {
        [...this.waiting].forEach((stop) => {
          stop();
        });
      },
      { once: true },
    );
  }

  entry(id: FacetId): FacetEntry {
    const entry = this.manifest.facets[id];
    if (!entry) throw new Error(`facet ${id} is not in the manifest`); // the constructor enters every facet
    return entry;
  }

  isOk(id: FacetId): boolean {
    return this.entry(id).status === "ok";
  }

  /** Kept from the earlier run (resume): not collected again. */
  isKept(id: FacetId): boolean {
    return this.kept.has(id);
  }

  get interrupted(): boolean {
    return this.options.signal?.aborted === true;
  }

  /**
   * `work`, or InterruptedError as soon as the signal fires: a request waiting for a pacer slot or a Retry-After does
   * not hold up Ctrl-C. What `work` still does is ignored (the CLI exits once the manifest and sidecar are written).
   */
  private untilInterrupted<T>(work: Promise<T>): Promise<T> {
    if (!this.options.signal) return work;
    return new Promise<T>((resolve, reject) => {
      const stop = () => {
        work.catch(() => undefined);
        reject(new InterruptedError());
      };
      if (this.interrupted) {
        stop();
        return;
      }
      this.waiting.add(stop);
      work.then(resolve, reject).finally(() => this.waiting.delete(stop));
    });
  }

  /** Paged facets that stopped partway and can be continued by a later `--resume`. */
  resumable(): FacetId[] {
    return Object.keys(this.state.facets) as FacetId[];
  }

  /** Write the manifest as it stands (serialised: concurrent collectors call this). */
  flush(): Promise<void> {
    const snapshot = structuredClone(this.manifest);
    this.flushing = this.flushing.then(() => writeManifest(this.dir, snapshot));
    return this.flushing;
  }

  /** Write the sidecar as it stands (serialised like the manifest). */
  private saveState(): Promise<void> {
    const snapshot = structuredClone(this.state);
    this.saving = this.saving.then(() => writeCollectState(this.dir, snapshot));
    return this.saving;
  }

  private async forget(id: FacetId): Promise<void> {
    if (!this.state.facets[id]) return;
    Reflect.deleteProperty(this.state.facets, id);
    await this.saveState();
  }

  private async set(id: FacetId, entry: FacetEntry): Promise<void> {
    this.manifest.facets[id] = entry;
    this.options.onFacet?.(id, entry);
    await this.flush();
  }

  /** A kept facet is announced like a collected one, so progress shows every facet. */
  private announceKept(id: FacetId): void {
    this.options.onFacet?.(id, this.entry(id));
  }

  async ok<K extends FacetId>(id: K, data: FacetData[K]): Promise<void> {
    const spec = facetSpec(id);
    await writeFacet(this.dir, id, data);
    await this.set(id, completeEntry({ status: "ok", file: spec.file, count: countOf(data), permission: spec.permission }, this.notFound.get(id)));
  }

  /** Call while collecting `id`: `count` of the `of` objects it read one by one answered 404 just after being listed. */
  noteNotFound(id: FacetId, count: number, of: number): void {
    this.notFound.set(id, { count, of });
  }

  /**
   * Stream an NDJSON facet into its `.partial` file; on success it is renamed into place. On failure the partial file
   * stays only when a completed page was checkpointed (a later `--resume` continues it); otherwise nothing half-written
   * stays.
   */
  async stream(id: FacetId, produce: (writer: NdjsonWriter) => Promise<void>): Promise<boolean> {
    if (this.kept.has(id)) {
      this.announceKept(id);
      return true;
    }
    if (this.interrupted) {
      await this.fail(id, new InterruptedError());
      return false;
    }
    const spec = facetSpec(id);
    const writer = await NdjsonWriter.open(path.join(this.dir, spec.file), this.state.facets[id] ? { resume: true } : { partial: true });
    this.writers.set(id, writer);
    try {
      await this.untilInterrupted(produce(writer));
    } catch (err) {
      this.writers.delete(id);
      if (this.state.facets[id]) await writer.close();
      else await writer.abort();
      await this.fail(id, err);
      return false;
    }
    this.writers.delete(id);
    const count = await writer.commit();
    await this.forget(id);
    const entry = completeEntry({ status: "ok", file: spec.file, count, permission: spec.permission }, this.notFound.get(id));
    await this.set(id, entry);
    return entry.status === "ok";
  }

  /**
   * The pages of a collection for the NDJSON facet `id` being streamed (call inside `stream`), checkpointed after each
   * page the collector has written. When the earlier run stopped partway through the same query, the partial file is
   * cut back to its completed pages and paging continues from the saved nextLink; `onKept` then receives the items kept.
   */
  async *pages<T>(
    id: FacetId,
    api: GraphApi,
    query: string,
    options: { version?: GraphVersion; headers?: Record<string, string>; onKept?: (items: T[]) => void } = {},
  ): AsyncGenerator<T[]> {
    const writer = this.writers.get(id);
    if (!writer) throw new Error(`pages(${id}) called outside stream(${id})`);
    const version = options.version ?? "v1.0";
    const paging = { version, ...(options.headers ? { headers: options.headers } : {}) };
    const saved = await this.resumePoint(id, writer, api, query, version);
    let progress = saved ? { fetched: saved.fetched, pages: saved.pages } : { fetched: 0, pages: 0 };
    let source = api.pages<T>(query, saved ? { ...paging, resumeFrom: saved.nextLink } : paging);
    let resumed = saved !== undefined;
    let page: IteratorResult<GraphPage<T>>;
    try {
      page = await this.nextPage(source);
    } catch (err) {
      // A saved nextLink the server no longer accepts (skiptokens expire): this facet starts over.
      if (!resumed || !(err instanceof GraphRequestError && err.status === 400)) throw err;
      resumed = false;
      await writer.keep(0);
      progress = { fetched: 0, pages: 0 };
      source = api.pages<T>(query, paging);
      page = await this.nextPage(source);
    }
    // Starting over: the old checkpoint no longer describes the partial file the collector is about to write.
    if (!resumed) await this.forget(id);
    else if (options.onKept) options.onKept((await this.keptItems(writer)) as T[]);
    while (!page.done) {
      yield page.value.value;
      // Back here, the collector has written the page.
      progress = { fetched: progress.fetched + page.value.value.length, pages: progress.pages + 1 };
      const link = page.value.nextLink;
      if (link) {
        api.resolveNextLink(link); // a link we will not follow fails here, before it is saved as a checkpoint
        this.state.facets[id] = { query, version, nextLink: link, items: writer.written, ...progress };
        await this.saveState();
      }
      const total = page.value.count;
      this.options.onPage?.(id, { ...progress, written: writer.written, ...(total !== undefined ? { total } : {}) });
      if (!link) return;
      page = await this.nextPage(source);
    }
  }

  /** The checkpoint an earlier run saved for this same query, with the partial file cut back to it; else undefined. */
  private async resumePoint(id: FacetId, writer: NdjsonWriter, api: GraphApi, query: string, version: GraphVersion): Promise<PageCheckpoint | undefined> {
    const saved = this.state.facets[id];
    if (!saved || !writer.pending || saved.query !== query || saved.version !== version) return undefined;
    if (!resolvable(api, saved.nextLink) || !(await writer.keep(saved.items))) return undefined;
    return saved;
  }

  /** The next page, or InterruptedError as soon as the collection is asked to stop. */
  private nextPage<T>(source: AsyncGenerator<GraphPage<T>>): Promise<IteratorResult<GraphPage<T>>> {
    if (this.interrupted) return Promise.reject(new InterruptedError());
    return this.untilInterrupted(source.next());
  }

  /** The items kept from the earlier run (the collector may need them in memory, e.g. users). */
  private async keptItems(writer: NdjsonWriter): Promise<unknown[]> {
    const items: unknown[] = [];
    for await (const item of writer.kept()) items.push(item);
    return items;
  }

  async fail(id: FacetId, err: unknown): Promise<void> {
    const spec = facetSpec(id);
    if (err instanceof FacetUnavailable) {
      await this.set(id, { status: err.status, permission: spec.permission, error: err.error, ...err.extra });
      return;
    }
    if (err instanceof GraphRequestError) {
      // 401 is an authentication problem (an expired or invalid token), not a missing permission: recorded as failed;
      // so is a 403 for a missing P1/P2 licence (NON_PREMIUM_TENANT): no permission grant would fix it.
      const denied = err.status === 403 && !isLicenceError(err.graphCode);
      await this.set(id, {
        status: denied ? "denied" : "failed",
        permission: spec.permission,
        error: {
          code: err.graphCode,
          message: err.message,
          ...(err.status ? { httpStatus: err.status } : {}),
          ...(err.requestId ? { requestId: err.requestId } : {}),
        },
      });
      return;
    }
    const message = err instanceof Error ? err.message : String(err);
    const code = err instanceof InterruptedError ? "Interrupted" : "CollectorError";
    await this.set(id, { status: "failed", permission: spec.permission, error: { code, message } });
  }

  async skip(id: FacetId, code: string, message: string): Promise<void> {
    if (this.kept.has(id)) {
      this.announceKept(id);
      return;
    }
    await this.set(id, { status: "skipped", permission: facetSpec(id).permission, error: { code, message } });
  }

  /** Run a JSON facet's producer and record the outcome; returns the data when ok (read back when kept). */
  async collect<K extends FacetId>(id: K, produce: () => Promise<FacetData[K]>): Promise<FacetData[K] | undefined> {
    if (this.kept.has(id)) {
      try {
        const kept = await readFacet(this.dir, id, this.entry(id));
        this.announceKept(id);
        return kept;
      } catch {
        // Damaged since the earlier run: collected anew.
        this.kept.delete(id);
      }
    }
    let data: FacetData[K];
    try {
      data = await this.untilInterrupted(produce());
    } catch (err) {
      await this.fail(id, err);
      return undefined;
    }
    await this.ok(id, data);
    return data;
  }

  /** Wait for the manifest and sidecar writes in flight. */
  async settle(): Promise<void> {
    await this.flush();
    await this.saving;
  }

  result(): Manifest {
    return structuredClone(this.manifest);
  }
}

/** A saved nextLink this client may follow (same origin), or undefined: the facet then starts over. */
function resolvable(api: GraphApi, link: string): { path: string; version: GraphVersion } | undefined {
  try {
    return api.resolveNextLink(link);
  } catch {
    return undefined;
  }
}
