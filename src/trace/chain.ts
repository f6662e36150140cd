// The chain a user goes through to land in the target tenant, each link judged from the facts, and the verdict.
import type { RuleId } from "../engine/rule-ids.js";
import { externalReason } from "../model/external-user.js";
import { attributeMapping, userMapping, userRuleId } from "../model/configuration.js";
import { jobRunState } from "../model/job-state.js";
import { homeAddressFromUpn } from "../model/correlate.js";
import type { AttributeMappingSource, SynchronizationJob, User } from "../snapshot/graph-types.js";
import { importedValue, readAttribute } from "../model/attributes.js";
import { evaluateScope, failingClauses } from "../model/scoping.js";
import { mobileMethod, smsReady } from "../model/sms-sign-in.js";
import { SYNC_SERVICE_APP } from "./audits.js";
import { outcomeOf, summarizeEntry, type CodeBook } from "./logs.js";
import { mappingLink } from "./mapping.js";
import type { ConfigurationFacts, TargetFacts, TraceFacts, TraceLink, TraceResult, TraceVerdict } from "./types.js";

/** What the chain needs of a rule: its title and the fix summary from its metadata (the registry supplies them). */
export interface RuleText {
  id: string;
  title: string;
  fix: { summary: string };
}
/** The rules' metadata by id; a Map of the registry's rules is one. */
export interface RuleBook {
  get(id: RuleId): RuleText | undefined;
}

export interface TraceOptions {
  /** How the user would point remediate at the same tenants (the config file), for the command in the verdict. */
  configPath?: string;
  /** provisioning-errors' code table (cause, fix, which rule reports a code). */
  codes?: CodeBook;
  /** What Now() returns in mapping expressions (default: the current time). */
  now?: Date;
}

const SYNC_FABRIC = SYNC_SERVICE_APP.displayName;
const norm = (s: string | null | undefined): string | undefined => (s ? s.trim().toLowerCase() : undefined);
const label = (u: User): string => `${u.displayName ?? u.id} (${u.userPrincipalName ?? u.id})`;

type Draft = Omit<TraceLink, "fix"> & { fix?: string | undefined };

function link(
  name: TraceLink["name"],
  status: TraceLink["status"],
  detail: string,
  ruleIds: RuleId[] = [],
  evidence: Record<string, unknown> = {},
  fix?: string,
): Draft {
  return { name, status, detail, ruleIds, evidence, ...(fix ? { fix } : {}) };
}

const notRead = (name: TraceLink["name"], what: string, reason: string): Draft => link(name, "unknown", `${what} could not be read: ${reason}`);

/** No source user matches the query: a fact in live mode, probably out of scope in a snapshot. */
function noSourceUserLink(f: TraceFacts): Draft {
  return f.mode === "live"
    ? link(
        "source-user",
        "blocked",
        `No user matches "${f.query}" in the source tenant ${f.sourceTenantId} (looked up by object id, UPN and mail).`,
        [],
        {},
        "Check the object id, UPN or mail; only users of the source tenant can be synchronized.",
      )
    : link(
        "source-user",
        "unknown",
        `The snapshot holds no user matching "${f.query}". A snapshot keeps only the users in scope of the configuration, so the user is probably not in scope; trace with --config to read the tenant.`,
      );
}

function sourceUserLink(f: TraceFacts): Draft {
  if (!f.sourceUser.known) return notRead("source-user", "The source user", f.sourceUser.reason);
  const user = f.sourceUser.value;
  if (!user) return noSourceUserLink(f);
  const evidence = {
    id: user.id,
    userPrincipalName: user.userPrincipalName ?? null,
    userType: user.userType ?? null,
    creationType: user.creationType ?? null,
    accountEnabled: user.accountEnabled ?? null,
  };
  // Guests and external users are never synchronized, by design.
  const external = externalReason(user);
  if (external) {
    return link(
      "source-user",
      "blocked",
      `${label(user)} is an external user in the source tenant (${external}); cross-tenant synchronization only provisions internal members, never guests or external users.`,
      [],
      evidence,
      "Synchronize the user from their home tenant instead, or make them an internal member of the source tenant.",
    );
  }
  if (user.accountEnabled === false) {
    return link(
      "source-user",
      "warning",
      `${label(user)} is an internal member but the account is disabled; it is provisioned (or kept) as a disabled account in the target.`,
      [],
      evidence,
      "Enable the account in the source tenant if the person should sign in to the target.",
    );
  }
  const logged = f.logs.known ? importedValue(f.logs.value, "accountEnabled") : undefined;
  if (user.accountEnabled === true || logged?.toLowerCase() === "true") {
    const kind = user.userType ? `internal ${user.userType}` : "internal member (userType not read; nothing marks the user as external)";
    return link(
      "source-user",
      "ok",
      `${label(user)} is an ${kind} and enabled${user.accountEnabled === true ? "" : " (as the latest provisioning-log import reported)"}.`,
      [],
      evidence,
    );
  }
  return link(
    "source-user",
    "unknown",
    `${label(user)} is an internal member, but whether the account is enabled was not ${f.mode === "live" ? "returned" : "collected"}.`,
    [],
    evidence,
  );
}

