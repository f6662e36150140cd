// The pair view rules read: both tenants' facets side by side, with each facet's collection status.
import type { FacetId } from "../snapshot/facets.js";
import type { FacetData } from "../snapshot/graph-types.js";
import type { FacetEntry, Manifest } from "../snapshot/manifest.js";
import { readSnapshot, type FacetValues } from "../snapshot/read.js";
import { LogSummary, summarizeLogs } from "./log-queries.js";
import { applyOutcomes } from "./log-outcomes.js";

export type { FacetValues };

/** A loaded snapshot. Rules only see facets the engine has checked are `ok`. */
export class Pair {
  private outcomesApplied = false;

  /**
   * @param logSummary the provisioning logs summarised while streaming (loadPair); when absent and `values` holds the
   *   logs as an array (fixtures, tests), the summary is built from it on first use.
   */
  constructor(
    readonly manifest: Manifest,
    private readonly values: FacetValues,
    private logSummary?: LogSummary,
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
    return this.entry(id).status === "ok" && (id in this.values || (id === "source.provisioningLogs" && this.logSummary !== undefined));
  }

  /**
   * The provisioning logs as a one-pass summary (log-store.ts, log-queries.ts), or undefined when they were not collected. Rules read
   * the logs only through this: a large snapshot keeps no entry in memory.
   */
  logs(): LogSummary | undefined {
    if (!this.has("source.provisioningLogs")) return undefined;
    this.logSummary ??= summarizeLogs(this.values["source.provisioningLogs"] ?? []);
    // Once: the latest successes of the problem objects (log-outcomes.ts), when that facet was collected.
    if (!this.outcomesApplied) applyOutcomes(this.logSummary, this.maybe("source.provisioningOutcomes"));
    this.outcomesApplied = true;
    return this.logSummary;
  }

  /** The facet's data. Throws when it was not collected: the engine only hands rules facets they declared. */
  get<K extends FacetId>(id: K): FacetData[K] {
    if (!this.has(id)) throw new Error(`facet ${id} is not available (status ${this.entry(id).status})`);
    if (!(id in this.values)) throw new Error(`facet ${id} is too large to keep in memory: read pair.logs()`);
    return this.values[id] as FacetData[K];
  }

  /**
   * The facet's data, or undefined when it was not collected (for optional facets a rule `uses`). Large provisioning
   * logs are only summarised (see logs()), so this is undefined for them.
   */
  maybe<K extends FacetId>(id: K): FacetData[K] | undefined {
    return this.has(id) ? this.values[id] : undefined;
  }
}

/** Load every `ok` facet of a snapshot folder, the provisioning logs summarised while they stream (snapshot/read.ts). */
export async function loadPair(dir: string): Promise<Pair> {
  const summary = new LogSummary();
  const { manifest, values } = await readSnapshot(dir, {
    keepLogs: KEPT_LOG_ENTRIES,
    onLogEntry: (e) => {
      summary.add(e);
    },
  });
  return new Pair(manifest, values, manifest.facets["source.provisioningLogs"]?.status === "ok" ? summary : undefined);
}

/** Snapshots with at most this many log entries also keep them as an array (pair.get, small tools and tests). */
export const KEPT_LOG_ENTRIES = 5_000;
