// Collectors for the source tenant: CTS configurations, the one for the target (job, schema, scope), users, logs, test.
import { CtsError, GraphRequestError } from "../errors.js";
import { batchGet } from "../graph/batch.js";
import type { GraphApi } from "../graph/client.js";
import { buildQuery, odataString, segment } from "../graph/odata.js";
import {
  CTS_APPLICATION_TEMPLATE_ID,
  chooseConfiguration,
  ctsJob,
  namedConfigurations,
  toConfiguration,
  userMapping,
  type SyncConfiguration,
} from "../model/configuration.js";
import { isExternalUser } from "../model/external-user.js";
import { graphPropertyFor } from "../model/attributes.js";
import type { FacetId } from "../snapshot/facets.js";
import type {
  AppRoleAssignment,
  ConnectionTest,
  DirectoryObject,
  Organization,
  PhoneMethod,
  ProvisioningLogEntry,
  ServicePrincipal,
  SynchronizationJob,
  SynchronizationSchema,
  User,
} from "../snapshot/graph-types.js";
import { readFacet } from "../snapshot/store.js";
import { collectLogOutcomes } from "./log-outcomes.js";
import { mappedSourceProperties, mappedTargetProperties } from "./mapped-select.js";
import { isSkipOrFailure, selectPhoneReads, type PhoneSelection } from "./phone-selection.js";
import type { SnapshotRecorder } from "./recorder.js";
import { collectSecrets } from "./secrets.js";
import { ASSIGNMENT_SELECT, DIRECTORY_PAGE, LOG_PAGE, MEMBER_SELECT, SERVICE_PRINCIPAL_SELECT, USER_SELECT } from "./select.js";
import { stripAnnotations } from "./tenant.js";

export interface SourceOptions {
  targetTenantId: string;
  since: Date;
  connectionTest: boolean;
  /** `--configuration` / `configuration:`: the CTS configuration to diagnose (service principal id or displayName). */
  configuration?: string | undefined;
  /** The target's organization, once collected: evidence for the configuration when CompanyId cannot be read. */
  targetOrganization?: () => Promise<Organization[] | undefined>;
  /** `--all-phone-methods`: read every in-scope member's phone methods, not only those that can change the result. */
  allPhoneMethods?: boolean;
  /** The target's external users, once collected (undefined when not read): users matched there need no phone read. */
  targetUsers?: () => Promise<User[] | undefined>;
  /** Told, once the schema is read, the Graph properties of the mapped target attributes (for the target users' $select). */
  onTargetSelect?: (properties: string[]) => void;
}

const CONFIG_FACETS: FacetId[] = [
  "source.syncJobs",
  "source.syncSchemas",
  "source.syncAssignments",
  "source.groupMembers",
  "source.users",
  "source.phoneMethods",
  "source.provisioningLogs",
  "source.provisioningOutcomes",
  "source.connectionTest",
];

async function skipAll(rec: SnapshotRecorder, ids: FacetId[], code: string, message: string): Promise<void> {
  for (const id of ids) await rec.skip(id, code, message);
}

function dependencyMessage(rec: SnapshotRecorder, id: FacetId): string {
  const entry = rec.entry(id);
  return `needs ${id}, which was ${entry.status}${entry.error ? ` (${entry.error.code})` : ""}`;
}

/** A named configuration must be one of those found: anything else would diagnose a pair the user did not mean. */
function checkNamed(configs: SyncConfiguration[], name: string | undefined): void {
  if (!name) return;
  const named = namedConfigurations(configs, name);
  if (named.length === 1) return;
  const found = configs.map((c) => `"${c.name}" (${c.servicePrincipal.id})`).join(", ") || "none";
  const why =
    named.length === 0
      ? "is not a cross-tenant synchronization configuration in the source"
      : `matches ${named.length} configurations by displayName; give the service principal id`;
  throw new CtsError("USAGE", `--configuration "${name}" ${why} (found: ${found})`);
}