function configurationLink(f: TraceFacts): Draft {
  if (!f.configuration.known) return notRead("configuration", "The CTS configuration", f.configuration.reason);
  const c = f.configuration.value;
  if (!c.config) {
    if (c.choice && !c.choice.absent)
      return link("configuration", "unknown", `The CTS configuration for ${f.targetTenantId} could not be identified: ${c.choice.evidence}.`);
    return link(
      "configuration",
      "blocked",
      `None of the source's ${c.configurationCount} cross-tenant synchronization configuration(s) has CompanyId ${f.targetTenantId}.`,
      ["configuration-missing"],
    );
  }
  const sp = c.config.servicePrincipal;
  // An unconfirmed configuration (CompanyId unreadable) is named with the evidence it was identified by.
  const name = `"${c.config.name}" (${sp.id})${c.choice && !c.choice.confirmed ? ` [${c.choice.evidence}]` : ""}`;
  if (!c.job.known)
    return link("configuration", "unknown", `Configuration ${name} found; its job could not be read: ${c.job.reason}`, [], { servicePrincipalId: sp.id });
  const job = c.job.value;
  if (!job) return link("configuration", "blocked", `Configuration ${name} has no provisioning job.`, ["job-not-running"], { servicePrincipalId: sp.id });
  return jobLink(f, name, sp.id, job);
}

/** The configuration's job: quarantined, just started, stopped, or running (model/job-state.ts decides which). */
function jobLink(f: TraceFacts, name: string, servicePrincipalId: string, job: SynchronizationJob): Draft {
  const code = job.status?.code;
  const schedule = job.schedule?.state;
  const evidence = {
    servicePrincipalId,
    jobId: job.id,
    status: code ?? null,
    scheduleState: schedule ?? null,
    lastExecution: job.status?.lastExecution ?? null,
  };
  if (code === "Quarantine") {
    const q = job.status?.quarantine;
    const err = q?.error ?? job.status?.lastExecution?.error;
    const why = [q?.reason, err?.code ? `${err.code}: ${err.message ?? ""}`.trim() : undefined].filter(Boolean).join("; ");
    return link(
      "configuration",
      "blocked",
      `The job of configuration ${name} is in quarantine${q?.currentBegan ? ` since ${q.currentBegan}` : ""}${why ? ` (${why})` : ""}; nobody is provisioned until it leaves quarantine.`,
      ["job-quarantined"],
      { ...evidence, quarantine: q ?? null },
    );
  }
  if (jobRunState(job).state === "pending") {
    return link(
      "configuration",
      "ok",
      `The job of configuration ${name} was just started (schedule Active, status NotRun); its first cycle is under way.`,
      [],
      evidence,
    );
  }
  if (jobRunState(job).state === "stopped") {
    return link(
      "configuration",
      "blocked",
      `The job of configuration ${name} is not running (status ${code ?? "unknown"}, schedule ${schedule ?? "unknown"}).`,
      ["job-not-running"],
      evidence,
    );
  }
  const last = job.status?.lastExecution;
  return link(
    "configuration",
    "ok",
    `Configuration ${name} provisions into ${f.targetTenantId}; its job is ${code ?? "running"}${last?.state ? `, last cycle ${last.state}${last.timeEnded ? ` at ${last.timeEnded}` : ""}` : ""}.`,
    [],
    evidence,
  );
}

