// Trace facts from a snapshot: what was collected about one user, and for everything else why it is missing.
import { configurationForTarget, jobOf, schemaOf, syncConfigurations } from "../model/configuration.js";
import { correlateUsers } from "../model/correlate.js";
import type { Pair } from "../model/pair.js";
import { scopeOf } from "../model/scope.js";
import { facetSpec, type FacetId } from "../snapshot/facets.js";
import type { DirectoryObject, PhoneMethod, ProvisioningLogEntry, User } from "../snapshot/graph-types.js";
import { known, unknown, type Known } from "../model/known.js";
import type { ConfigurationFacts, GroupRef, ScopeFacts, TargetFacts, TraceFacts } from "./types.js";

const USER_TYPE = "#microsoft.graph.user";
const GROUP_TYPE = "#microsoft.graph.group";
const same = (a: string | null | undefined, b: string): boolean => typeof a === "string" && a.toLowerCase() === b.toLowerCase();

/** Why a facet is not there, in one phrase. */
export function missing(pair: Pair, id: FacetId): string {
  const e = pair.entry(id);
  return `${id} is ${e.status}${e.error ? ` (${e.error.code}: ${e.error.message})` : ""}; it needs ${e.permission ?? facetSpec(id).permission}`;
}

function need<T>(pair: Pair, ids: FacetId[], read: () => T): Known<T> {
  const absent = ids.filter((id) => !pair.has(id));
  return absent.length ? unknown(absent.map((id) => missing(pair, id)).join("; ")) : known(read());
}

/** The user by object id, UPN or mail: first the collected users, then the members of collected groups. */
function findUser(pair: Pair, query: string): Known<User | null> {
  const match = (u: { id: string; userPrincipalName?: unknown; mail?: unknown }) =>
    same(u.id, query) || same(u.userPrincipalName as string | null | undefined, query) || same(u.mail as string | null | undefined, query);
  const users = pair.maybe("source.users");
  const hit = users?.find(match);
  if (hit) return known(hit);
  const members = Object.values(pair.maybe("source.groupMembers") ?? {}).flat();
  const member = members.find((m) => (m["@odata.type"] ?? USER_TYPE) === USER_TYPE && match(m));
  if (member) return known(member);
  if (!users) return unknown(missing(pair, "source.users"));
  return known(null);
}

function configurationFacts(pair: Pair): Known<ConfigurationFacts> {
  return need(pair, ["source.syncServicePrincipals"], () => {
    const choice = configurationForTarget(pair);
    const config = choice.config;
    const job: ConfigurationFacts["job"] = !config
      ? known(undefined)
      : pair.has("source.syncJobs")
        ? known(jobOf(pair, config))
        : unknown(missing(pair, "source.syncJobs"));
    let schema: ConfigurationFacts["schema"] = unknown("no job");
    if (config && job.known && job.value)
      schema = pair.has("source.syncSchemas") ? known(schemaOf(pair, config, job.value)) : unknown(missing(pair, "source.syncSchemas"));
    return { config, configurationCount: syncConfigurations(pair).length, job, schema, choice };
  });
}

/** Groups (by id) that list `childId` among their direct members, from the collected member lists. */
function parentsOf(members: Record<string, DirectoryObject[]>, childId: string): string[] {
  return Object.entries(members)
    .filter(([, list]) => list.some((m) => same(m.id, childId)))
    .map(([id]) => id);
}

function groupName(members: Record<string, DirectoryObject[]>, assignedNames: Map<string, string>, id: string): string {
  const assigned = assignedNames.get(id.toLowerCase());
  if (assigned) return assigned;
  const ref = Object.values(members)
    .flat()
    .find((m) => same(m.id, id) && m["@odata.type"] === GROUP_TYPE);
  return ref?.displayName ?? id;
}

