// The peer reference for the collection bench: the Learn guide's way of reading the same data, with the real Graph client.
//
// What a script following the guide does: one request after another, Graph's default page sizes (no $top), full
// objects (no $select), no $batch (one phone-methods GET per user), and the provisioning logs unfiltered at their
// default page size. Same client, retries and pacing as cts-doctor, so only the approach differs.
import { fakeToken } from "../src/emulator/index.js";
import { StaticTokenCredential } from "../src/graph/auth.js";
import { GraphApi } from "../src/graph/client.js";
import { segment } from "../src/graph/odata.js";
import { CTS_APPLICATION_TEMPLATE_ID } from "../src/model/configuration.js";
import type { AppRoleAssignment, DirectoryObject, KeyValue, ServicePrincipal, SynchronizationJob, User } from "../src/snapshot/graph-types.js";
import type { Manifest } from "../src/snapshot/manifest.js";

export interface GuideResult {
  requests: number;
  users: number;
  phoneMethods: number;
  logEntries: number;
  /** Wall time of the phone-method GETs and of the log pages (the two phases that dominate). */
  phoneMethodsMs: number;
  logsMs: number;
}

function client(url: string, tenantId: string): GraphApi {
  return new GraphApi({
    baseUrl: url,
    credential: new StaticTokenCredential(fakeToken(tenantId)),
    scope: "https://graph.microsoft.com/.default",
    concurrency: 1,
  });
}

/** Read what `diagnose` reads, the guide's way, from the Graph at `url` (both tenants routed by token). */
export async function collectTheGuideWay(url: string, manifest: Manifest): Promise<GuideResult> {
  const source = client(url, manifest.source.tenantId);
  const target = client(url, manifest.target.tenantId);
  const targetId = manifest.target.tenantId;
  await readCommon(source, targetId);
  const sp = await guideConfiguration(source, targetId);
  const users = await usersInScope(source, sp);
  let phoneMethods = 0;
  const t0 = performance.now();
  for (const u of users.values()) {
    if (u.userType === "Guest") continue;
    await source.get(`/users/${segment(u.id)}/authentication/phoneMethods`);
    phoneMethods++;
  }
  const phoneMethodsMs = performance.now() - t0;
  let logEntries = 0;
  const t1 = performance.now();
  for await (const page of source.pages("/auditLogs/provisioning")) logEntries += page.value.length;
  const logsMs = performance.now() - t1;

  await readCommon(target, manifest.source.tenantId);
  await target.get(`/policies/crossTenantAccessPolicy/partners/${segment(manifest.source.tenantId)}/identitySynchronization`, "beta").catch(() => undefined);
  await target.get("/policies/externalIdentitiesPolicy", "beta");
  await target.list("/users");
  await target.list("/directory/deletedItems/microsoft.graph.user");
  return { requests: source.requestCount + target.requestCount, users: users.size, phoneMethods, logEntries, phoneMethodsMs, logsMs };
}

/** What both tenants are asked: organization, cross-tenant access policies, authorization policy, licences. */
async function readCommon(api: GraphApi, other: string): Promise<void> {
  await api.list("/organization");
  await api.get("/policies/crossTenantAccessPolicy");
  await api.get("/policies/crossTenantAccessPolicy/default");
  await api.get(`/policies/crossTenantAccessPolicy/partners/${segment(other)}`).catch(() => undefined);
  await api.get("/policies/authorizationPolicy");
  await api.list("/subscribedSkus");
}

/** The configuration whose CompanyId is the target, its jobs and schemas, and a credentials check. */
async function guideConfiguration(source: GraphApi, targetId: string): Promise<ServicePrincipal> {
  const sps = await source.list<ServicePrincipal>(
    `/servicePrincipals?$filter=${encodeURIComponent(`applicationTemplateId eq '${CTS_APPLICATION_TEMPLATE_ID}'`)}`,
  );
  let sp: ServicePrincipal | undefined;
  for (const s of sps) {
    const secrets = await source.get<{ value?: KeyValue[] }>(`/servicePrincipals/${segment(s.id)}/synchronization/secrets`);
    if ((secrets.value ?? []).some((k) => k.key.toLowerCase() === "companyid" && k.value.toLowerCase() === targetId.toLowerCase())) sp = s;
  }
  if (!sp) throw new Error("no configuration for the target tenant in the generated pair");
  const jobs = await source.get<{ value?: SynchronizationJob[] }>(`/servicePrincipals/${segment(sp.id)}/synchronization/jobs`);
  for (const job of jobs.value ?? []) await source.get(`/servicePrincipals/${segment(sp.id)}/synchronization/jobs/${segment(job.id)}/schema`);
  const job = jobs.value?.[0];
  if (job) {
    await source
      .post(`/servicePrincipals/${segment(sp.id)}/synchronization/jobs/${segment(job.id)}/validateCredentials`, {
        useSavedCredentials: false,
        credentials: [
          { key: "CompanyId", value: targetId },
          { key: "AuthenticationType", value: "SyncPolicy" },
        ],
      })
      .catch(() => undefined);
  }
  return sp;
}

/** Users assigned directly or as direct members of assigned groups. */
async function usersInScope(source: GraphApi, sp: ServicePrincipal): Promise<Map<string, User>> {
  const assignments = await source.list<AppRoleAssignment>(`/servicePrincipals/${segment(sp.id)}/appRoleAssignedTo`);
  const users = new Map<string, User>();
  for (const a of assignments) {
    if (a.principalType === "Group") {
      for (const m of await source.list<DirectoryObject>(`/groups/${segment(a.principalId)}/members`)) {
        if (m["@odata.type"] === "#microsoft.graph.user") users.set(m.id, m);
      }
    } else if (a.principalType === "User" && !users.has(a.principalId)) {
      users.set(a.principalId, await source.get<User>(`/users/${segment(a.principalId)}`));
    }
  }
  return users;
}
