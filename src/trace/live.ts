// Trace facts from a few targeted Graph reads about one user: never a full collection, whatever the tenant size.
import type { TokenCredential } from "@azure/core-auth";
import { preflight, tokenTenantGuard } from "../collect/run.js";
import { CLOUDS } from "../config/clouds.js";
import type { Config } from "../config/schema.js";
import { CtsError, GraphRequestError } from "../errors.js";
import { createCredential } from "../graph/auth.js";
import { batchGet } from "../graph/batch.js";
import { GraphApi, toGraphRequestError } from "../graph/client.js";
import type { RequestLogEntry } from "../graph/middleware.js";
import { buildQuery, odataString, segment } from "../graph/odata.js";
import {
  CTS_APPLICATION_TEMPLATE_ID,
  chooseConfiguration,
  ctsJob,
  namedConfigurations,
  toConfiguration,
  type SyncConfiguration,
} from "../model/configuration.js";
import { keptSecrets, readSecrets } from "../collect/secrets.js";
import { correlateUsers } from "../model/correlate.js";
import { userMapping } from "../model/configuration.js";
import { mappedSourceProperties, mappedTargetProperties } from "../collect/mapped-select.js";
import { ASSIGNMENT_SELECT, DELETED_USER_SELECT, GROUP_SELECT, SERVICE_PRINCIPAL_SELECT, USER_SELECT } from "../collect/select.js";
import type {
  AppRoleAssignment,
  Organization,
  PhoneMethod,
  ProvisioningLogEntry,
  ServicePrincipal,
  SynchronizationJob,
  SynchronizationSchema,
  User,
} from "../snapshot/graph-types.js";
import { graphPropertyFor } from "../model/attributes.js";
import { known, unknown, type Known } from "../model/known.js";
import { auditInitiator } from "./audits.js";
import type { ConfigurationFacts, DirectoryAudit, GroupRef, ScopeFacts, TargetFacts, TraceFacts } from "./types.js";

/** Latest provisioning-log entries and audit events read per user (one page each). */
const LOG_PAGE = 20;
/** Pages of the configuration's assignments read at most (999 each) to learn which groups are assigned. */
const MAX_ASSIGNMENT_PAGES = 3;
/** Nested-group search: levels walked up from the user's groups, and group lookups at most. */
const MAX_NESTING = 4;
const MAX_GROUP_LOOKUPS = 12;

export interface LiveTenants {
  source: GraphApi;
  target: GraphApi;
  sourceTenantId: string;
  targetTenantId: string;
  /** `--configuration`: the CTS configuration for the target, by service principal id or displayName. */
  configuration?: string | undefined;
}

const same = (a: string | null | undefined, b: string): boolean => typeof a === "string" && a.toLowerCase() === b.toLowerCase();

/** A failed read as the reason a fact is unknown (the permission it needs, when Graph denied it). */
function why(err: unknown, permission: string): string {
  if (err instanceof GraphRequestError) {
    const denied = err.status === 401 || err.status === 403;
    return `${err.status ? `HTTP ${err.status} ` : ""}${err.graphCode}: ${err.message}${denied ? ` (needs ${permission})` : ""}`;
  }
  const message: unknown = typeof err === "object" && err !== null && "message" in err ? err.message : undefined;
  return typeof message === "string" ? message : String(err);
}

async function attempt<T>(permission: string, read: () => Promise<T>): Promise<Known<T>> {
  try {
    return known(await read());
  } catch (err) {
    if (err instanceof CtsError) throw err; // a usage error (--configuration) is the user's to fix, not a gap in the trace
    return unknown(why(err, permission));
  }
}

const isStatus = (err: unknown, ...statuses: number[]): boolean => err instanceof GraphRequestError && statuses.includes(err.status);

async function firstPage<T>(api: GraphApi, path: string): Promise<T[]> {
  // An empty answer (no body) is no jobs, not an error.
  const page: { value?: T[] } | undefined = await api.get<{ value?: T[] } | undefined>(path);
  return page?.value ?? [];
}

/** The target's name and domains: evidence for the configuration when CompanyId cannot be read (undefined if unreadable). */
async function targetOrganization(target: GraphApi): Promise<Organization[] | undefined> {
  return target.list<Organization>(`/organization${buildQuery({ $select: ["id", "displayName", "verifiedDomains"] })}`).catch((err: unknown) => {
    if (err instanceof GraphRequestError) return undefined;
    throw err;
  });
}