/** The configurations to collect: the one for the target, or every candidate when it cannot be told which. */
async function configurationsToCollect(configs: SyncConfiguration[], options: SourceOptions): Promise<SyncConfiguration[]> {
  const input = { configs, targetTenantId: options.targetTenantId, named: options.configuration };
  let choice = chooseConfiguration(input);
  if (!choice.config && !choice.absent && options.targetOrganization) {
    choice = chooseConfiguration({ ...input, targetOrganization: await options.targetOrganization() });
  }
  // Every configuration whose CompanyId is the target is read, so rules can compare their scopes; the chosen one first.
  const picked = choice.config;
  if (picked && choice.basis === "companyId") return [picked, ...configs.filter((c) => c !== picked && c.companyId === picked.companyId)];
  if (choice.config) return [choice.config];
  return choice.absent ? [] : configs.filter((c) => c.companyId === undefined);
}

/** Nothing to read is a complete answer, not missing data: the rules report the missing configuration. */
async function recordNoConfiguration(rec: SnapshotRecorder): Promise<void> {
  for (const id of CONFIG_FACETS) {
    if (id === "source.users" || id === "source.phoneMethods" || id === "source.provisioningLogs") await rec.stream(id, () => Promise.resolve());
    else if (id === "source.connectionTest") await rec.ok(id, null);
    else if (id === "source.provisioningOutcomes") await rec.ok(id, []);
    else await rec.ok(id, {});
  }
}

export async function collectSource(rec: SnapshotRecorder, api: GraphApi, options: SourceOptions): Promise<void> {
  const filter = `applicationTemplateId eq ${odataString(CTS_APPLICATION_TEMPLATE_ID)}`;
  const sps = await rec.collect("source.syncServicePrincipals", () =>
    api.list<ServicePrincipal>(`/servicePrincipals${buildQuery({ $filter: filter, $select: SERVICE_PRINCIPAL_SELECT, $top: DIRECTORY_PAGE })}`),
  );
  if (!sps) return skipAll(rec, ["source.syncSecrets", ...CONFIG_FACETS], "DependencyFailed", dependencyMessage(rec, "source.syncServicePrincipals"));

  // Unreadable secrets no longer stop the collection: jobs, schema, scope and logs are documented reads.
  const secrets = await collectSecrets(rec, api, sps);
  const configs = sps.map((sp) => toConfiguration(sp, secrets && Object.hasOwn(secrets, sp.id) ? secrets[sp.id] : undefined));
  checkNamed(configs, options.configuration);
  const chosen = await configurationsToCollect(configs, options);
  if (chosen.length === 0) return recordNoConfiguration(rec);
  const spIds = chosen.map((c) => c.servicePrincipal.id);

  const jobs = await rec.collect("source.syncJobs", async () => {
    const bySp: Record<string, SynchronizationJob[]> = {};
    for (const sp of spIds) {
      const page = await api.get<{ value?: SynchronizationJob[] } | undefined>(`/servicePrincipals/${segment(sp)}/synchronization/jobs`);
      bySp[sp] = (page?.value ?? []).map((j) => stripAnnotations(j));
    }
    return bySp;
  });
  const jobOfSp = (sp: string) => ctsJob(jobs?.[sp] ?? []);

  // The schema comes before the users (their $select adds what the scoping clauses name); nothing else waits for it.
  const schemas = jobs
    ? rec.collect("source.syncSchemas", async () => {
        const bySp: Record<string, Record<string, SynchronizationSchema>> = {};
        for (const sp of spIds) {
          const byJob: Record<string, SynchronizationSchema> = {};
          for (const j of jobs[sp] ?? [])
            byJob[j.id] = stripAnnotations(
              await api.get<SynchronizationSchema>(`/servicePrincipals/${segment(sp)}/synchronization/jobs/${segment(j.id)}/schema`),
            );
          bySp[sp] = byJob;
        }
        return bySp;
      })
    : Promise.resolve(undefined);
  const schemaOf = (s: Awaited<typeof schemas>, sp: string) => s?.[sp]?.[jobOfSp(sp)?.id ?? ""];
  // The mapped attributes join the scoping ones, so predict and the trace's mapping link can compare values.
  const scopingSelect = schemas.then((s) => {
    const scoping = [...new Set(spIds.flatMap((sp) => scopingProperties(schemaOf(s, sp))))];
    options.onTargetSelect?.([...new Set(spIds.flatMap((sp) => mappedTargetProperties(schemaOf(s, sp))))]);
    return { select: [...scoping, ...new Set(spIds.flatMap((sp) => mappedSourceProperties(schemaOf(s, sp), scoping)))], scoping };
  });
  const logs = collectLogs(rec, api, spIds, options.since);
  // The latest outcome of each problem object, once the logs are written (log-outcomes.ts).
  const outcomes = logs.then(() => collectLogOutcomes(rec, api));
  const scope = collectScope(rec, api, chosen, scopingSelect, { all: options.allPhoneMethods === true, targetUsers: options.targetUsers, loggedIds: logs });
  if (!jobs) {
    await skipAll(rec, ["source.syncSchemas", "source.connectionTest"], "DependencyFailed", dependencyMessage(rec, "source.syncJobs"));
  } else {
    await schemas;
    const sp = spIds[0] ?? "";
    if (!options.connectionTest) await rec.skip("source.connectionTest", "Skipped", "skipped with --no-connection-test");
    else if (spIds.length > 1 && chosen[1]?.companyId === undefined)
      await rec.skip(
        "source.connectionTest",
        "ConfigurationNotIdentified",
        `${spIds.length} configurations could be the one for the target; name it with --configuration`,
      );
    else await rec.collect("source.connectionTest", () => testConnection(api, sp, jobOfSp(sp), options.targetTenantId));
  }
  await Promise.all([scope, logs, outcomes]);
}

