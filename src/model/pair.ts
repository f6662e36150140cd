// The pair view rules read: both tenants' facets side by side, with each facet's collection status.
import { FACETS, type FacetId } from "../snapshot/facets.js";
import type { FacetData } from "../snapshot/graph-types.js";
import type { FacetEntry, Manifest } from "../snapshot/manifest.js";
import { readFacet, readManifest } from "../snapshot/store.js";

export type FacetValues = { [K in FacetId]?: FacetData[K] };

/** A loaded snapshot. Rules only see facets the engine has checked are `ok`. */
export class Pair {
  constructor(
    readonly manifest: Manifest,
    private readonly values: FacetValues,
  ) {}

  get source(): Manifest["source"] {
    return this.manifest.source;
  }

  get target(): Manifest["target"] {
    return this.manifest.target;
  }

  /** Collection status of a facet; a facet the manifest does not list counts as skipped. */
  entry(id: FacetId): FacetEntry {
    return this.manifest.facets[id] ?? { status: "skipped", error: { code: "NotCollected", message: "not in this snapshot" } };
  }

  /** True when the facet was collected completely. */
  has(id: FacetId): boolean {
    return this.entry(id).status === "ok" && id in this.values;
  }

  /** The facet's data. Throws when it was not collected: the engine only hands rules facets they declared. */
  get<K extends FacetId>(id: K): FacetData[K] {
    if (!this.has(id)) throw new Error(`facet ${id} is not available (status ${this.entry(id).status})`);
    return this.values[id] as FacetData[K];
  }

  /** The facet's data, or undefined when it was not collected (for optional facets a rule `uses`). */
  maybe<K extends FacetId>(id: K): FacetData[K] | undefined {
    return this.has(id) ? (this.values[id] as FacetData[K]) : undefined;
  }
}

/** Load every `ok` facet of a snapshot folder. */
export async function loadPair(dir: string): Promise<Pair> {
  const manifest = await readManifest(dir);
  const values: FacetValues = {};
  for (const spec of FACETS) {
    const entry = manifest.facets[spec.id];
    if (entry?.status !== "ok") continue;
    (values as Record<string, unknown>)[spec.id] = await readFacet(dir, spec.id);
  }
  return new Pair(manifest, values);
}