async function findConfiguration(api: GraphApi, target: GraphApi, targetTenantId: string, named: string | undefined): Promise<Known<ConfigurationFacts>> {
  return attempt("Application.Read.All, Synchronization.ReadWrite.All", async () => {
    const filter = `applicationTemplateId eq ${odataString(CTS_APPLICATION_TEMPLATE_ID)}`;
    const sps = await api.list<ServicePrincipal>(`/servicePrincipals${buildQuery({ $filter: filter, $select: SERVICE_PRINCIPAL_SELECT, $top: 999 })}`);
    const configs: SyncConfiguration[] = [];
    for (const sp of sps) {
      const read = await readSecrets(api, sp.id);
      configs.push(toConfiguration(sp, read.ok ? keptSecrets(read.value) : undefined));
    }
    if (named && namedConfigurations(configs, named).length !== 1)
      throw new CtsError("USAGE", `--configuration: ${chooseConfiguration({ configs, targetTenantId, named }).evidence}`);
    let choice = chooseConfiguration({ configs, targetTenantId, named });
    if (!choice.config && !choice.absent)
      choice = chooseConfiguration({ configs, targetTenantId, named, targetOrganization: await targetOrganization(target) });
    const config = choice.config;
    if (!config) return { config, configurationCount: sps.length, job: known(undefined), schema: unknown("no job"), choice };
    const spPath = `/servicePrincipals/${segment(config.servicePrincipal.id)}/synchronization/jobs`;
    const job: Known<SynchronizationJob | undefined> = await attempt("Synchronization.Read.All", async () => {
      return ctsJob(await firstPage<SynchronizationJob>(api, spPath));
    });
    const jobId = job.known ? job.value?.id : undefined;
    const schema: Known<SynchronizationSchema | undefined> = !job.known
      ? unknown(job.reason)
      : jobId === undefined
        ? unknown("the configuration has no job")
        : await attempt("Synchronization.Read.All", () => api.get<SynchronizationSchema>(`${spPath}/${segment(jobId)}/schema`));
    return { config, configurationCount: sps.length, job, schema, choice };
  });
}

/** The scoping attributes the schema's clauses name, as Graph properties to $select. */
function clauseProperties(config: Known<ConfigurationFacts>): string[] {
  if (!config.known || !config.value.schema.known) return [];
  const scope = userMapping(config.value.schema.value)?.scope;
  const names = [...(scope?.groups ?? []), ...(scope?.inputFilterGroups ?? []), ...(scope?.categoryFilterGroups ?? [])].flatMap((g) =>
    (g.clauses ?? []).flatMap((c) => (c.sourceOperandName ? [c.sourceOperandName] : [])),
  );
  return [...new Set(names.map(graphPropertyFor).filter((p): p is string => Boolean(p)))].filter((p) => !USER_SELECT.some((s) => same(s, p)));
}

/** The id of the last group on a membership path (the one to look up next). */
const lastId = (path: readonly GroupRef[]): string => path.at(-1)?.id ?? "";

/** GET /users/{id or UPN}; a query that is a mail address is looked up by mail when it is not a UPN. */
async function findSourceUser(api: GraphApi, query: string, extra: string[]): Promise<{ user: Known<User | null>; selected: boolean }> {
  const get = async (select: string[]): Promise<User | null> => {
    try {
      return await api.get<User>(`/users/${segment(query)}${buildQuery({ $select: select })}`);
    } catch (err) {
      if (!isStatus(err, 404, 400) || !query.includes("@")) {
        if (isStatus(err, 404)) return null;
        throw err;
      }
      const hits = await firstPage<User>(api, `/users${buildQuery({ $filter: `mail eq ${odataString(query)}`, $select: select, $top: 2 })}`);
      return hits[0] ?? null;
    }
  };
  const select = [...USER_SELECT, ...extra];
  try {
    return { user: known(await get(select)), selected: true };
  } catch (err) {
    // An attribute Graph does not know makes the whole $select a 400: read the base properties, the clause stays unknown.
    if (extra.length && isStatus(err, 400)) return { user: await attempt("User.Read.All", () => get(USER_SELECT)), selected: false };
    return { user: unknown(why(err, "User.Read.All")), selected: false };
  }
}

