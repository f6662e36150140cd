// Write routes for remediation: they change the served tenant pair the way the service would, so later reads and the
// connection test see the change (partners, guest settings, secrets, job actions, SMS sign-in; identitySynchronization
// is in sync-policy-writes.ts).
import { correlateUsers } from "../model/correlate.js";
import type { TenantSide } from "../snapshot/facets.js";
import type { GraphObject, PartnerConfiguration, SynchronizationJob, User } from "../snapshot/graph-types.js";
import type { RequestContext } from "./context.js";
import { validateCredentials } from "./policy-check.js";
import { GraphFault, notFound, type Reply } from "./reply.js";
import { lookup, route, sameId, type Route } from "./route-table.js";
import type { EmulatorState } from "./state.js";

const XTAP = "policies/crossTenantAccessPolicy";
const JOB = "servicePrincipals/:spId/synchronization/jobs/:jobId";
const PHONE = "users/:id/authentication/phoneMethods/:methodId";

export const NO_CONTENT: Reply = { status: 204 };

export function bodyObject(ctx: RequestContext): Record<string, unknown> {
  const body = ctx.body;
  if (!body || typeof body !== "object" || Array.isArray(body)) throw new GraphFault(400, "BadRequest", "The request body must be a JSON object.");
  return body as Record<string, unknown>;
}

/** Facets are only writable when the snapshot holds them (a denied facet stays denied for writes too). */
export function writable(ctx: RequestContext, id: Parameters<EmulatorState["facet"]>[0]): void {
  ctx.state.facet(id);
}

// ---- cross-tenant access policy -------------------------------------------------------------------------------------

function partnerKey(side: TenantSide): "source.partner" | "target.partner" {
  return side === "source" ? "source.partner" : "target.partner";
}

export function existingPartner(ctx: RequestContext, tenantId: string): PartnerConfiguration {
  const partner = ctx.state.sideFacet(ctx.side, "partner");
  // A hand-written snapshot's partner may lack tenantId: it is then the other tenant of the pair.
  const partnerTenant: string | undefined = partner?.tenantId;
  if (!partner || !sameId(partnerTenant ?? ctx.otherTenantId, tenantId)) throw notFound(tenantId);
  return partner;
}

function createPartner(ctx: RequestContext): Reply {
  const body = bodyObject(ctx);
  const tenantId = typeof body["tenantId"] === "string" ? body["tenantId"] : "";
  if (!tenantId) throw new GraphFault(400, "BadRequest", "Property 'tenantId' is required.");
  writable(ctx, partnerKey(ctx.side));
  if (!sameId(ctx.otherTenantId, tenantId)) throw new GraphFault(400, "BadRequest", "The emulator holds the partner record of the pair's other tenant only.");
  if (ctx.state.sideFacet(ctx.side, "partner")) {
    throw new GraphFault(409, "Request_MultipleObjectsWithSameKeyValue", `A partner configuration for tenant '${tenantId}' already exists.`);
  }
  const record: PartnerConfiguration = {
    tenantId: tenantId.toLowerCase(),
    isServiceProvider: null,
    isInMultiTenantOrganization: false,
    inboundTrust: null,
    b2bCollaborationOutbound: null,
    b2bCollaborationInbound: null,
    b2bDirectConnectOutbound: null,
    b2bDirectConnectInbound: null,
    tenantRestrictions: null,
    automaticUserConsentSettings: { inboundAllowed: null, outboundAllowed: null },
    ...replaceable(body),
  };
  ctx.state.data[partnerKey(ctx.side)] = record;
  return { status: 201, body: { "@odata.context": `${ctx.base}/$metadata#${XTAP}/partners/$entity`, ...record } };
}

/** Top-level properties a PATCH may set; a complex property (automaticUserConsentSettings) is replaced as a whole. */
function replaceable(body: Record<string, unknown>): GraphObject {
  const out: GraphObject = {};
  for (const [k, v] of Object.entries(body)) if (k !== "tenantId" && !k.startsWith("@odata.") && k !== "identitySynchronization") out[k] = v;
  return out;
}