function scopeLink(f: TraceFacts, user: User | null | undefined): Draft {
  if (!f.scope.known) return notRead("scope", "The assignment scope", f.scope.reason);
  const s = f.scope.value;
  const who = user ? label(user) : `"${f.query}"`;
  if (s.syncAll) return link("scope", "ok", `The configuration syncs all users (SyncAll), so ${who} is in scope.`, [], { syncAll: true });
  if (s.assignedDirectly) return link("scope", "ok", `${who} is assigned to the configuration directly.`, [], { assignedDirectly: true });
  if (s.viaGroup)
    return link("scope", "ok", `${who} is a direct member of the assigned group "${s.viaGroup.displayName}" (${s.viaGroup.id}).`, [], { group: s.viaGroup });
  const assigned = s.nestedPath?.at(-1);
  if (s.nestedPath && assigned) {
    const path = [user?.userPrincipalName ?? f.query, ...s.nestedPath.map((g) => `"${g.displayName}"`)].join(" → ");
    return link(
      "scope",
      "blocked",
      `${who} is only a member through nesting: ${path} (assigned). Only direct members of an assigned group are in scope; the assignment of "${assigned.displayName}" does not cascade.`,
      ["nested-group-assignment"],
      { nestedPath: s.nestedPath },
    );
  }
  if (s.assignmentCount === 0)
    return link("scope", "blocked", "Nothing is assigned to the configuration and SyncAll is off, so nobody is in scope.", ["no-assignments"], {
      assignmentCount: 0,
    });
  if (s.nestedUnknown) {
    return link(
      "scope",
      "unknown",
      `${who} is neither assigned directly nor a direct member of an assigned group; membership through nested groups could not be checked: ${s.nestedUnknown}`,
      [],
      { nestedUnknown: s.nestedUnknown },
    );
  }
  return link(
    "scope",
    "blocked",
    `${who} is neither assigned to the configuration nor a direct member of an assigned group (nor nested in one).`,
    [],
    { assignmentCount: s.assignmentCount ?? null },
    "Assign the user to the configuration (Users and groups → Add user/group), or add them as a direct member of an assigned group.",
  );
}

function configOf(f: TraceFacts): ConfigurationFacts | undefined {
  return f.configuration.known && f.configuration.value.config ? f.configuration.value : undefined;
}

function scopingLink(f: TraceFacts, user: User | null | undefined, codes?: CodeBook): Draft {
  const c = configOf(f);
  if (!f.configuration.known) return notRead("scoping-filter", "The scoping filters", f.configuration.reason);
  if (!c) return link("scoping-filter", "unknown", "No configuration, so no scoping filter to evaluate.");
  if (!c.schema.known) return notRead("scoping-filter", "The configuration's schema", c.schema.reason);
  const mapping = userMapping(c.schema.value);
  if (!mapping) return link("scoping-filter", "unknown", "The schema has no user object mapping to read scoping filters from.");
  if (mapping.enabled === false)
    return link(
      "scoping-filter",
      "blocked",
      `The user object mapping "${mapping.name ?? "users"}" is disabled, so no user is provisioned.`,
      [],
      {},
      "Enable the user mapping (Provisioning → Mappings → Provision Microsoft Entra ID Users → Enabled: Yes).",
    );
  if (!user) return link("scoping-filter", "unknown", "No source user to evaluate the scoping filters against.");
  const result = evaluateScope(mapping.scope, (name) => readAttribute(user, name, f));
  const latest = f.logs.known ? f.logs.value[0] : undefined;
  const loggedFalse = latest ? outcomeOf(latest, codes).falseClauses : [];
  const evidence = { groups: result.groups, ...(loggedFalse.length ? { latestLogFalseClauses: loggedFalse } : {}) };
  const also = latest && loggedFalse.length ? ` The latest provisioning-log entry (${latest.activityDateTime}) reports false: ${loggedFalse.join("; ")}.` : "";
  const clauseCount = result.groups.reduce((n, g) => n + g.clauses.length, 0);
  if (result.outcome === "pass") {
    return link(
      "scoping-filter",
      "ok",
      clauseCount
        ? `${label(user)} passes the scoping filter(s): ${result.groups.map((g) => `"${g.name}" (${g.clauses.length} clause${g.clauses.length === 1 ? "" : "s"})`).join(", ")}.${also}`
        : `The user mapping has no scoping filter.${also}`,
      [],
      evidence,
    );
  }
  if (result.outcome === "fail") {
    const failing = failingClauses(result, "fail");
    const sms = failing.some((cl) => cl.attribute.toLowerCase() === "alternativesecurityids") && f.phoneMethods.known && smsReady(f.phoneMethods.value);
    const text = failing.map((cl) => `${cl.text} is false: ${cl.why}`).join("; ");
    return link(
      "scoping-filter",
      "blocked",
      `${label(user)} fails the scoping filter: ${text}.${also}`,
      sms ? ["sms-sign-in-users-skipped"] : [],
      { ...evidence, failing },
      sms
        ? undefined
        : `Change the user's attribute so the clause holds, or change the clause (Provisioning → Mappings → Provision Microsoft Entra ID Users → Source object scope).`,
    );
  }
  const open = failingClauses(result, "unknown");
  return link(
    "scoping-filter",
    "unknown",
    `The scoping filter could not be fully evaluated: ${open.map((cl) => `${cl.text}: ${cl.why}`).join("; ")}.${also}`,
    [],
    evidence,
  );
}

