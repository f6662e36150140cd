// Collector for source.provisioningOutcomes: the latest success of each object the logs show failing, skipped or warned.
import path from "node:path";
import { GraphRequestError } from "../errors.js";
import type { GraphApi, Page } from "../graph/client.js";
import { buildQuery, odataString } from "../graph/odata.js";
import { facetSpec } from "../snapshot/facets.js";
import type { ProvisioningLogEntry } from "../snapshot/graph-types.js";
import { readNdjson } from "../snapshot/store.js";
import type { SnapshotRecorder } from "./recorder.js";
import { LOG_PAGE } from "./select.js";

/**
 * `sourceIdentity/id eq` clauses per request. The logs facet holds non-success entries only, so a transient failure
 * the next cycle fixed would look open; asking for these objects' successes in groups costs ⌈objects / group⌉
 * requests (+ pages), never a read of the whole log, at the reports pace (5 per 10 s, graph/client.ts).
 */
export const OUTCOME_GROUP = 15;

/** Objects with a problem entry, by service principal: object id → time of its first problem entry. */
type Problems = Map<string, Map<string, number>>;

/** The problem objects as the logs facet holds them (only non-success entries: collectLogs). */
async function problemObjects(dir: string): Promise<Problems> {
  const spec = facetSpec("source.provisioningLogs");
  const bySp: Problems = new Map();
  for await (const item of readNdjson(path.join(dir, spec.file), { dir, what: `facet ${spec.id}` })) {
    const e = item as ProvisioningLogEntry;
    const sp = e.servicePrincipal?.id;
    const id = e.sourceIdentity?.id;
    const t = Date.parse(e.activityDateTime);
    if (!sp || !id || Number.isNaN(t) || (e.provisioningStatusInfo?.status ?? "").toLowerCase() === "success") continue;
    let objects = bySp.get(sp);
    if (!objects) bySp.set(sp, (objects = new Map<string, number>()));
    objects.set(id, Math.min(t, objects.get(id) ?? Infinity));
  }
  return bySp;
}

/** Only what the model needs of a success: which object, when, and in which cycle. */
export function trimOutcome(e: ProvisioningLogEntry): ProvisioningLogEntry {
  return {
    id: e.id,
    activityDateTime: e.activityDateTime,
    ...(e.cycleId ? { cycleId: e.cycleId } : {}),
    ...(e.provisioningAction ? { provisioningAction: e.provisioningAction } : {}),
    servicePrincipal: { id: e.servicePrincipal?.id ?? null },
    sourceIdentity: { id: e.sourceIdentity?.id ?? null },
    provisioningStatusInfo: { status: e.provisioningStatusInfo?.status ?? null },
  };
}

interface Reader {
  api: GraphApi;
  requests: number;
  /** Latest success per object id. */
  latest: Map<string, ProvisioningLogEntry>;
}

/**
 * One group's successes after its first problem, newest first (`$orderby=activityDateTime desc`, as Microsoft's own
 * example asks: entra-docs multi-tenant-organizations/cross-tenant-synchronization-configure-graph.md, step 13), so paging stops
 * once every object of the group has shown its latest success.
 */
async function readGroup(reader: Reader, sp: string, ids: string[], since: number): Promise<void> {
  const objects = ids.map((id) => `sourceIdentity/id eq ${odataString(id)}`).join(" or ");
  const filter = `servicePrincipal/id eq ${odataString(sp)} and provisioningStatusInfo/status eq 'success' and activityDateTime gt ${new Date(since).toISOString()} and (${objects})`;
  const wanted = new Set(ids);
  const unseen = new Set(ids);
  let next: string | undefined = `/auditLogs/provisioning${buildQuery({ $filter: filter, $orderby: "activityDateTime desc", $top: LOG_PAGE })}`;
  while (next && unseen.size > 0) {
    reader.requests++;
    const page: Page<ProvisioningLogEntry> = await reader.api.get<Page<ProvisioningLogEntry>>(next);
    // A body without a value array is an empty page.
    for (const e of Array.isArray(page.value) ? page.value : []) {
      const id = e.sourceIdentity?.id;
      // The server's filter is trusted for nothing the model reads: object, status and time are checked again here.
      if (!id || !wanted.has(id) || (e.provisioningStatusInfo?.status ?? "").toLowerCase() !== "success" || !(Date.parse(e.activityDateTime) > since)) continue;
      unseen.delete(id);
      const known = reader.latest.get(id);
      if (!known || Date.parse(e.activityDateTime) > Date.parse(known.activityDateTime)) reader.latest.set(id, trimOutcome(e));
    }
    const link: string | undefined = page["@odata.nextLink"];
    next = link ? reader.api.resolveNextLink(link).path : undefined;
  }
}

const isBadRequest = (err: unknown) => err instanceof GraphRequestError && err.status === 400;

/** A group the server refuses (400: too long or too many clauses) is asked for in halves, down to one object. */
async function readGroups(reader: Reader, sp: string, objects: [string, number][], size: number): Promise<void> {
  for (let i = 0; i < objects.length; i += size) {
    const group = objects.slice(i, i + size);
    try {
      await readGroup(
        reader,
        sp,
        group.map(([id]) => id),
        Math.min(...group.map(([, t]) => t)),
      );
    } catch (err) {
      if (!isBadRequest(err) || group.length === 1) throw err;
      await readGroups(reader, sp, group, Math.ceil(group.length / 2));
    }
  }
}

/** Collect the facet once the logs are in; its manifest entry records the requests it took. */
export async function collectLogOutcomes(rec: SnapshotRecorder, api: GraphApi): Promise<void> {
  const logs = rec.entry("source.provisioningLogs");
  if (logs.status !== "ok") {
    const message = `needs source.provisioningLogs, which was ${logs.status}${logs.error ? ` (${logs.error.code})` : ""}`;
    return rec.skip("source.provisioningOutcomes", "DependencyFailed", message);
  }
  const reader: Reader = { api, requests: 0, latest: new Map() };
  const ok = await rec.collect("source.provisioningOutcomes", async () => {
    for (const [sp, objects] of await problemObjects(rec.dir)) {
      // Objects in order of their first problem, so each group's time bound is as tight as it can be.
      await readGroups(
        reader,
        sp,
        [...objects].sort((a, b) => a[1] - b[1]),
        OUTCOME_GROUP,
      );
    }
    return [...reader.latest.values()];
  });
  if (ok && !rec.isKept("source.provisioningOutcomes")) {
    rec.entry("source.provisioningOutcomes").requests = reader.requests;
    await rec.flush();
  }
}
