// The pair view rules read: both tenants' facets side by side, with each facet's collection status.
import { FACETS, type FacetId } from "../snapshot/facets.js";
import type { FacetData } from "../snapshot/graph-types.js";
import type { FacetEntry, Manifest } from "../snapshot/manifest.js";
import type { ProvisioningLogEntry } from "../snapshot/graph-types.js";
import { logEntryStringProblem, shapeProblem } from "../snapshot/shapes.js";
import { facetSpec } from "../snapshot/facets.js";
import { checkCount, readFacet, readManifest, readNdjson } from "../snapshot/store.js";
import { CtsError } from "../errors.js";
import { applyOutcomes } from "./log-outcomes.js";
import { LogSummary, summarizeLogs } from "./log-summary.js";
import path from "node:path";

export type FacetValues = { [K in FacetId]?: FacetData[K] };

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
   * The provisioning logs as a one-pass summary (log-summary.ts), with the outcomes facet's successes folded in, or
   * undefined when they were not collected. Rules read the logs only through this: a large snapshot keeps no entry in
   * memory.
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

/** Load every `ok` facet of a snapshot folder. */
export async function loadPair(dir: string): Promise<Pair> {
  const manifest = await readManifest(dir);
  const values: FacetValues = {};
  let logs: LogSummary | undefined;
  // The logs first: the heap their streaming churns through is then reused by the other facets (lower peak RSS).
  const order = [...FACETS].sort((a, b) => Number(b.id === "source.provisioningLogs") - Number(a.id === "source.provisioningLogs"));
  for (const spec of order) {
    const entry = manifest.facets[spec.id];
    if (entry?.status !== "ok") continue;
    if (spec.id === "source.provisioningLogs") {
      const { summary, kept } = await summarizeLogFile(dir, entry);
      if (kept) values["source.provisioningLogs"] = kept;
      logs = summary;
      continue;
    }
    (values as Record<string, unknown>)[spec.id] = await readFacet(dir, spec.id, entry);
  }
  return new Pair(manifest, values, logs);
}

/** Snapshots with at most this many log entries also keep them as an array (pair.get, small tools and tests). */
export const KEPT_LOG_ENTRIES = 5_000;

/** Stream the provisioning-log NDJSON once into a summary; nothing holds the whole facet. */
export async function summarizeLogFile(dir: string, entry?: FacetEntry): Promise<{ summary: LogSummary; kept?: ProvisioningLogEntry[] }> {
  const spec = facetSpec("source.provisioningLogs");
  const summary = new LogSummary();
  let kept: ProvisioningLogEntry[] | undefined = [];
  for await (const item of readNdjson(path.join(dir, spec.file), { dir, what: `facet ${spec.id}` })) {
    // The shape check (id and activityDateTime are strings) done inline first: zod per line would add seconds at 1M.
    const e = item as Partial<ProvisioningLogEntry> | null;
    const problem =
      e && typeof e === "object" && typeof e.id === "string" && typeof e.activityDateTime === "string"
        ? logEntryStringProblem(item)
        : shapeProblem(spec.id, item);
    if (problem) throw new CtsError("SNAPSHOT_INVALID", `facet ${spec.id}: ${spec.file} line ${summary.entries + 1}: item ${problem}`);
    summary.add(item as ProvisioningLogEntry);
    if (kept && kept.push(item as ProvisioningLogEntry) > KEPT_LOG_ENTRIES) kept = undefined;
  }
  checkCount(spec.id, spec.file, summary.entries, entry);
  return { summary, ...(kept ? { kept } : {}) };
}