function scopeFacts(pair: Pair, user: User | null | undefined, config: ConfigurationFacts | undefined): Known<ScopeFacts> {
  if (!config?.config) return unknown("no configuration for the target tenant");
  if (!user) return unknown("the user is not in the snapshot");
  const cfg = config.config;
  if (cfg.syncAll === true) return known({ syncAll: true, assignedDirectly: false });
  if (!pair.has("source.syncAssignments")) return unknown(missing(pair, "source.syncAssignments"));
  const scope = scopeOf(pair, cfg);
  const base = { syncAll: false, assignedDirectly: false, assignmentCount: scope.assignments.length };
  const reason = scope.reason(user.id);
  if (reason?.kind === "assigned") return known({ ...base, assignedDirectly: true });
  if (reason?.kind === "group") return known({ ...base, viaGroup: { id: reason.groupId, displayName: reason.groupName } });
  if (scope.groups.length === 0) return known(base);
  if (!pair.has("source.groupMembers")) return unknown(missing(pair, "source.groupMembers"));
  // Walk up from the user through the member lists the snapshot holds, to an assigned group.
  const members = pair.get("source.groupMembers");
  const assigned = new Map(scope.groups.map((g) => [g.id.toLowerCase(), g.displayName]));
  const seen = new Set<string>();
  let frontier: GroupRef[][] = parentsOf(members, user.id).map((id) => [{ id, displayName: groupName(members, assigned, id) }]);
  while (frontier.length) {
    const hit = frontier.find((path) => assigned.has(path.at(-1)?.id.toLowerCase() ?? ""));
    if (hit) return known({ ...base, nestedPath: hit });
    const next: GroupRef[][] = [];
    for (const path of frontier) {
      const last = path.at(-1)?.id.toLowerCase() ?? "";
      if (seen.has(last)) continue;
      seen.add(last);
      for (const id of parentsOf(members, last)) next.push([...path, { id, displayName: groupName(members, assigned, id) }]);
    }
    frontier = next;
  }
  const nested = scope.groups.flatMap((g) => g.nestedGroups).filter((g) => !Object.keys(members).some((k) => same(k, g.id)));
  if (nested.length) {
    return known({
      ...base,
      nestedUnknown: `the members of nested group(s) ${nested.map((g) => `"${g.displayName ?? g.id}"`).join(", ")} were not collected (a snapshot holds direct members of assigned groups only)`,
    });
  }
  return known(base);
}

/** Gather the trace facts for one user from a loaded snapshot. */
/**
 * `streamedLogs` are the provisioning-log entries of a snapshot too large to keep in memory (loadPair only summarises
 * those); the CLI reads them from the NDJSON file for the traced user. Omitted when the pair holds the logs.
 */
export function snapshotFacts(pair: Pair, query: string, streamedLogs?: ProvisioningLogEntry[]): TraceFacts {
  const sourceUser = findUser(pair, query);
  const user = sourceUser.known ? sourceUser.value : undefined;
  const configuration = configurationFacts(pair);
  const config = configuration.known ? configuration.value : undefined;
  const noUser = unknown(sourceUser.known ? `no user matches "${query}" in the snapshot` : sourceUser.reason);
  const sp = config?.config?.servicePrincipal.id;

  const phoneMethods: Known<PhoneMethod[] | undefined> = !user
    ? noUser
    : need(pair, ["source.phoneMethods"], () => pair.get("source.phoneMethods").find((p) => same(p.userId, user.id))?.value);
  // Phone methods are collected for in-scope members only: a user without an entry was not read, not "no methods".
  const phones: TraceFacts["phoneMethods"] = !phoneMethods.known
    ? phoneMethods
    : phoneMethods.value === undefined
      ? unknown("the snapshot has no phone methods for this user (collected for in-scope members only)")
      : known(phoneMethods.value);

  const logs: TraceFacts["logs"] = !user
    ? noUser
    : need(pair, ["source.provisioningLogs"], () =>
        (pair.maybe("source.provisioningLogs") ?? streamedLogs ?? pair.get("source.provisioningLogs"))
          .filter((e) => same(e.sourceIdentity?.id, user.id) && (!sp || same(e.servicePrincipal?.id, sp)))
          .sort((a, b) => Date.parse(b.activityDateTime) - Date.parse(a.activityDateTime)),
      );

  const target: TraceFacts["target"] = !user
    ? noUser
    : need(pair, ["target.users"], (): TargetFacts => {
        const [c] = correlateUsers([user], pair.get("target.users"), pair.maybe("target.deletedUsers") ?? []);
        return { ...(c?.target ? { live: c.target } : {}), ...(c?.matchedBy ? { matchedBy: c.matchedBy } : {}), ...(c?.deleted ? { deleted: c.deleted } : {}) };
      });

  return {
    mode: "snapshot",
    query,
    sourceTenantId: pair.source.tenantId,
    targetTenantId: pair.target.tenantId,
    sourceUser,
    absentAttribute: "not-collected",
    configuration,
    scope: scopeFacts(pair, user, config),
    phoneMethods: phones,
    logs,
    target,
    audits: unknown("a snapshot holds no directory audit events; trace with --config to read them from the target tenant"),
  };
}
