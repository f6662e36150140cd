// The one snapshot reader: every ok facet of a folder, the provisioning logs streamed line by line (analyze, emulate, trace-user).
import path from "node:path";
import { CtsError } from "../errors.js";
import { FACETS, facetSpec, type FacetId } from "./facets.js";
import type { FacetData, ProvisioningLogEntry } from "./graph-types.js";
import type { FacetEntry, Manifest } from "./manifest.js";
import { logEntryStringProblem, shapeProblem } from "./shapes.js";
import { checkCount, readFacet, readManifest, readNdjson } from "./store.js";

export type FacetValues = { [K in FacetId]?: FacetData[K] };

export interface SnapshotRead {
  manifest: Manifest;
  /** Every ok facet; the provisioning logs only when they are no more than `keepLogs` entries. */
  values: FacetValues;
}

export interface ReadOptions {
  /** Called for each provisioning-log entry as it streams past (e.g. a one-pass summary). */
  onLogEntry?: (entry: ProvisioningLogEntry) => void;
  /** Keep the logs as an array while they hold at most this many entries (Infinity: always). */
  keepLogs: number;
}

/**
 * Stream the provisioning-log NDJSON, each entry shape-checked; at the end the count must match the manifest's.
 * `entry` is the facet's manifest entry (its recorded count).
 */
export async function* streamLogs(dir: string, entry?: FacetEntry): AsyncGenerator<ProvisioningLogEntry> {
  const spec = facetSpec("source.provisioningLogs");
  let n = 0;
  for await (const item of readNdjson(path.join(dir, spec.file), { dir, what: `facet ${spec.id}` })) {
    // The shape check (id and activityDateTime are strings) done inline first: zod per line would add seconds at 1M.
    const e = item as Partial<ProvisioningLogEntry> | null;
    const problem =
      e && typeof e === "object" && typeof e.id === "string" && typeof e.activityDateTime === "string"
        ? logEntryStringProblem(item)
        : shapeProblem(spec.id, item);
    if (problem) throw new CtsError("SNAPSHOT_INVALID", `facet ${spec.id}: ${spec.file} line ${n + 1}: item ${problem}`);
    n++;
    yield item as ProvisioningLogEntry;
  }
  checkCount(spec.id, spec.file, n, entry);
}

/** Read the logs once: hand each entry on, keep them while they are few enough. */
async function readLogs(dir: string, entry: FacetEntry, options: ReadOptions): Promise<ProvisioningLogEntry[] | undefined> {
  let kept: ProvisioningLogEntry[] | undefined = [];
  for await (const e of streamLogs(dir, entry)) {
    options.onLogEntry?.(e);
    if (kept && kept.push(e) > options.keepLogs) kept = undefined;
  }
  return kept;
}

/** Read every `ok` facet of a snapshot folder (a missing or broken file is a SNAPSHOT_INVALID error). */
export async function readSnapshot(dir: string, options: ReadOptions): Promise<SnapshotRead> {
  const manifest = await readManifest(dir);
  const values: FacetValues = {};
  // The logs first: the heap their streaming churns through is then reused by the other facets (lower peak RSS).
  const order = [...FACETS].sort((a, b) => Number(b.id === "source.provisioningLogs") - Number(a.id === "source.provisioningLogs"));
  for (const spec of order) {
    const entry = manifest.facets[spec.id];
    if (entry?.status !== "ok") continue;
    if (spec.id === "source.provisioningLogs") {
      const kept = await readLogs(dir, entry, options);
      if (kept) values["source.provisioningLogs"] = kept;
      continue;
    }
    // readFacet refuses symlinks, item counts the manifest does not record, and nesting no Graph document has.
    (values as Record<string, unknown>)[spec.id] = await readFacet(dir, spec.id, entry);
  }
  return { manifest, values };
}