async function scopeOf(api: GraphApi, user: User, config: SyncConfiguration): Promise<Known<ScopeFacts>> {
  if (config.syncAll === true) return known({ syncAll: true, assignedDirectly: false });
  const sp = config.servicePrincipal.id;
  return attempt("Directory.Read.All (appRoleAssignments), Application.Read.All, GroupMember.Read.All", async () => {
    // The user's own assignments include those of the groups the user is a direct member of.
    let mine: AppRoleAssignment[];
    try {
      mine = await firstPage<AppRoleAssignment>(
        api,
        `/users/${segment(user.id)}/appRoleAssignments${buildQuery({ $filter: `resourceId eq ${sp}`, $top: 999 })}`,
      );
    } catch (err) {
      if (!isStatus(err, 400)) throw err;
      mine = await api.list<AppRoleAssignment>(`/users/${segment(user.id)}/appRoleAssignments${buildQuery({ $top: 999 })}`);
    }
    mine = mine.filter((a) => same(a.resourceId, sp));
    const base: ScopeFacts = { syncAll: false, assignedDirectly: false };
    if (mine.some((a) => a.principalType === "User" && same(a.principalId, user.id))) return { ...base, assignedDirectly: true };
    const viaGroup = mine.find((a) => a.principalType === "Group");
    if (viaGroup) return { ...base, viaGroup: { id: viaGroup.principalId, displayName: viaGroup.principalDisplayName ?? viaGroup.principalId } };

    // Not in scope: which groups are assigned, and is the user nested in one of them?
    const assigned = new Map<string, string>();
    let count = 0;
    let complete = false;
    const assignedTo = `/servicePrincipals/${segment(sp)}/appRoleAssignedTo${buildQuery({ $select: ASSIGNMENT_SELECT, $top: 999 })}`;
    for await (const page of api.pages<AppRoleAssignment>(assignedTo, { maxPages: MAX_ASSIGNMENT_PAGES })) {
      for (const a of page.value) {
        count++;
        if (a.principalType === "Group") assigned.set(a.principalId.toLowerCase(), a.principalDisplayName ?? a.principalId);
      }
      complete = !page.nextLink;
    }
    const facts: ScopeFacts = { ...base, ...(complete ? { assignmentCount: count } : {}) };
    if (assigned.size === 0) return complete ? facts : { ...facts, nestedUnknown: `the configuration has more than ${MAX_ASSIGNMENT_PAGES * 999} assignments` };
    return nestedPath(api, user, assigned, facts);
  });
}

/** Walk up from the user's groups (memberOf) to an assigned group, a bounded number of lookups. */
async function nestedPath(api: GraphApi, user: User, assigned: Map<string, string>, facts: ScopeFacts): Promise<ScopeFacts> {
  const groupsOf = (path: string) =>
    firstPage<{ id: string; displayName?: string | null }>(api, `${path}/memberOf/microsoft.graph.group${buildQuery({ $select: GROUP_SELECT, $top: 999 })}`);
  let frontier: GroupRef[][] = (await groupsOf(`/users/${segment(user.id)}`)).map((g) => [{ id: g.id, displayName: g.displayName ?? g.id }]);
  const seen = new Set<string>();
  let lookups = 0;
  for (let depth = 0; frontier.length && depth < MAX_NESTING; depth++) {
    const hit = frontier.find((p) => assigned.has(lastId(p).toLowerCase()));
    if (hit) return { ...facts, nestedPath: hit.map((g) => ({ id: g.id, displayName: assigned.get(g.id.toLowerCase()) ?? g.displayName })) };
    const todo = frontier.filter((p) => !seen.has(lastId(p).toLowerCase())).slice(0, MAX_GROUP_LOOKUPS - lookups);
    if (todo.length < frontier.length && lookups + todo.length >= MAX_GROUP_LOOKUPS) {
      return { ...facts, nestedUnknown: `stopped after ${MAX_GROUP_LOOKUPS} group lookups without reaching an assigned group` };
    }
    lookups += todo.length;
    const parents = await Promise.all(todo.map((p) => groupsOf(`/groups/${segment(lastId(p))}`)));
    for (const p of todo) seen.add(lastId(p).toLowerCase());
    frontier = todo.flatMap((p, i) => (parents[i] ?? []).map((g) => [...p, { id: g.id, displayName: g.displayName ?? g.id }]));
  }
  const hit = frontier.find((p) => assigned.has(lastId(p).toLowerCase()));
  if (hit) return { ...facts, nestedPath: hit.map((g) => ({ id: g.id, displayName: assigned.get(g.id.toLowerCase()) ?? g.displayName })) };
  return frontier.length ? { ...facts, nestedUnknown: `group nesting deeper than ${MAX_NESTING} levels was not followed` } : facts;
}

async function phoneMethodsOf(api: GraphApi, user: User): Promise<Known<PhoneMethod[] | null>> {
  return attempt("UserAuthMethod-Phone.Read.All", async () => {
    try {
      return await firstPage<PhoneMethod>(api, `/users/${segment(user.id)}/authentication/phoneMethods`);
    } catch (err) {
      if (isStatus(err, 404)) return null;
      throw err;
    }
  });
}

