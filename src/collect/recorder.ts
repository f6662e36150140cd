// Records each facet as it is collected: data written atomically, status and Graph error in the manifest, never lost.
import path from "node:path";
import { GraphRequestError } from "../errors.js";
import { FACETS, facetSpec, type FacetId } from "../snapshot/facets.js";
import type { FacetData } from "../snapshot/graph-types.js";
import type { FacetEntry, Manifest } from "../snapshot/manifest.js";
import { NdjsonWriter, countOf, writeFacet, writeManifest } from "../snapshot/store.js";

export type FacetProgress = (id: FacetId, entry: FacetEntry) => void;

export class SnapshotRecorder {
  private readonly manifest: Manifest;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    readonly dir: string,
    base: Omit<Manifest, "facets">,
    private readonly onFacet?: FacetProgress,
  ) {
    const facets: Manifest["facets"] = {};
    for (const spec of FACETS) {
      facets[spec.id] = { status: "skipped", permission: spec.permission, error: { code: "NotCollected", message: "collection did not reach this facet" } };
    }
    this.manifest = { ...base, facets };
  }

  entry(id: FacetId): FacetEntry {
    return this.manifest.facets[id]!;
  }

  isOk(id: FacetId): boolean {
    return this.entry(id).status === "ok";
  }

  /** Write the manifest as it stands (serialised: concurrent collectors call this). */
  flush(): Promise<void> {
    const snapshot = structuredClone(this.manifest);
    this.flushing = this.flushing.then(() => writeManifest(this.dir, snapshot));
    return this.flushing;
  }

  private async set(id: FacetId, entry: FacetEntry): Promise<void> {
    this.manifest.facets[id] = entry;
    this.onFacet?.(id, entry);
    await this.flush();
  }

  async ok<K extends FacetId>(id: K, data: FacetData[K]): Promise<void> {
    const spec = facetSpec(id);
    await writeFacet(this.dir, id, data);
    await this.set(id, { status: "ok", file: spec.file, count: countOf(data), permission: spec.permission });
  }

  /** Stream an NDJSON facet; on failure the temp file is abandoned and the facet marked, nothing half-written stays. */
  async stream(id: FacetId, produce: (writer: NdjsonWriter) => Promise<void>): Promise<boolean> {
    const spec = facetSpec(id);
    const writer = await NdjsonWriter.open(path.join(this.dir, spec.file));
    try {
      await produce(writer);
    } catch (err) {
      await writer.abort();
      await this.fail(id, err);
      return false;
    }
    const count = await writer.commit();
    await this.set(id, { status: "ok", file: spec.file, count, permission: spec.permission });
    return true;
  }

  async fail(id: FacetId, err: unknown): Promise<void> {
    const spec = facetSpec(id);
    if (err instanceof GraphRequestError) {
      // 401 is an authentication problem (an expired or invalid token), not a missing permission: recorded as failed.
      const denied = err.status === 403;
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
    await this.set(id, { status: "failed", permission: spec.permission, error: { code: "CollectorError", message } });
  }

  async skip(id: FacetId, code: string, message: string): Promise<void> {
    await this.set(id, { status: "skipped", permission: facetSpec(id).permission, error: { code, message } });
  }

  /** Run a JSON facet's producer and record the outcome; returns the data when ok. */
  async collect<K extends FacetId>(id: K, produce: () => Promise<FacetData[K]>): Promise<FacetData[K] | undefined> {
    let data: FacetData[K];
    try {
      data = await produce();
    } catch (err) {
      await this.fail(id, err);
      return undefined;
    }
    await this.ok(id, data);
    return data;
  }

  result(): Manifest {
    return structuredClone(this.manifest);
  }
}