/**
 * The Graph properties of the attributes the user mapping's scoping clauses name, beyond USER_SELECT, so the snapshot
 * can evaluate the clauses (trace-user). Attributes internal to the provisioning service have no Graph property.
 */
export function scopingProperties(schema: SynchronizationSchema | undefined): string[] {
  const scope = userMapping(schema)?.scope;
  const names = [...(scope?.groups ?? []), ...(scope?.inputFilterGroups ?? []), ...(scope?.categoryFilterGroups ?? [])].flatMap((g) =>
    (g.clauses ?? []).map((c) => c.sourceOperandName),
  );
  const props = names.map((n) => (n ? graphPropertyFor(n) : undefined)).filter((p): p is string => Boolean(p));
  const known = new Set(USER_SELECT.map((p) => p.toLowerCase()));
  const out: string[] = [];
  for (const p of props) {
    if (!known.has(p.toLowerCase())) {
      known.add(p.toLowerCase());
      out.push(p);
    }
  }
  return out;
}

const isBadRequest = (err: unknown) => err instanceof GraphRequestError && err.status === 400;

/** Run with the base $select plus `extra`; when Graph rejects that (400, a property it does not know), with the base list. */
async function withExtraSelect<T>(base: readonly string[], extra: readonly string[], run: (select: string[]) => Promise<T>): Promise<T> {
  if (extra.length === 0) return run([...base]);
  try {
    return await run([...base, ...extra]);
  } catch (err) {
    if (!isBadRequest(err)) throw err;
    return run([...base]);
  }
}

interface PhoneInputs {
  all: boolean;
  targetUsers: (() => Promise<User[] | undefined>) | undefined;
  /** Source user ids skipped or failed in the logs (undefined: logs not read). */
  loggedIds: Promise<Set<string> | undefined>;
}

/** Assignments, direct members of assigned groups, the users in scope and their phone methods. */
async function collectScope(
  rec: SnapshotRecorder,
  api: GraphApi,
  configs: SyncConfiguration[],
  scopingSelect: Promise<{ select: string[]; scoping: string[] }>,
  phones: PhoneInputs,
): Promise<void> {
  const assignments = await rec.collect("source.syncAssignments", () => readAssignments(api, configs));
  if (!assignments) {
    return skipAll(rec, ["source.groupMembers", "source.users", "source.phoneMethods"], "DependencyFailed", dependencyMessage(rec, "source.syncAssignments"));
  }
  const assigned = configs.flatMap((c) => assignments[c.servicePrincipal.id] ?? []);
  const syncAll = configs.some((c) => c.syncAll === true);
  // SyncAll unknown (secrets unreadable): the assigned users are read, as for SyncAll false, and the facet says so.
  const assignedOnly = !syncAll && configs.some((c) => !c.secretsRead);
  const { select: extra, scoping } = await scopingSelect;
  const members = await rec.collect("source.groupMembers", () => readGroupMembers(api, assigned, extra));
  if (!syncAll && !members && assigned.some((a) => a.principalType === "Group")) {
    // Members of assigned groups are in scope: without them the in-scope user list would look complete and be short.
    return skipAll(rec, ["source.users", "source.phoneMethods"], "DependencyFailed", dependencyMessage(rec, "source.groupMembers"));
  }
  const scope = await streamUsers(rec, api, { syncAll, assigned, members, extra, scoping });
  let users = scope.users;
  // Kept from an interrupted run: phone methods still need the list.
  if (scope.ok && rec.isKept("source.users")) users = await readFacet(rec.dir, "source.users");
  else if (scope.ok && assignedOnly) {
    rec.entry("source.users").filter = "assigned-only";
    await rec.flush();
  }
  if (!scope.ok) return rec.skip("source.phoneMethods", "DependencyFailed", dependencyMessage(rec, "source.users"));
  if (!members) {
    // Users from groups could not be listed; phone methods of the direct users alone would look complete.
    return rec.skip("source.phoneMethods", "DependencyFailed", dependencyMessage(rec, "source.groupMembers"));
  }
  await collectPhoneMethods(rec, api, users, phones);
}