async function logsOf(api: GraphApi, user: User, sp: string): Promise<Known<ProvisioningLogEntry[]>> {
  return attempt("AuditLog.Read.All (+ Directory.Read.All) or ProvisioningLog.Read.All", async () => {
    const filters = [
      `sourceIdentity/id eq ${odataString(user.id)} and servicePrincipal/id eq ${odataString(sp)}`,
      `sourceIdentity/id eq ${odataString(user.id)}`,
    ];
    for (let i = 0; ; i++) {
      try {
        const page = await firstPage<ProvisioningLogEntry>(
          api,
          `/auditLogs/provisioning${buildQuery({ $filter: filters[i], $top: LOG_PAGE, $orderby: "activityDateTime desc" })}`,
        );
        return page
          .filter((e) => same(e.sourceIdentity?.id, user.id) && (!e.servicePrincipal?.id || same(e.servicePrincipal.id, sp)))
          .sort((a, b) => Date.parse(b.activityDateTime) - Date.parse(a.activityDateTime));
      } catch (err) {
        if (!isStatus(err, 400) || i + 1 >= filters.length) throw err;
      }
    }
  });
}

interface Candidates {
  liveUsers: User[];
  deletedUsers: User[];
  failures: string[];
  /** Every live lookup answered 400: Graph refused the $select (a property it does not know). */
  refused: boolean;
}

/** Candidates for the shared correlation (mail, otherMails, #EXT# UPN prefix), read with one $batch of filtered GETs. */
async function readCandidates(api: GraphApi, user: User, select: readonly string[]): Promise<Candidates> {
  const keys = [...new Set([user.mail, user.userPrincipalName].filter((k): k is string => Boolean(k)).map((k) => k.toLowerCase()))];
  const requests: { id: string; url: string; deleted: boolean }[] = [];
  keys.forEach((k, i) => {
    const prefix = `${k.replace("@", "_")}#EXT#@`;
    const live = (id: string, filter: string) =>
      requests.push({ id: `${id}${i}`, deleted: false, url: `/users${buildQuery({ $filter: filter, $select: select, $top: 10 })}` });
    const gone = (id: string, filter: string) =>
      requests.push({
        id: `${id}${i}`,
        deleted: true,
        url: `/directory/deletedItems/microsoft.graph.user${buildQuery({ $filter: filter, $select: DELETED_USER_SELECT, $top: 10 })}`,
      });
    live("mail", `mail eq ${odataString(k)}`);
    live("other", `otherMails/any(m:m eq ${odataString(k)})`);
    live("upn", `startswith(userPrincipalName,${odataString(prefix)})`);
    gone("dmail", `mail eq ${odataString(k)}`);
    gone("dother", `otherMails/any(m:m eq ${odataString(k)})`);
  });
  const results = await batchGet<{ value?: User[] } | undefined>(
    api,
    requests.map(({ id, url }) => ({ id, url })),
  );
  const out: Candidates = { liveUsers: [], deletedUsers: [], failures: [], refused: false };
  let refusals = 0;
  for (const r of requests) {
    const res = results.get(r.id);
    if (!res) continue;
    if (res.ok) (r.deleted ? out.deletedUsers : out.liveUsers).push(...(res.body?.value ?? []));
    // A filter the server does not support on deleted items is not worth failing the whole lookup.
    else if (!r.deleted) {
      out.failures.push(why(res.error, "User.Read.All"));
      if (res.error.status === 400) refusals += 1;
    }
  }
  out.refused = refusals > 0 && refusals === requests.filter((r) => !r.deleted).length;
  return out;
}

/** The correlated target user, read with the mapped target attributes (`extra`) so the mapping link can compare values. */
async function targetOf(api: GraphApi, user: User, extra: readonly string[]): Promise<Known<TargetFacts>> {
  return attempt("User.Read.All", async () => {
    let read = await readCandidates(api, user, [...USER_SELECT, ...extra]);
    // Graph refuses the whole $select for one property it does not know: the base list still correlates.
    if (extra.length > 0 && read.refused) read = await readCandidates(api, user, USER_SELECT);
    if (read.failures.length && read.liveUsers.length === 0) throw new Error(read.failures[0]);
    const [c] = correlateUsers([user], read.liveUsers, read.deletedUsers);
    return { ...(c?.target ? { live: c.target } : {}), ...(c?.matchedBy ? { matchedBy: c.matchedBy } : {}), ...(c?.deleted ? { deleted: c.deleted } : {}) };
  });
}

