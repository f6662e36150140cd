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

/**
 * Up to this many groups are asked for straight away. Beyond it, the window's successes are read first (readWindow),
 * page by page, switching to groups once those are the cheaper read: a busy log of many problem objects costs its
 * pages of successes, not hundreds of grouped requests at 5 per 10 s.
 */
export const DIRECT_GROUPS = 2;

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
 * Record `e` when it is a success of one of `objects` after that object's first problem, and the latest seen of it;
 * returns the object's id then. The server's filter is trusted for nothing the model reads: object, status and time
 * are checked again here.
 */
function noteSuccess(reader: Reader, objects: ReadonlyMap<string, number>, e: ProvisioningLogEntry): string | undefined {
  const id = e.sourceIdentity?.id;
  const first = id ? objects.get(id) : undefined;
  const t = Date.parse(e.activityDateTime);
  if (!id || first === undefined || (e.provisioningStatusInfo?.status ?? "").toLowerCase() !== "success" || !(t > first)) return undefined;
  const known = reader.latest.get(id);
  if (!known || t > Date.parse(known.activityDateTime)) reader.latest.set(id, trimOutcome(e));
  return id;
}

/**
 * One group's successes after its first problem, newest first (`$orderby=activityDateTime desc`, as Microsoft's own
 * example asks: entra-docs multi-tenant-organizations/cross-tenant-synchronization-configure-graph.md, step 13), so paging stops
 * once every object of the group has shown its latest success.
 */
async function readGroup(reader: Reader, sp: string, group: [string, number][]): Promise<void> {
  const ids = group.map(([id]) => id);
  const since = Math.min(...group.map(([, t]) => t));
  const objects = ids.map((id) => `sourceIdentity/id eq ${odataString(id)}`).join(" or ");
  const filter = `servicePrincipal/id eq ${odataString(sp)} and provisioningStatusInfo/status eq 'success' and activityDateTime gt ${new Date(since).toISOString()} and (${objects})`;
  // Each object's own first problem bounds its successes (the filter can only say the group's earliest).
  const firstOf = new Map(group);
  const unseen = new Set(ids);
  let next: string | undefined = `/auditLogs/provisioning${buildQuery({ $filter: filter, $orderby: "activityDateTime desc", $top: LOG_PAGE })}`;
  while (next && unseen.size > 0) {
    reader.requests++;
    const page: Page<ProvisioningLogEntry> = await reader.api.get<Page<ProvisioningLogEntry>>(next);
    // A body without a value array is an empty page.
    for (const e of Array.isArray(page.value) ? page.value : []) {
      const id = noteSuccess(reader, firstOf, e);
      if (id) unseen.delete(id);
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
      await readGroup(reader, sp, group);
    } catch (err) {
      if (!isBadRequest(err) || group.length === 1) throw err;
      await readGroups(reader, sp, group, Math.ceil(group.length / 2));
    }
  }
}

/**
 * Successes of the whole window after the earliest problem, newest first, for as long as that is the cheaper read.
 * An object is covered when a success of it was seen (the newest comes first) or its first problem is later than
 * every entry read so far. After each page the rest is estimated from the time the pages covered; once the groups
 * the uncovered objects need (⌈uncovered / group⌉) are fewer than that, or the pages read reach the groups all
 * objects needed (so a burst ahead costs at most twice the groups), the uncovered objects go to readGroups.
 * Returns them; a server that ignores the order leaves every object without a success seen to the groups.
 */
async function readWindow(reader: Reader, sp: string, objects: Map<string, number>): Promise<[string, number][]> {
  let since = Infinity;
  for (const t of objects.values()) since = Math.min(since, t);
  const filter = `servicePrincipal/id eq ${odataString(sp)} and provisioningStatusInfo/status eq 'success' and activityDateTime gt ${new Date(since).toISOString()}`;
  let next: string | undefined = `/auditLogs/provisioning${buildQuery({ $filter: filter, $orderby: "activityDateTime desc", $top: LOG_PAGE })}`;
  let pages = 0;
  let oldest = Infinity;
  let newest = -Infinity;
  let ordered = true;
  const allGroups = Math.ceil(objects.size / OUTCOME_GROUP);
  const uncovered = () => [...objects].filter(([id, first]) => !reader.latest.has(id) && (!ordered || first < oldest));
  while (next) {
    reader.requests++;
    pages++;
    const page: Page<ProvisioningLogEntry> = await reader.api.get<Page<ProvisioningLogEntry>>(next);
    for (const e of Array.isArray(page.value) ? page.value : []) {
      const t = Date.parse(e.activityDateTime);
      if (Number.isNaN(t)) continue;
      if (t > oldest) ordered = false;
      oldest = Math.min(oldest, t);
      newest = Math.max(newest, t);
      noteSuccess(reader, objects, e);
    }
    const link: string | undefined = page["@odata.nextLink"];
    if (!link) return ordered ? [] : uncovered();
    const left = uncovered();
    const groups = Math.ceil(left.length / OUTCOME_GROUP);
    if (left.length === 0 || !ordered || groups < remainingPages(pages, newest, oldest, since) || pages >= allGroups) return left;
    next = reader.api.resolveNextLink(link).path;
  }
  return [];
}

/** Pages still to read, if the log keeps the rate of the pages read so far (newest → oldest covered, down to since). */
function remainingPages(pages: number, newest: number, oldest: number, since: number): number {
  if (!(newest > oldest)) return Infinity;
  return (pages * (oldest - since)) / (newest - oldest);
}

/** One service principal's problem objects: groups straight away when they are few, else the window read first. */
async function readOutcomes(reader: Reader, sp: string, objects: Map<string, number>): Promise<void> {
  let rest = [...objects];
  if (Math.ceil(objects.size / OUTCOME_GROUP) > DIRECT_GROUPS) {
    const before = reader.requests;
    try {
      rest = await readWindow(reader, sp, objects);
    } catch (err) {
      // Refused on its first page (400): the grouped filters are asked for instead; refused later, the read fails.
      if (!isBadRequest(err) || reader.requests !== before + 1) throw err;
    }
  }
  // Objects in order of their first problem, so each group's time bound is as tight as it can be.
  await readGroups(
    reader,
    sp,
    rest.sort((a, b) => a[1] - b[1]),
    OUTCOME_GROUP,
  );
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
    for (const [sp, objects] of await problemObjects(rec.dir)) await readOutcomes(reader, sp, objects);
    return [...reader.latest.values()];
  });
  if (ok && !rec.isKept("source.provisioningOutcomes")) {
    rec.entry("source.provisioningOutcomes").requests = reader.requests;
    await rec.flush();
  }
}
