// The emulator's in-memory tenant pair: manifest, facet data (a private copy a later remediation feature may PATCH).
import type { FacetId, TenantSide } from "../snapshot/facets.js";
import type { FacetData } from "../snapshot/graph-types.js";
import type { Manifest } from "../snapshot/manifest.js";
import { readSnapshot } from "../snapshot/read.js";
import { GraphFault } from "./reply.js";

/** Facet names present on both sides with the same data type. */
export type SharedName = { [K in FacetId]: K extends `source.${infer N}` ? (`target.${N}` extends FacetId ? N : never) : never }[FacetId];

export type FacetStore = { -readonly [K in FacetId]?: FacetData[K] };

/** A snapshot already in memory: what `startEmulator` serves. */
export interface SnapshotData {
  manifest: Manifest;
  facets: FacetStore;
}

/** Load every facet the manifest marks ok, the logs kept whole (a missing or broken file is a SNAPSHOT_INVALID error). */
export async function loadSnapshot(dir: string): Promise<SnapshotData> {
  const { manifest, values } = await readSnapshot(dir, { keepLogs: Infinity });
  return { manifest, facets: values };
}

/**
 * Which versions answer `GET …/synchronization/secrets`: both (today's tenants), beta only (what Microsoft publishes),
 * or none (a tenant where neither answers).
 */
export const SECRETS_READ_MODES = ["both", "beta-only", "none"] as const;
export type SecretsReadMode = (typeof SECRETS_READ_MODES)[number];

/** Mutable server state; routes read facets only through `facet()` so manifest statuses turn into Graph errors. */
export class EmulatorState {
  readonly manifest: Manifest;
  readonly data: FacetStore;
  secretsRead: SecretsReadMode = "both";

  constructor(snapshot: SnapshotData) {
    this.manifest = snapshot.manifest;
    this.data = structuredClone(snapshot.facets);
  }

  tenantId(side: TenantSide): string {
    return this.manifest[side].tenantId;
  }

  sideOf(tenantId: string): TenantSide | undefined {
    const t = tenantId.toLowerCase();
    if (this.manifest.source.tenantId.toLowerCase() === t) return "source";
    if (this.manifest.target.tenantId.toLowerCase() === t) return "target";
    return undefined;
  }

  /**
   * The data behind a route, or the error Graph gave when it was collected: denied → 403, failed → the recorded
   * status (500 by default), skipped or absent → 500 NotInSnapshot (not 503, which clients would retry).
   */
  facet<K extends FacetId>(id: K): FacetData[K] {
    const entry = this.manifest.facets[id];
    const status = entry?.status ?? "skipped";
    if (status === "ok" && id in this.data) return this.data[id] as FacetData[K];
    if (status === "denied") {
      throw new GraphFault(
        entry?.error?.httpStatus ?? 403,
        entry?.error?.code ?? "Authorization_RequestDenied",
        entry?.error?.message ?? "Insufficient privileges to complete the operation.",
      );
    }
    if (status === "failed") {
      throw new GraphFault(
        entry?.error?.httpStatus ?? 500,
        entry?.error?.code ?? "generalException",
        entry?.error?.message ?? "The request failed when the snapshot was collected.",
      );
    }
    throw notInSnapshot(id);
  }

  /** `facet()` for a name both sides have (organization, partner, users, …). */
  sideFacet<N extends SharedName>(side: TenantSide, name: N): FacetData[`source.${N}`] {
    return this.facet(`${side}.${name}` as FacetId) as FacetData[`source.${N}`];
  }

  /** `facet()` for a facet only one side has; asking the other tenant for it is NotInSnapshot, not a crash. */
  oneSided<K extends FacetId>(side: TenantSide, id: K): FacetData[K] {
    if (!id.startsWith(`${side}.`)) throw notInSnapshot(`${side}.${id.slice(id.indexOf(".") + 1)}`);
    return this.facet(id);
  }

  /** Whether a facet's data is available without throwing (used where Graph would fall back to something else). */
  has(id: FacetId): boolean {
    return this.manifest.facets[id]?.status === "ok" && id in this.data;
  }
}

function notInSnapshot(id: string): GraphFault {
  return new GraphFault(500, "NotInSnapshot", `The snapshot holds no data for this request (facet ${id} was not collected).`);
}