async function auditsOf(api: GraphApi, targetUserId: string): Promise<Known<DirectoryAudit[]>> {
  return attempt("AuditLog.Read.All (+ Directory.Read.All)", async () => {
    const filter = `targetResources/any(t:t/id eq ${odataString(targetUserId)})`;
    const page = await firstPage<DirectoryAudit>(
      api,
      `/auditLogs/directoryAudits${buildQuery({ $filter: filter, $top: LOG_PAGE, $orderby: "activityDateTime desc" })}`,
    );
    return page.filter((a) => auditInitiator(a) === "provisioning-service").sort((a, b) => Date.parse(b.activityDateTime) - Date.parse(a.activityDateTime));
  });
}

/** Gather the trace facts for one user with targeted reads of both tenants. */
export async function liveFacts(t: LiveTenants, query: string): Promise<TraceFacts> {
  const configuration = await findConfiguration(t.source, t.target, t.targetTenantId, t.configuration);
  // The mapping link evaluates the attribute mappings: their source attributes join the clauses' (collect/mapped-select.ts).
  const clauses = clauseProperties(configuration);
  const schema = configuration.known && configuration.value.schema.known ? configuration.value.schema.value : undefined;
  const { user: sourceUser } = await findSourceUser(t.source, query, [...clauses, ...mappedSourceProperties(schema, clauses)]);
  const user = sourceUser.known ? sourceUser.value : undefined;
  const config = configuration.known ? configuration.value.config : undefined;
  const noUser = unknown(sourceUser.known ? `no source user matches "${query}"` : sourceUser.reason);
  const noConfig = unknown(configuration.known ? "no configuration for the target tenant" : configuration.reason);

  const [scope, phoneMethods, logs, target] = await Promise.all([
    !user ? noUser : !config ? noConfig : scopeOf(t.source, user, config),
    !user ? noUser : phoneMethodsOf(t.source, user),
    !user ? noUser : !config ? noConfig : logsOf(t.source, user, config.servicePrincipal.id),
    !user ? noUser : targetOf(t.target, user, mappedTargetProperties(schema)),
  ]);
  const matched = target.known ? (target.value.live ?? target.value.deleted) : undefined;
  const audits = matched ? await auditsOf(t.target, matched.id) : target.known ? known([]) : unknown<DirectoryAudit[]>(target.reason);
  return {
    mode: "live",
    query,
    sourceTenantId: t.sourceTenantId,
    targetTenantId: t.targetTenantId,
    sourceUser,
    absentAttribute: "null",
    configuration,
    scope,
    phoneMethods,
    logs,
    target,
    audits,
  };
}

export interface ConnectOptions {
  /** Tests inject credentials; otherwise they are built from the config. */
  credentials?: Partial<Record<"source" | "target", TokenCredential>>;
  concurrency?: number;
  onRequest?: (side: "source" | "target", entry: RequestLogEntry) => void;
}

/** One GraphApi per tenant, each token checked against its configured tenant first (as collect does). */
export async function connect(config: Config, options: ConnectOptions = {}): Promise<LiveTenants> {
  const source = await connectSide(config, "source", options);
  const target = await connectSide(config, "target", options);
  return {
    source,
    target,
    sourceTenantId: config.source.tenantId.toLowerCase(),
    targetTenantId: config.target.tenantId.toLowerCase(),
    configuration: config.configuration,
  };
}

async function connectSide(config: Config, side: "source" | "target", options: ConnectOptions): Promise<GraphApi> {
  const tenant = config[side];
  const credential = options.credentials?.[side] ?? createCredential(tenant, side);
  try {
    await preflight(side, tenant, credential);
  } catch (err) {
    if (err instanceof CtsError) throw err;
    const e = toGraphRequestError(err);
    throw new CtsError("AUTH_FAILED", `${side} tenant not reachable: ${e.graphCode}: ${e.message}`);
  }
  return new GraphApi({
    baseUrl: tenant.graphEndpoint ?? CLOUDS[tenant.cloud].graphEndpoint,
    credential,
    scope: CLOUDS[tenant.cloud].scope,
    concurrency: options.concurrency ?? config.collection?.concurrency ?? 4,
    ...(config.collection?.timeoutSeconds ? { retry: { timeoutMs: config.collection.timeoutSeconds * 1000 } } : {}),
    onRequest: (entry) => options.onRequest?.(side, entry),
    onToken: tokenTenantGuard(side, tenant),
  });
}