function smsLink(f: TraceFacts): Draft {
  if (!f.phoneMethods.known) return notRead("sms-sign-in", "The phone methods", f.phoneMethods.reason);
  const mobile = mobileMethod(f.phoneMethods.value);
  const evidence = { mobile: mobile ? { id: mobile.id, smsSignInState: mobile.smsSignInState ?? null } : null };
  if (smsReady(f.phoneMethods.value)) {
    return link(
      "sms-sign-in",
      "blocked",
      `SMS sign-in is enabled on the mobile phone method (smsSignInState ready), so the built-in "Filter external users" clause (alternativeSecurityIds EQUALS 'None') skips the user.`,
      ["sms-sign-in-users-skipped"],
      evidence,
    );
  }
  return link(
    "sms-sign-in",
    "ok",
    mobile
      ? `SMS sign-in is not enabled (smsSignInState ${mobile.smsSignInState ?? "not set"}).`
      : "The user has no mobile phone method, so SMS sign-in is off.",
    [],
    evidence,
  );
}

function logsLink(f: TraceFacts, codes?: CodeBook): Draft {
  if (!f.logs.known) return notRead("provisioning-logs", "The provisioning logs", f.logs.reason);
  const entries = f.logs.value;
  const latest = entries[0];
  if (!latest)
    return link(
      "provisioning-logs",
      "unknown",
      "No provisioning-log entry for this user and configuration (in the window read); the service has not processed the user recently.",
    );
  const o = outcomeOf(latest, codes);
  const evidence = { count: entries.length, latest: entries.slice(0, 5).map(summarizeEntry) };
  const head = `Latest entry ${latest.activityDateTime}: ${latest.provisioningAction ?? "?"} → ${latest.provisioningStatusInfo?.status ?? "?"}${o.code ? ` (${o.code})` : ""}`;
  const reason = latest.provisioningStatusInfo?.errorInformation?.reason;
  const clauses = o.falseClauses.length ? `; scoping clause(s) false: ${o.falseClauses.join("; ")}` : "";
  const cause = o.cause ? ` Cause: ${o.cause}` : reason ? ` Reason: ${reason}` : "";
  return link(
    "provisioning-logs",
    o.status,
    `${head}${clauses}.${o.status === "ok" ? "" : cause} (${entries.length} entr${entries.length === 1 ? "y" : "ies"} read.)`,
    o.ruleIds,
    evidence,
    o.fix,
  );
}

/** The userType the mapping sets (a constant), and whether it flows on updates too. */
function expectedUserType(f: TraceFacts): { value: string; always: boolean } | undefined {
  const c = configOf(f);
  if (!c?.schema.known) return undefined;
  const m = attributeMapping(userMapping(c.schema.value), "userType");
  const source: AttributeMappingSource | null | undefined = m?.source;
  if (!m || source?.type !== "Constant") return undefined;
  const value = source.expression?.replace(/^"(.*)"$/, "$1") ?? source.name;
  return value ? { value, always: (m.flowType ?? "ObjectAddOnly").toLowerCase() === "always" } : undefined;
}

/** What the target's audit log says about the user: a sentence for the detail and the latest events as evidence. */
function auditsOf(f: TraceFacts): { auditText: string; auditEvidence: Record<string, unknown> } {
  if (!f.audits.known) return { auditText: ` Audit events could not be read: ${f.audits.reason}`, auditEvidence: {} };
  const audits = f.audits.value;
  const latest = audits[0];
  const auditText = latest
    ? ` ${audits.length} audit event(s) by ${SYNC_FABRIC} in the target, latest: ${latest.activityDisplayName ?? "?"} at ${latest.activityDateTime} (${latest.result ?? "?"}).`
    : ` No audit event by ${SYNC_FABRIC} for this user in the target.`;
  const events = audits
    .slice(0, 5)
    .map((a) => ({ id: a.id, activityDateTime: a.activityDateTime, activityDisplayName: a.activityDisplayName ?? null, result: a.result ?? null }));
  return { auditText, auditEvidence: { audits: events } };
}