async function readAssignments(api: GraphApi, configs: SyncConfiguration[]): Promise<Record<string, AppRoleAssignment[]>> {
  const bySp: Record<string, AppRoleAssignment[]> = {};
  for (const { servicePrincipal } of configs) {
    const sp = servicePrincipal.id;
    bySp[sp] = await api.list<AppRoleAssignment>(
      `/servicePrincipals/${segment(sp)}/appRoleAssignedTo${buildQuery({ $select: ASSIGNMENT_SELECT, $top: DIRECTORY_PAGE })}`,
    );
  }
  return bySp;
}

async function readGroupMembers(api: GraphApi, assigned: AppRoleAssignment[], extra: string[]): Promise<Record<string, DirectoryObject[]>> {
  const byGroup: Record<string, DirectoryObject[]> = {};
  for (const a of assigned.filter((x) => x.principalType === "Group")) {
    byGroup[a.principalId] = await withExtraSelect(MEMBER_SELECT, extra, (select) =>
      api.list<DirectoryObject>(`/groups/${segment(a.principalId)}/members${buildQuery({ $select: select, $top: DIRECTORY_PAGE })}`),
    );
  }
  return byGroup;
}

interface ScopeInputs {
  syncAll: boolean;
  assigned: AppRoleAssignment[];
  members: Record<string, DirectoryObject[]> | undefined;
  extra: string[];
  /** The scoping clauses' part of `extra`: a member without one is read by id (a mapped attribute alone is not worth it). */
  scoping: string[];
}

/** The users in scope into source.users: every user (SyncAll, paged and resumable) or the assigned ones; and the list. */
async function streamUsers(rec: SnapshotRecorder, api: GraphApi, scope: ScopeInputs): Promise<{ ok: boolean; users: User[] }> {
  let users: User[] = [];
  const ok = await rec.stream("source.users", async (writer) => {
    if (!scope.syncAll) {
      const read = await assignedUsers(api, scope.assigned, scope.members, scope.extra, scope.scoping);
      rec.noteNotFound("source.users", read.listedNotFound, read.listedRead);
      users = read.users;
      await writer.write(users);
      return;
    }
    const list = (select: string[]) =>
      rec.pages<User>("source.users", api, `/users${buildQuery({ $select: select, $top: DIRECTORY_PAGE })}`, { onKept: (kept) => users.push(...kept) });
    let first = true;
    try {
      for await (const page of list([...USER_SELECT, ...scope.extra])) {
        first = false;
        users.push(...page);
        await writer.write(page);
      }
    } catch (err) {
      // Nothing written yet: the extended $select was refused, the base list is not.
      if (!(first && scope.extra.length > 0 && isBadRequest(err))) throw err;
      for await (const page of list(USER_SELECT)) {
        users.push(...page);
        await writer.write(page);
      }
    }
  });
  return { ok, users };
}

/**
 * Phone methods of the in-scope members whose SMS sign-in state can change the diagnosis; the entry says who and why.
 * Those not in the target are read as soon as the target's users are in, while the logs are still paged; those the
 * logs show skipped or failed follow once the logs are in.
 */