function patchPartner(ctx: RequestContext, tenantId: string): Reply {
  const partner = existingPartner(ctx, tenantId);
  const body = bodyObject(ctx);
  const auto = body["automaticUserConsentSettings"];
  if (auto !== undefined && (auto === null || typeof auto !== "object"))
    throw new GraphFault(400, "BadRequest", "automaticUserConsentSettings must be an object.");
  const next = replaceable(body);
  if (auto) next["automaticUserConsentSettings"] = { inboundAllowed: null, outboundAllowed: null, ...auto };
  Object.assign(partner, next);
  return NO_CONTENT;
}

function deletePartner(ctx: RequestContext, tenantId: string): Reply {
  existingPartner(ctx, tenantId);
  ctx.state.data[partnerKey(ctx.side)] = null;
  // The sync policy is part of the record: it goes with it.
  if (ctx.side === "target" && ctx.state.has("target.identitySynchronization")) ctx.state.data["target.identitySynchronization"] = null;
  return NO_CONTENT;
}

/** A value from a request body as text in a message or a stored secret (a string as it is). */
const asText = (value: unknown): string => (typeof value === "string" ? value : JSON.stringify(value));

function patchAuthorizationPolicy(ctx: RequestContext): Reply {
  const policy = ctx.state.sideFacet(ctx.side, "authorizationPolicy");
  const body = bodyObject(ctx);
  const allowed = ["everyone", "adminsGuestInvitersAndAllMembers", "adminsAndGuestInviters", "none"];
  const invites = body["allowInvitesFrom"];
  if (invites !== undefined && !(typeof invites === "string" && allowed.includes(invites)))
    throw new GraphFault(400, "BadRequest", `Invalid value for allowInvitesFrom: ${asText(invites)}.`);
  Object.assign(policy, replaceable(body));
  return NO_CONTENT;
}

// ---- synchronization: secrets, job actions, provisionOnDemand -------------------------------------------------------

function putSecrets(ctx: RequestContext, spId: string): Reply {
  const map = ctx.state.oneSided(ctx.side, "source.syncSecrets");
  const value = bodyObject(ctx)["value"];
  if (!Array.isArray(value) || !value.every((v) => v && typeof v === "object" && typeof (v as { key?: unknown }).key === "string")) {
    throw new GraphFault(400, "BadRequest", "The body must be { value: [ { key, value } ] }.");
  }
  if (!ctx.state.data["source.syncServicePrincipals"]?.some((sp) => sameId(sp.id, spId))) throw notFound(spId);
  const key = Object.keys(map).find((k) => sameId(k, spId)) ?? spId;
  // PUT replaces every secret of the configuration.
  map[key] = value.map((v) => ({ key: (v as { key: string }).key, value: asText((v as { value?: unknown }).value ?? "") }));
  return NO_CONTENT;
}

function findJob(ctx: RequestContext, spId: string, jobId: string): SynchronizationJob {
  const jobs = lookup(ctx.state.oneSided(ctx.side, "source.syncJobs"), spId);
  const job = jobs?.find((j) => sameId(j.id, jobId));
  if (!job) throw notFound(jobs ? jobId : spId);
  return job;
}

/** The cycle a started job runs right away: the policy check decides between Active and Quarantine. */
function runCycle(state: EmulatorState, job: SynchronizationJob): void {
  const now = new Date().toISOString();
  const status = (job.status ??= { code: "Active" });
  let error: { code: string; message: string } | undefined;
  try {
    validateCredentials(state);
  } catch (err) {
    if (!(err instanceof GraphFault)) throw err;
    error = { code: err.code, message: err.message };
  }
  if (!error) {
    Object.assign(status, { code: "Active", quarantine: null, countSuccessiveCompleteFailures: 0 });
    status.lastExecution = { ...(status.lastExecution ?? {}), state: "Succeeded", error: null, timeBegan: now, timeEnded: now };
    status.lastSuccessfulExecution = status.lastExecution;
    return;
  }
  const quarantine = status.quarantine ?? null;
  Object.assign(status, {
    code: "Quarantine",
    countSuccessiveCompleteFailures: (status.countSuccessiveCompleteFailures ?? 0) + 1,
    quarantine: {
      reason: "EncounteredQuarantineException",
      currentBegan: now,
      seriesBegan: quarantine?.seriesBegan ?? now,
      seriesCount: (quarantine?.seriesCount ?? 0) + 1,
      nextAttempt: new Date(Date.now() + 40 * 60_000).toISOString(),
      error: { ...error, tenantActionable: true },
    },
  });
  status.lastExecution = { ...(status.lastExecution ?? {}), state: "Failed", error: { ...error, tenantActionable: true }, timeBegan: now, timeEnded: now };
}