function targetLink(f: TraceFacts, user: User | null | undefined): Draft {
  if (!f.target.known) return notRead("target-user", "The target tenant's users", f.target.reason);
  if (!user) return link("target-user", "unknown", "No source user to match in the target.");
  const t = f.target.value;
  const { auditText, auditEvidence } = auditsOf(f);
  if (!t.live && t.deleted) {
    return link(
      "target-user",
      "blocked",
      `The matching target user ${label(t.deleted)} is soft-deleted (since ${t.deleted.deletedDateTime ?? "?"}); cross-tenant synchronization does not restore it.${auditText}`,
      ["soft-deleted-target-users"],
      { deleted: t.deleted, ...auditEvidence },
    );
  }
  if (!t.live) {
    return link(
      "target-user",
      "blocked",
      `No user in the target tenant matches ${user.mail ?? user.userPrincipalName} (by mail, otherMails or #EXT# UPN).${auditText}`,
      [],
      auditEvidence,
      "Once the links above are fixed, provision the user on demand (or wait for the next cycle).",
    );
  }
  return liveTargetLink(f, user, { live: t.live, matchedBy: t.matchedBy, deleted: t.deleted }, auditText, auditEvidence);
}

/** The source user's live counterpart in the target: joined, still a pending invitation, or of another userType. */
function liveTargetLink(f: TraceFacts, user: User, t: TargetFacts & { live: User }, auditText: string, auditEvidence: Record<string, unknown>): Draft {
  const target = t.live;
  const evidence = {
    id: target.id,
    userPrincipalName: target.userPrincipalName ?? null,
    userType: target.userType ?? null,
    externalUserState: target.externalUserState ?? null,
    creationType: target.creationType ?? null,
    matchedBy: t.matchedBy ?? null,
    ...(t.deleted ? { alsoSoftDeleted: t.deleted.id } : {}),
    ...auditEvidence,
  };
  const state = target.externalUserState?.toLowerCase();
  if (state === "pendingacceptance" && target.creationType?.toLowerCase() === "invitation") {
    const upn = norm(user.userPrincipalName);
    const mail = norm(user.mail);
    const stale = Boolean(upn && mail && upn !== mail && homeAddressFromUpn(target.userPrincipalName) !== upn);
    return link(
      "target-user",
      "warning",
      `The target user ${label(target)} was invited by hand and is still PendingAcceptance, so cross-tenant sync never joined it${stale ? `; its UPN stays stale (source UPN ${user.userPrincipalName}, mail ${user.mail})` : ""}.${auditText}`,
      stale ? ["pending-acceptance-upn-stale"] : [],
      evidence,
      stale ? undefined : "Provision the user on demand so cross-tenant sync takes over the invited account.",
    );
  }
  const expected = expectedUserType(f);
  if (expected && target.userType && target.userType.toLowerCase() !== expected.value.toLowerCase()) {
    return link(
      "target-user",
      "warning",
      `The target user ${label(target)} exists but its userType is ${target.userType}, while the mapping sets ${expected.value}${expected.always ? "" : " only when creating users"}.${auditText}`,
      expected.always ? [] : ["usertype-mapping-create-only"],
      evidence,
      expected.always ? "Provision the user on demand; the userType mapping flows on every update." : undefined,
    );
  }
  return link(
    "target-user",
    "ok",
    `${label(target)} exists in the target (userType ${target.userType ?? "?"}, externalUserState ${target.externalUserState ?? "?"}, matched by ${t.matchedBy ?? "?"}).${auditText}`,
    [],
    evidence,
  );
}

function withFix(d: Draft, rules: RuleBook): TraceLink {
  const { fix: drafted, ...rest } = d;
  if (d.status === "ok" || d.status === "unknown") return rest;
  const fromRules = d.ruleIds.map((id) => rules.get(id)?.fix.summary).filter((x): x is string => Boolean(x));
  const fix = drafted ?? (fromRules.length ? fromRules.join(" ") : undefined);
  return fix ? { ...rest, fix } : rest;
}

/**
 * The remediate command whose plan provisions the user on demand: `remediate plan` builds the rule's fix (for every user
 * the rule lists, this one included) and `remediate apply` runs it. Only rules whose fix provisions on demand qualify.
 */