async function collectPhoneMethods(rec: SnapshotRecorder, api: GraphApi, users: User[], phones: PhoneInputs): Promise<void> {
  // Guests and external users are never synchronized, so only members need their SMS sign-in state.
  const members = users.filter((u) => !isExternalUser(u));
  let selection: PhoneSelection | undefined;
  const ok = await rec.stream("source.phoneMethods", async (writer) => {
    const read = new Set<string>();
    let notFound = 0;
    const readPhones = async (candidates: User[]) => {
      const todo = candidates.filter((u) => !read.has(u.id));
      for (const u of todo) read.add(u.id);
      const results = await batchGet<{ value?: PhoneMethod[] } | undefined>(
        api,
        todo.map((u) => ({ id: u.id, url: `/users/${segment(u.id)}/authentication/phoneMethods` })),
      );
      // A 404 for a user listed moments ago is a deletion in between, or reads that do not see what the list saw: counted.
      for (const u of todo) {
        const r = results.get(u.id);
        if (!r) continue;
        if (r.ok) await writer.write([{ userId: u.id, value: r.body?.value ?? [] }]);
        else if (r.error.status === 404) notFound++;
        else throw r.error;
      }
    };
    const targetUsers = phones.all ? undefined : await phones.targetUsers?.();
    const input = { candidates: members, all: phones.all, targetUsers };
    // Without the logs' ids, the targeted selection is the users not in the target (or everyone, when that is the rule).
    await readPhones(selectPhoneReads({ ...input, loggedIds: new Set() }).users);
    const final = selectPhoneReads({ ...input, loggedIds: phones.all || !targetUsers ? undefined : await phones.loggedIds });
    await readPhones(final.users);
    selection = final.selection;
    rec.noteNotFound("source.phoneMethods", notFound, read.size);
  });
  // Degraded (too many 404s) still read the selected users: the entry says who they were.
  const finished = ok || rec.entry("source.phoneMethods").status === "degraded";
  if (finished && selection && !rec.isKept("source.phoneMethods")) {
    rec.entry("source.phoneMethods").selection = selection;
    await rec.flush();
  }
}

/**
 * Users assigned directly and through groups (direct members only), each once, groups first. Graph returns every
 * selected property (null when unset); a member without one of the scoping properties came from a server that did not
 * project it, so that user is read by id like the direct ones.
 */
async function assignedUsers(
  api: GraphApi,
  assigned: AppRoleAssignment[],
  members: Record<string, DirectoryObject[]> | undefined,
  extra: string[],
  scoping: string[],
): Promise<{ users: User[]; listedRead: number; listedNotFound: number }> {
  const seen = new Set<string>();
  const fromGroups: User[] = [];
  for (const list of Object.values(members ?? {})) {
    for (const m of list) {
      if (m["@odata.type"] === "#microsoft.graph.user" && !seen.has(m.id)) {
        seen.add(m.id);
        fromGroups.push(stripAnnotations<User>(m));
      }
    }
  }
  const incomplete = new Set(fromGroups.filter((u) => scoping.some((p) => !Object.hasOwn(u, p))).map((u) => u.id));
  const direct = [...new Set(assigned.filter((a) => a.principalType === "User" && !seen.has(a.principalId)).map((a) => a.principalId))];
  const ids = [...incomplete, ...direct];
  const results = await withExtraSelect(USER_SELECT, extra, async (select) => {
    const got = await batchGet<User>(
      api,
      ids.map((id) => ({ id, url: `/users/${segment(id)}${buildQuery({ $select: select })}` })),
    );
    const refused = [...got.values()].find((r) => !r.ok && r.error.status === 400);
    if (refused && !refused.ok) throw refused.error;
    return got;
  });
  const read = (id: string): User | undefined => {
    const r = results.get(id);
    if (!r) return undefined;
    if (r.ok) return stripAnnotations(r.body);
    if (r.error.status !== 404) throw r.error; // 404: assigned user since deleted; nothing to read
    return undefined;
  };
  // A group member just listed and then not found is an anomaly (counted); its listed record, short of the scoping
  // properties, stands in.
  let listedNotFound = 0;
  const groupUsers = fromGroups.map((u) => {
    if (!incomplete.has(u.id)) return u;
    const full = read(u.id);
    if (!full) listedNotFound++;
    return full ?? u;
  });
  const fetched = direct.map(read).filter((u): u is User => u !== undefined);
  return { users: [...groupUsers, ...fetched], listedRead: incomplete.size, listedNotFound };
}