function startJob(ctx: RequestContext, spId: string, jobId: string): Reply {
  const job = findJob(ctx, spId, jobId);
  job.schedule = { ...(job.schedule ?? {}), state: "Active" };
  // Start does not lift a quarantine; only restart with QuarantineState does.
  if (job.status?.code !== "Quarantine") runCycle(ctx.state, job);
  return NO_CONTENT;
}

function pauseJob(ctx: RequestContext, spId: string, jobId: string): Reply {
  const job = findJob(ctx, spId, jobId);
  job.schedule = { ...(job.schedule ?? {}), state: "Disabled" };
  job.status = { ...(job.status ?? {}), code: "Paused" };
  return NO_CONTENT;
}

function restartJob(ctx: RequestContext, spId: string, jobId: string): Reply {
  const job = findJob(ctx, spId, jobId);
  const criteria = (ctx.body as { criteria?: { resetScope?: unknown } } | undefined)?.criteria;
  const scope = typeof criteria?.resetScope === "string" ? criteria.resetScope : "";
  if (!scope || /quarantinestate/i.test(scope)) {
    if (job.status) job.status.quarantine = null;
    if (job.status?.code === "Quarantine") job.status.code = "Active";
  }
  job.schedule = { ...(job.schedule ?? {}), state: "Active" };
  runCycle(ctx.state, job);
  return NO_CONTENT;
}

interface OnDemandLimit {
  limit: number;
  windowMs: number;
  starts: Map<string, number[]>;
}

const onDemandLimits = new WeakMap<EmulatorState, OnDemandLimit>();

/** provisionOnDemand allows 5 requests per 10 s per job; tests may shorten the window. */
export function setOnDemandLimit(state: EmulatorState, limit: number, windowMs: number): void {
  onDemandLimits.set(state, { limit, windowMs, starts: new Map() });
}

function throttleOnDemand(state: EmulatorState, key: string): void {
  let entry = onDemandLimits.get(state);
  if (!entry) {
    entry = { limit: 5, windowMs: 10_000, starts: new Map() };
    onDemandLimits.set(state, entry);
  }
  const now = Date.now();
  const starts = (entry.starts.get(key) ?? []).filter((t) => t > now - entry.windowMs);
  if (starts.length >= entry.limit) {
    const wait = Math.max(1, Math.ceil(((starts[0] ?? now) + entry.windowMs - now) / 1000));
    throw new GraphFault(429, "TooManyRequests", "Too many requests: provisionOnDemand allows 5 requests per 10 seconds.", { "Retry-After": String(wait) });
  }
  starts.push(now);
  entry.starts.set(key, starts);
}

/** `alexw@contoso.com` → `alexw_contoso.com#EXT#@<target domain of the current UPN>`. */
function externalUpn(sourceUpn: string, currentTargetUpn: string | null | undefined): string | undefined {
  const domain = /#EXT#@(.+)$/i.exec(currentTargetUpn ?? "")?.[1];
  return domain ? `${sourceUpn.replace("@", "_")}#EXT#@${domain}` : undefined;
}