const ON_DEMAND_RULES: ReadonlySet<RuleId> = new Set(["pending-acceptance-upn-stale"]);
function onDemandCommand(ruleId: RuleId | undefined, options: TraceOptions): string | undefined {
  if (!ruleId || !ON_DEMAND_RULES.has(ruleId)) return undefined;
  return `cts-doctor remediate plan --config ${options.configPath ?? "<config file>"} --rules ${ruleId} --out plan.json && cts-doctor remediate apply plan.json`;
}

function verdictOf(f: TraceFacts, links: TraceLink[], user: User | null | undefined, options: TraceOptions): TraceVerdict {
  const blocked = links.filter((l) => l.status === "blocked");
  const warnings = links.filter((l) => l.status === "warning");
  const ruleIds = [...new Set([...blocked, ...warnings].flatMap((l) => l.ruleIds))];
  const unknowns = links.filter((l) => l.status === "unknown").map((l) => l.name);
  const notChecked = unknowns.length ? ` Not established: ${unknowns.join(", ")}.` : "";
  const c = configOf(f);
  const schema = c?.schema.known ? c.schema.value : undefined;
  const job = c?.job.known ? c.job.value : undefined;
  const request =
    c?.config && job && user
      ? ` (POST /v1.0/servicePrincipals/${c.config.servicePrincipal.id}/synchronization/jobs/${job.id}/provisionOnDemand with ruleId ${userRuleId(schema) ?? "{ruleId}"} and subject ${user.id})`
      : "";
  const firstBlocked = blocked[0];
  if (firstBlocked) {
    const first = firstBlocked;
    const others = blocked.slice(1).map((l) => l.name);
    const upstreamClear = links.slice(0, links.indexOf(first)).every((l) => l.status !== "blocked");
    // On demand helps when nothing but the missing target object (or a fixed log failure) stands in the way.
    const onDemand = Boolean(user) && upstreamClear && (first.name === "target-user" || first.name === "provisioning-logs");
    const command = onDemand ? onDemandCommand(first.ruleIds[0], options) : undefined;
    return {
      status: "blocked",
      ruleIds,
      message: `Blocked at ${first.name}: ${first.detail}${others.length ? ` Also blocked: ${others.join(", ")}.` : ""}${onDemand ? ` Then provision the user on demand${request}.` : ""}${notChecked}`,
      ...(first.fix ? { fix: first.fix } : {}),
      ...(command ? { command } : {}),
    };
  }
  // Drift in the mapped values is the least specific warning: a link that names the cause speaks first.
  const firstWarning = warnings.find((l) => l.name !== "mapping") ?? warnings[0];
  if (firstWarning) {
    const first = firstWarning;
    const pending = first.name === "target-user" && Boolean(user) && /PendingAcceptance/.test(first.detail);
    const command = pending ? onDemandCommand(first.ruleIds[0], options) : undefined;
    return {
      status: "warning",
      ruleIds,
      message: `${first.name}: ${first.detail}${pending ? ` Provision the user on demand${request}.` : ""}${notChecked}`,
      ...(first.fix ? { fix: first.fix } : {}),
      ...(command ? { command } : {}),
    };
  }
  const target = links.find((l) => l.name === "target-user");
  if (target?.status === "ok") return { status: "ok", ruleIds: [], message: `${target.detail}${notChecked}` };
  return { status: "unknown", ruleIds: [], message: `Nothing is blocked, but the chain could not be established.${notChecked}` };
}

/** Judge every link of the chain and give the verdict. Pure: the facts were gathered before. */
export function traceFromFacts(f: TraceFacts, rules: RuleBook, options: TraceOptions = {}): TraceResult {
  const user = f.sourceUser.known ? f.sourceUser.value : undefined;
  const drafts = [
    sourceUserLink(f),
    configurationLink(f),
    scopeLink(f, user),
    scopingLink(f, user, options.codes),
    smsLink(f),
    logsLink(f, options.codes),
    mappingLink(f, user, options.now ?? new Date()),
    targetLink(f, user),
  ];
  const links = drafts.map((d) => withFix(d, rules));
  return {
    mode: f.mode,
    query: f.query,
    user: { id: user?.id ?? null, userPrincipalName: user?.userPrincipalName ?? null, ...(user?.displayName ? { displayName: user.displayName } : {}) },
    links,
    verdict: verdictOf(f, links, user, options),
  };
}
