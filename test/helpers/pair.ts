// Test helper: a Pair built from a bundled scenario with facets and statuses patched in memory.
import path from "node:path";
import { Pair, loadPair, type FacetValues } from "../../src/model/pair.js";
import type { FacetId } from "../../src/snapshot/facets.js";
import type { FacetEntry } from "../../src/snapshot/manifest.js";
import { packageRoot } from "../../src/version.js";

export const scenarioDir = (name: string): string => path.join(packageRoot, "fixtures", "scenarios", name);

const cache = new Map<string, Promise<Pair>>();

export interface PairPatch {
  /** Replace whole facets (the data as the facet file would hold it). */
  facets?: Partial<Record<FacetId, unknown>>;
  /** Replace facet statuses, e.g. { "source.partner": { status: "denied", error: { code: "Authorization_RequestDenied", message: "…" } } } */
  status?: Partial<Record<FacetId, FacetEntry>>;
  /** Override manifest tenant clouds, e.g. { source: "global", target: "usgov" } */
  clouds?: { source?: string; target?: string };
  /** The configuration named with --configuration (manifest.configuration). */
  configuration?: string;
}

/** Load a scenario once, then hand out patched copies. */
export async function pairFrom(scenario: string, patch: PairPatch = {}): Promise<Pair> {
  if (!cache.has(scenario)) cache.set(scenario, loadPair(scenarioDir(scenario)));
  const base = await cache.get(scenario)!;
  const manifest = structuredClone(base.manifest);
  const values: FacetValues = {};
  for (const id of Object.keys(manifest.facets) as FacetId[]) {
    const v = base.maybe(id);
    if (v !== undefined) (values as Record<string, unknown>)[id] = structuredClone(v);
  }
  for (const [id, data] of Object.entries(patch.facets ?? {})) {
    (values as Record<string, unknown>)[id] = structuredClone(data);
    manifest.facets[id] = { ...manifest.facets[id], status: "ok" };
  }
  for (const [id, entry] of Object.entries(patch.status ?? {})) manifest.facets[id] = entry!;
  if (patch.clouds?.source) manifest.source.cloud = patch.clouds.source as never;
  if (patch.clouds?.target) manifest.target.cloud = patch.clouds.target as never;
  if (patch.configuration) manifest.configuration = patch.configuration;
  return new Pair(manifest, values);
}