function provisionOnDemand(ctx: RequestContext, spId: string, jobId: string): Reply {
  const job = findJob(ctx, spId, jobId);
  const parameters = (bodyObject(ctx)["parameters"] ?? []) as { ruleId?: string; subjects?: { objectId?: string; objectTypeName?: string }[] }[];
  const p = parameters[0];
  const subject = p?.subjects?.[0];
  if (!p?.ruleId || !subject?.objectId || !subject.objectTypeName)
    throw new GraphFault(400, "BadRequest", "parameters[0] needs ruleId and subjects[0] with objectId and objectTypeName.");
  throttleOnDemand(ctx.state, `${spId}/${jobId}`.toLowerCase());
  const schemas = ctx.state.has("source.syncSchemas") ? ctx.state.data["source.syncSchemas"] : undefined;
  const schema = schemas ? lookup(lookup(schemas, spId) ?? {}, jobId) : undefined;
  if (schema && !(schema.synchronizationRules ?? []).some((r) => r.id === p.ruleId))
    throw new GraphFault(400, "BadRequest", `The synchronization rule '${p.ruleId}' does not exist in the job's schema.`);
  if (subject.objectTypeName.toLowerCase() !== "user") throw new GraphFault(400, "BadRequest", "Only objectTypeName User is supported by the emulator.");
  const objectId = subject.objectId;
  const user = (ctx.state.data["source.users"] ?? []).find((u) => sameId(u.id, objectId));
  if (!user) throw notFound(subject.objectId);
  // The service checks the policies first, exactly like a cycle.
  validateCredentials(ctx.state);
  const targets = ctx.state.has("target.users") ? (ctx.state.data["target.users"] as User[]) : [];
  const match = correlateUsers([user], targets)[0]?.target;
  let action = "Create";
  if (match && user.userPrincipalName) {
    const upn = externalUpn(user.userPrincipalName, match.userPrincipalName);
    if (upn) match.userPrincipalName = upn;
    match.userType = "Member";
    action = "Update";
  }
  const details = [
    {
      provisioningStep: 4,
      description: `${action} User '${user.userPrincipalName ?? user.id}' in the target tenant`,
      status: "Success",
      name: "EntryExportUpdate",
    },
  ];
  return {
    status: 200,
    body: {
      "@odata.context": `${ctx.base}/$metadata#microsoft.graph.stringKeyStringValuePair`,
      key: "Microsoft.Identity.Health.CPP.Common.DataContracts.SyncFabric.StatusInfo",
      value: JSON.stringify(details),
      jobId: job.id,
    },
  };
}

// ---- SMS sign-in ----------------------------------------------------------------------------------------------------

function setSmsSignIn(ctx: RequestContext, userId: string, methodId: string, state: "ready" | "notEnabled"): Reply {
  const all = ctx.state.oneSided(ctx.side, "source.phoneMethods");
  const entry = all.find((e) => sameId(e.userId, userId));
  const method = entry?.value.find((m) => sameId(m.id, methodId));
  if (!method) throw notFound(methodId);
  if (method.phoneType && method.phoneType !== "mobile") throw new GraphFault(400, "BadRequest", "SMS sign-in is available on the mobile phone method only.");
  method.smsSignInState = state;
  return NO_CONTENT;
}

export const WRITE_ROUTES: Route[] = [
  route("POST", `${XTAP}/partners`, (ctx) => createPartner(ctx)),
  route("PATCH", `${XTAP}/partners/:tenantId`, (ctx, p) => patchPartner(ctx, p.tenantId as string)),
  route("DELETE", `${XTAP}/partners/:tenantId`, (ctx, p) => deletePartner(ctx, p.tenantId as string)),
  route("PATCH", "policies/authorizationPolicy", (ctx) => patchAuthorizationPolicy(ctx)),
  route("PUT", "servicePrincipals/:spId/synchronization/secrets", (ctx, p) => putSecrets(ctx, p.spId as string)),
  route("POST", `${JOB}/start`, (ctx, p) => startJob(ctx, p.spId as string, p.jobId as string)),
  route("POST", `${JOB}/pause`, (ctx, p) => pauseJob(ctx, p.spId as string, p.jobId as string)),
  route("POST", `${JOB}/restart`, (ctx, p) => restartJob(ctx, p.spId as string, p.jobId as string)),
  route("POST", `${JOB}/provisionOnDemand`, (ctx, p) => provisionOnDemand(ctx, p.spId as string, p.jobId as string)),
  route("POST", `${PHONE}/disableSmsSignIn`, (ctx, p) => setSmsSignIn(ctx, p.id as string, p.methodId as string, "notEnabled")),
  route("POST", `${PHONE}/enableSmsSignIn`, (ctx, p) => setSmsSignIn(ctx, p.id as string, p.methodId as string, "ready")),
];