/** The source users skipped or failed in the window (lower-case ids), or undefined when the logs could not be read. */
async function collectLogs(rec: SnapshotRecorder, api: GraphApi, spIds: string[], since: Date): Promise<Set<string> | undefined> {
  // Only what rules need: this configuration, the window, and non-success outcomes (successes, the bulk of a busy log,
  // are counted by the job's counters). Filters the docs list for provisioning logs: servicePrincipal/id (eq),
  // activityDateTime (gt) and provisioningStatusInfo/status (eq; `ne` is not documented). A server that rejects a
  // filter (400) is asked for less, and the rest is filtered here, so the facet holds the same entries either way.
  const bySp = spIds.map((sp) => `servicePrincipal/id eq ${odataString(sp)}`);
  const window = `${bySp.length === 1 ? bySp[0] : `(${bySp.join(" or ")})`} and activityDateTime gt ${since.toISOString()}`;
  const wanted = new Set(spIds.map((sp) => sp.toLowerCase()));
  const problems = ["failure", "skipped", "warning"].map((s) => `provisioningStatusInfo/status eq ${odataString(s)}`).join(" or ");
  const filters = [`${window} and (${problems})`, window, `activityDateTime gt ${since.toISOString()}`];
  const mine = (e: ProvisioningLogEntry) =>
    wanted.has(e.servicePrincipal?.id?.toLowerCase() ?? "") &&
    Date.parse(e.activityDateTime) > since.getTime() &&
    (e.provisioningStatusInfo?.status ?? "").toLowerCase() !== "success";
  const logged = new Set<string>();
  const note = (entries: ProvisioningLogEntry[]) => {
    for (const e of entries) if (isSkipOrFailure(e) && e.sourceIdentity?.id) logged.add(e.sourceIdentity.id.toLowerCase());
  };
  const ok = await rec.stream("source.provisioningLogs", async (writer) => {
    for (let i = 0; ; i++) {
      let first = true;
      try {
        for await (const page of rec.pages<ProvisioningLogEntry>(
          "source.provisioningLogs",
          api,
          `/auditLogs/provisioning${buildQuery({ $filter: filters[i], $top: LOG_PAGE })}`,
          { onKept: note },
        )) {
          first = false;
          const kept = page.filter(mine);
          note(kept);
          await writer.write(kept);
        }
        return;
      } catch (err) {
        const unsupported = err instanceof GraphRequestError && err.status === 400 && first;
        if (!unsupported || i + 1 >= filters.length) throw err;
      }
    }
  });
  if (ok) {
    // Readers (the outcome chart, rules that let a later success clear a failure) must know successes are absent.
    rec.entry("source.provisioningLogs").filter = "non-success";
    await rec.flush();
  }
  if (!ok) return undefined;
  // Kept whole from an interrupted run: the ids come from the facet as written (pages continued come through onKept).
  if (rec.isKept("source.provisioningLogs")) note(await readFacet(rec.dir, "source.provisioningLogs"));
  return logged;
}

/** The portal's "Test connection": validateCredentials with the configuration's target. The one write we make. */
async function testConnection(api: GraphApi, sp: string, job: SynchronizationJob | undefined, targetTenantId: string): Promise<ConnectionTest> {
  const testedAt = new Date().toISOString();
  const credentials = [
    { key: "CompanyId", value: targetTenantId },
    { key: "AuthenticationType", value: "SyncPolicy" },
  ];
  const path = job
    ? `/servicePrincipals/${segment(sp)}/synchronization/jobs/${segment(job.id)}/validateCredentials`
    : `/servicePrincipals/${segment(sp)}/synchronization/jobs/validateCredentials`;
  const body = job ? { useSavedCredentials: false, credentials } : { useSavedCredentials: false, templateId: "Azure2Azure", credentials };
  try {
    await api.post(path, body);
    return { ok: true, status: 204, testedAt, servicePrincipalId: sp, ...(job ? { jobId: job.id } : {}) };
  } catch (err) {
    // A 4xx answer is the test's result; anything else means the test itself could not run.
    if (!(err instanceof GraphRequestError) || err.status < 400 || err.status >= 500 || err.status === 401 || err.status === 403 || err.status === 429)
      throw err;
    return {
      ok: false,
      status: err.status,
      testedAt,
      servicePrincipalId: sp,
      ...(job ? { jobId: job.id } : {}),
      error: { code: err.graphCode, message: err.message, ...(err.requestId ? { requestId: err.requestId } : {}) },
    };
  }
}
