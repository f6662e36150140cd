// HTTP tests of the emulator's routes: auth and tenant routing, paging, $select, partners, facet statuses, Test connection.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fakeToken, SOURCE_POLICY_MESSAGE, TARGET_POLICY_MESSAGE } from "../../src/emulator/index.js";
import { call, emulate, GROUP_ID, JOB_ID, OBRIEN_UPN, SOURCE, SP_ID, TARGET } from "./helpers.js";

type Running = Awaited<ReturnType<typeof emulate>>;
const JSON_TYPE = "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8";

describe("authentication and tenant routing", () => {
  let emu: Running;
  beforeAll(async () => (emu = await emulate()));
  afterAll(() => emu.stop());

  it("answers 401 with the Graph envelope when there is no bearer token", async () => {
    const r = await call(emu, "/v1.0/organization", { token: null, headers: { "client-request-id": "abc-123" } });
    expect(r.status).toBe(401);
    expect(r.body.error.code).toBe("InvalidAuthenticationToken");
    expect(r.body.error.message).toBe("Access token is empty.");
    expect(r.body.error.innerError["client-request-id"]).toBe("abc-123");
    expect(r.body.error.innerError["request-id"]).toBe(r.headers.get("request-id"));
    expect(r.headers.get("client-request-id")).toBe("abc-123");
    expect(r.headers.get("content-type")).toBe(JSON_TYPE);
    expect(emu.journal.at(-1)).toMatchObject({ status: 401, hasBearer: false, clientRequestId: "abc-123" });
  });

  it("refuses unknown tenants, expired tokens and opaque tokens without a tenant prefix", async () => {
    for (const token of [fakeToken("33333333-3333-4333-8333-333333333333"), fakeToken(SOURCE, { exp: 1 }), "opaque-token"]) {
      const r = await call(emu, "/v1.0/organization", { token });
      expect(r.status).toBe(401);
      expect(r.body.error.code).toBe("InvalidAuthenticationToken");
    }
  });

  it("routes by the token's tid", async () => {
    const s = await call(emu, "/v1.0/organization", { tenant: SOURCE });
    const t = await call(emu, "/v1.0/organization", { tenant: TARGET });
    expect(s.body.value[0].id).toBe(SOURCE);
    expect(t.body.value[0].id).toBe(TARGET);
    expect(s.body["@odata.context"]).toBe(`${emu.url}/v1.0/$metadata#organization`);
    expect(emu.journal.at(-1)).toMatchObject({ tenantId: TARGET, hasBearer: true, status: 200, path: "/v1.0/organization" });
  });

  it("routes by a /<tenantId>/ path prefix, with any token, but not a JWT for the other tenant", async () => {
    const opaque = await call(emu, `/${TARGET}/v1.0/organization`, { token: "opaque-token" });
    expect(opaque.status).toBe(200);
    expect(opaque.body.value[0].id).toBe(TARGET);
    expect((await call(emu, `/${TARGET}/v1.0/organization`, { tenant: TARGET })).status).toBe(200);
    const mismatch = await call(emu, `/${TARGET}/v1.0/organization`, { tenant: SOURCE });
    expect(mismatch.status).toBe(401);
    expect((await call(emu, `/${TARGET}/v1.0/organization`, { token: null })).status).toBe(401);
  });

  it("answers unknown segments, bad versions and wrong methods like Graph", async () => {
    const seg = await call(emu, "/v1.0/nonsense");
    expect(seg.status).toBe(400);
    expect(seg.body.error.message).toBe("Resource not found for the segment 'nonsense'.");
    expect((await call(emu, "/v2.0/organization")).status).toBe(400);
    const patch = await call(emu, "/v1.0/organization", { method: "PATCH", body: {} });
    expect(patch.status).toBe(405);
  });
});

describe("paging, $select and $filter over HTTP", () => {
  let emu: Running;
  beforeAll(async () => (emu = await emulate({}, { pageSize: { directory: 3, provisioning: 2 } })));
  afterAll(() => emu.stop());

  it("pages users with absolute nextLinks that carry the original query", async () => {
    const seen: string[] = [];
    let url: string | undefined = `/v1.0/users?$select=id,userType&$filter=userType eq 'Member'`;
    let pages = 0;
    while (url) {
      const r = await call(emu, url);
      expect(r.status).toBe(200);
      seen.push(...r.body.value.map((u: { id: string }) => u.id));
      url = r.body["@odata.nextLink"];
      if (url) {
        expect(url.startsWith(`${emu.url}/v1.0/users?`)).toBe(true);
        expect(url).toContain("$select=id,userType");
        expect(url).toContain("$filter=userType");
      }
      pages++;
    }
    expect(pages).toBe(2);
    expect(seen).toHaveLength(6);
    expect(new Set(seen).size).toBe(6);
  });

  it("honours $top below the server page size and keeps the tenant prefix in nextLink", async () => {
    const r = await call(emu, `/${SOURCE}/v1.0/users?$top=2`, { token: "opaque" });
    expect(r.body.value).toHaveLength(2);
    expect(r.body["@odata.nextLink"].startsWith(`${emu.url}/${SOURCE}/v1.0/users?$top=2&$skiptoken=`)).toBe(true);
    const next = await call(emu, r.body["@odata.nextLink"], { token: "opaque" });
    expect(next.body.value.map((u: { id: string }) => u.id)).not.toContain(r.body.value[0].id);
  });

  it("rejects forged, tampered and cross-query skiptokens with 400", async () => {
    const first = await call(emu, "/v1.0/users?$top=2");
    const link: string = first.body["@odata.nextLink"];
    const token = new URL(link).searchParams.get("$skiptoken") as string;
    for (const url of [
      "/v1.0/users?$skiptoken=AAAAAgAAAAAAAAAAAAAAAA",
      "/v1.0/users?$skiptoken=not-a-token",
      `/v1.0/users?$top=3&$skiptoken=${token}`,
      `/v1.0/servicePrincipals?$top=2&$skiptoken=${token}`,
    ]) {
      const r = await call(emu, url);
      expect(r.status, url).toBe(400);
      expect(r.body.error.code).toBe("Directory_ExpiredPageToken");
    }
    expect((await call(emu, link, { tenant: TARGET })).status).toBe(400);
  });

  it("validates $top for directory collections", async () => {
    expect((await call(emu, "/v1.0/users?$top=999")).status).toBe(200);
    const r = await call(emu, "/v1.0/users?$top=1000");
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe("Request_BadRequest");
    expect((await call(emu, "/v1.0/users?$top=0")).status).toBe(400);
    expect((await call(emu, "/v1.0/users?$top=abc")).status).toBe(400);
  });

  it("returns only Graph's default user properties without $select", async () => {
    const r = await call(emu, "/v1.0/users", { tenant: TARGET });
    const alex = r.body.value[0];
    expect(alex.id).toBeDefined();
    expect(alex.userPrincipalName).toContain("#EXT#");
    for (const hidden of ["userType", "externalUserState", "creationType", "identities", "otherMails"]) expect(alex).not.toHaveProperty(hidden);
  });

  it("returns exactly the $select properties, stored values verbatim", async () => {
    const r = await call(emu, "/v1.0/users?$select=id,externalUserState,identities,otherMails", { tenant: TARGET });
    expect(r.body["@odata.context"]).toBe(`${emu.url}/v1.0/$metadata#users(id,externalUserState,identities,otherMails)`);
    expect(r.body.value[0]).toEqual({
      id: "9f1e2d3c-4b5a-4697-8a1b-2c3d4e5f6a7b",
      externalUserState: "PendingAcceptance",
      otherMails: ["alex.wilber@contosomail.com"],
      identities: [{ signInType: "federated", issuer: "ExternalAzureAD", issuerAssignedId: null }],
    });
  });

  it("keeps @odata.type on $select and applies user defaults to user members only", async () => {
    const r = await call(emu, `/v1.0/groups/${GROUP_ID}/members?$select=id`);
    expect(r.body.value[0]).toEqual({ "@odata.type": "#microsoft.graph.user", id: expect.any(String) });
    const all = await call(emu, `/v1.0/groups/${GROUP_ID}/members?$top=10`);
    expect(all.body.value).toHaveLength(3);
    expect(all.body.value[0]).not.toHaveProperty("userType");
    const users = await call(emu, `/v1.0/groups/${GROUP_ID}/members/microsoft.graph.user`);
    expect(users.body.value).toHaveLength(2);
    expect((await call(emu, "/v1.0/groups/00000000-0000-4000-8000-000000000000/members")).status).toBe(404);
  });

  it("needs ConsistencyLevel: eventual and $count for ne on users", async () => {
    const plain = await call(emu, "/v1.0/users?$filter=userType ne 'Member'");
    expect(plain.status).toBe(400);
    expect(plain.body.error.code).toBe("Request_UnsupportedQuery");
    const adv = await call(emu, "/v1.0/users?$filter=userType ne 'Member'&$count=true", { headers: { ConsistencyLevel: "eventual" } });
    expect(adv.status).toBe(200);
    expect(adv.body["@odata.count"]).toBe(1);
    expect(adv.body.value.map((u: { id: string }) => u.id)).toEqual(["0a9c2f6e-5d4b-4c3a-8b1e-2f7d6c5b4a36"]);
    expect((await call(emu, "/v1.0/users?$filter=userType xx 'Member'")).body.error.code).toBe("Request_UnsupportedQuery");
  });

  it("filters, orders newest first and pages provisioning logs", async () => {
    const first = await call(emu, "/v1.0/auditLogs/provisioning?$top=500");
    expect(first.body.value.map((e: { id: string }) => e.id)).toEqual(["log-6", "log-5"]);
    const failures = await call(emu, `/v1.0/auditLogs/provisioning?$filter=servicePrincipal/id eq '${SP_ID}' and provisioningStatusInfo/status eq 'failure'`);
    expect(failures.body.value.map((e: { id: string }) => e.id)).toEqual(["log-4", "log-1"]);
    const none = await call(emu, "/v1.0/auditLogs/provisioning?$filter=provisioningStatusInfo/status eq 'FAILURE'");
    expect(none.body.value).toEqual([]);
    const window = await call(
      emu,
      "/beta/auditLogs/provisioning?$filter=activityDateTime ge 2025-03-02T00:00:00Z and activityDateTime lt 2025-03-04&$orderby=activityDateTime asc",
    );
    expect(window.body.value.map((e: { id: string }) => e.id)).toEqual(["log-1", "log-2"]);
    let url: string | undefined = "/v1.0/auditLogs/provisioning";
    let count = 0;
    while (url) {
      const r = await call(emu, url);
      const page: unknown[] = r.body.value;
      count += page.length;
      url = r.body["@odata.nextLink"];
    }
    expect(count).toBe(7);
  });
});

describe("users, phone methods, service principals and jobs", () => {
  let emu: Running;
  beforeAll(async () => (emu = await emulate()));
  afterAll(() => emu.stop());

  it("finds users by id or by percent-encoded UPN with #EXT# and an apostrophe", async () => {
    const byUpn = await call(emu, `/v1.0/users/${encodeURIComponent(OBRIEN_UPN)}?$select=id,userType`, { tenant: TARGET });
    expect(byUpn.status).toBe(200);
    expect(byUpn.body).toEqual({
      "@odata.context": `${emu.url}/v1.0/$metadata#users(id,userType)/$entity`,
      id: "9f1e2d3c-4b5a-4697-8a1b-2c3d4e5f6a7c",
      userType: "Member",
    });
    const byKey = await call(emu, `/v1.0/users('${encodeURIComponent(OBRIEN_UPN.replace("'", "''"))}')`, { tenant: TARGET });
    expect(byKey.body.id).toBe("9f1e2d3c-4b5a-4697-8a1b-2c3d4e5f6a7c");
    const missing = await call(emu, "/v1.0/users/nobody@contoso.com");
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe("Request_ResourceNotFound");
  });

  it("serves phone methods by user id or UPN, 404 for an unknown user", async () => {
    const r = await call(emu, "/v1.0/users/user0@contoso.com/authentication/phoneMethods");
    expect(r.body.value[0].smsSignInState).toBe("ready");
    expect((await call(emu, "/v1.0/users/user3@contoso.com/authentication/phoneMethods")).status).toBe(404);
  });

  it("finds CTS service principals by template filter and serves jobs (ids with dots), schema, secrets, assignments", async () => {
    const sps = await call(emu, "/v1.0/servicePrincipals?$filter=applicationTemplateId eq '518e5f48-1fc8-4c48-9387-9fdf28b0dfe7'&$select=id,displayName");
    expect(sps.body.value).toEqual([{ id: SP_ID, displayName: "Fabrikam" }]);
    const jobs = await call(emu, `/v1.0/servicePrincipals/${SP_ID}/synchronization/jobs`);
    expect(jobs.body.value[0].id).toBe(JOB_ID);
    const job = await call(emu, `/v1.0/servicePrincipals/${SP_ID}/synchronization/jobs/${JOB_ID}/`);
    expect(job.body).toMatchObject({ id: JOB_ID, templateId: "Azure2Azure" });
    expect(job.body["@odata.context"]).toBe(`${emu.url}/v1.0/$metadata#servicePrincipals('${SP_ID}')/synchronization/jobs/$entity`);
    expect((await call(emu, `/v1.0/servicePrincipals/${SP_ID}/synchronization/jobs/${JOB_ID}/schema`)).body.id).toBe(JOB_ID);
    expect((await call(emu, `/v1.0/servicePrincipals/${SP_ID}/synchronization/secrets`)).body.value[0]).toEqual({ key: "CompanyId", value: TARGET });
    expect((await call(emu, `/v1.0/servicePrincipals/${SP_ID}/appRoleAssignedTo`)).body.value[0].principalId).toBe(GROUP_ID);
    expect((await call(emu, `/v1.0/servicePrincipals/${SP_ID}/synchronization/jobs/Azure2Azure.nope`)).status).toBe(404);
    expect((await call(emu, "/v1.0/servicePrincipals/00000000-0000-4000-8000-000000000000/synchronization/jobs")).status).toBe(404);
  });

  it("answers NotInSnapshot (500, not 503) for data the other tenant's snapshot never holds", async () => {
    const r = await call(emu, `/v1.0/servicePrincipals/${SP_ID}/synchronization/jobs`, { tenant: TARGET });
    expect(r.status).toBe(500);
    expect(r.body.error.code).toBe("NotInSnapshot");
  });

  it("serves deleted users with deletedDateTime but not $select-only properties", async () => {
    const r = await call(emu, "/v1.0/directory/deletedItems/microsoft.graph.user", { tenant: TARGET });
    expect(r.body.value[0]).toMatchObject({ "@odata.type": "#microsoft.graph.user", deletedDateTime: "2025-03-01T09:12:44Z" });
    expect(r.body.value[0]).not.toHaveProperty("userType");
  });
});

describe("cross-tenant access policy", () => {
  let emu: Running;
  beforeAll(async () => (emu = await emulate()));
  afterAll(() => emu.stop());

  it("serves the partner record for the other tenant only", async () => {
    const r = await call(emu, `/v1.0/policies/crossTenantAccessPolicy/partners/${SOURCE}`, { tenant: TARGET });
    expect(r.status).toBe(200);
    expect(r.body["@odata.context"]).toBe(`${emu.url}/v1.0/$metadata#policies/crossTenantAccessPolicy/partners/$entity`);
    expect(r.body.automaticUserConsentSettings.inboundAllowed).toBe(true);
    expect((await call(emu, `/v1.0/policies/crossTenantAccessPolicy/partners/${TARGET}`, { tenant: TARGET })).status).toBe(404);
  });

  it("embeds identitySynchronization on $expand, without beta-only properties on v1.0", async () => {
    const v1 = await call(emu, "/v1.0/policies/crossTenantAccessPolicy/partners?$select=tenantId&$expand=identitySynchronization", { tenant: TARGET });
    expect(v1.body.value).toEqual([
      { tenantId: SOURCE, identitySynchronization: { tenantId: SOURCE, displayName: "Contoso", userSyncInbound: { isSyncAllowed: true } } },
    ]);
    const beta = await call(emu, "/beta/policies/crossTenantAccessPolicy/partners?$expand=identitySynchronization", { tenant: TARGET });
    expect(beta.body.value[0].identitySynchronization.groupSyncInbound).toEqual({ isSyncAllowed: false });
  });

  it("serves identitySynchronization with groupSyncInbound only on beta", async () => {
    const path = `/policies/crossTenantAccessPolicy/partners/${SOURCE}/identitySynchronization`;
    const v1 = await call(emu, `/v1.0${path}`, { tenant: TARGET });
    expect(v1.body).not.toHaveProperty("groupSyncInbound");
    expect(v1.body).not.toHaveProperty("externalCloudAuthorizedApplicationId");
    expect(v1.body).not.toHaveProperty("deletedDateTime");
    expect(v1.body.userSyncInbound).toEqual({ isSyncAllowed: true });
    const beta = await call(emu, `/beta${path}`, { tenant: TARGET });
    expect(beta.body).toMatchObject({ groupSyncInbound: { isSyncAllowed: false }, externalCloudAuthorizedApplicationId: null, deletedDateTime: null });
  });

  it("has authorizationPolicy as a v1.0 singleton and a beta entity set; externalIdentitiesPolicy on beta only", async () => {
    expect((await call(emu, "/v1.0/policies/authorizationPolicy", { tenant: TARGET })).body.allowInvitesFrom).toBe("none");
    expect((await call(emu, "/beta/policies/authorizationPolicy", { tenant: TARGET })).body.value[0].allowInvitesFrom).toBe("none");
    expect((await call(emu, "/beta/policies/authorizationPolicy/authorizationPolicy", { tenant: TARGET })).body.id).toBe("authorizationPolicy");
    expect((await call(emu, "/beta/policies/externalIdentitiesPolicy", { tenant: TARGET })).body.allowExternalIdentitiesToLeave).toBe(true);
    const v1 = await call(emu, "/v1.0/policies/externalIdentitiesPolicy", { tenant: TARGET });
    expect(v1.status).toBe(400);
    expect(v1.body.error).toMatchObject({ code: "BadRequest", message: "Resource not found for the segment 'externalIdentitiesPolicy'." });
  });
});

describe("facet statuses and missing records", () => {
  let emu: Running;
  beforeAll(
    async () =>
      (emu = await emulate({
        data: { "source.partner": null, "target.identitySynchronization": null },
        status: {
          "target.users": {
            status: "denied",
            error: { code: "Authorization_RequestDenied", message: "Insufficient privileges to complete the operation.", httpStatus: 403 },
          },
          "source.provisioningLogs": {
            status: "denied",
            error: { code: "Authentication_RequestFromNonPremiumTenantOrB2CTenant", message: "Neither tenant is B2C or tenant doesn't have premium license" },
          },
          "target.deletedUsers": { status: "failed", error: { code: "UnknownError", message: "boom", httpStatus: 502 } },
          "source.subscribedSkus": { status: "skipped" },
        },
      })),
  );
  afterAll(() => emu.stop());

  it("answers 404 for a partner record that is null and lists no partners", async () => {
    const r = await call(emu, `/v1.0/policies/crossTenantAccessPolicy/partners/${TARGET}`);
    expect(r.status).toBe(404);
    expect(r.body.error.code).toBe("Request_ResourceNotFound");
    expect((await call(emu, "/v1.0/policies/crossTenantAccessPolicy/partners")).body.value).toEqual([]);
    expect((await call(emu, `/beta/policies/crossTenantAccessPolicy/partners/${SOURCE}/identitySynchronization`, { tenant: TARGET })).status).toBe(404);
  });

  it("answers a denied facet with 403 and the recorded code", async () => {
    const r = await call(emu, "/v1.0/users", { tenant: TARGET });
    expect(r.status).toBe(403);
    expect(r.body.error).toMatchObject({ code: "Authorization_RequestDenied", message: "Insufficient privileges to complete the operation." });
    const logs = await call(emu, "/v1.0/auditLogs/provisioning");
    expect(logs.status).toBe(403);
    expect(logs.body.error.code).toBe("Authentication_RequestFromNonPremiumTenantOrB2CTenant");
    expect((await call(emu, "/v1.0/users")).status).toBe(200);
  });

  it("answers a failed facet with its recorded status and a skipped one with 500 NotInSnapshot", async () => {
    const failed = await call(emu, "/v1.0/directory/deletedItems/microsoft.graph.user", { tenant: TARGET });
    expect(failed.status).toBe(502);
    expect(failed.body.error.code).toBe("UnknownError");
    const skipped = await call(emu, "/v1.0/subscribedSkus");
    expect(skipped.status).toBe(500);
    expect(skipped.body.error.code).toBe("NotInSnapshot");
  });
});

describe("validateCredentials", () => {
  const url = `/v1.0/servicePrincipals/${SP_ID}/synchronization/jobs/validateCredentials`;
  const body = { useSavedCredentials: false, templateId: "Azure2Azure", credentials: [{ key: "CompanyId", value: TARGET }] };

  it("answers 204 when both tenants allow it, on both the collection and the job", async () => {
    const emu = await emulate();
    try {
      expect((await call(emu, url, { method: "POST", body })).status).toBe(204);
      expect(
        (await call(emu, `/v1.0/servicePrincipals/${SP_ID}/synchronization/jobs/${JOB_ID}/validateCredentials`, { method: "POST", body: {} })).status,
      ).toBe(204);
      expect(
        (await call(emu, `/v1.0/servicePrincipals/${SP_ID}/synchronization/jobs/Azure2Azure.x/validateCredentials`, { method: "POST", body: {} })).status,
      ).toBe(404);
      expect((await call(emu, url)).status).toBe(405);
    } finally {
      await emu.stop();
    }
  });

  it.for([
    ["source outbound off", { "source.partner": { tenantId: TARGET, automaticUserConsentSettings: { outboundAllowed: null } } }, SOURCE_POLICY_MESSAGE],
    ["no source partner", { "source.partner": null }, SOURCE_POLICY_MESSAGE],
    ["target inbound off", { "target.partner": { tenantId: SOURCE, automaticUserConsentSettings: { inboundAllowed: false } } }, TARGET_POLICY_MESSAGE],
    ["target sync off", { "target.identitySynchronization": { tenantId: SOURCE, userSyncInbound: { isSyncAllowed: false } } }, TARGET_POLICY_MESSAGE],
    ["no target sync policy", { "target.identitySynchronization": null }, TARGET_POLICY_MESSAGE],
  ] as const)("answers 400 when %s", async ([, data, message]) => {
    const emu = await emulate({ data });
    try {
      const r = await call(emu, url, { method: "POST", body });
      expect(r.status).toBe(400);
      expect(r.body.error).toMatchObject({ code: "AzureActiveDirectoryCrossTenantSyncPolicyCheckFailure", message });
    } finally {
      await emu.stop();
    }
  });

  it("reads the live state, so a later change to the policies changes the answer", async () => {
    const emu = await emulate({ data: { "source.partner": null } });
    try {
      expect((await call(emu, url, { method: "POST", body })).status).toBe(400);
      emu.state.data["source.partner"] = { tenantId: TARGET, automaticUserConsentSettings: { outboundAllowed: true } };
      expect((await call(emu, url, { method: "POST", body })).status).toBe(204);
    } finally {
      await emu.stop();
    }
  });

  it("replays the recorded connection test when a policy facet was not readable", async () => {
    const emu = await emulate({
      data: {
        "source.connectionTest": {
          ok: false,
          status: 400,
          testedAt: "2025-03-08T00:00:00Z",
          servicePrincipalId: SP_ID,
          error: { code: "ExternalTenantNotFound", message: "not found" },
        },
      },
      status: { "target.identitySynchronization": { status: "denied" } },
    });
    try {
      const r = await call(emu, url, { method: "POST", body });
      expect(r.status).toBe(400);
      expect(r.body.error.code).toBe("ExternalTenantNotFound");
    } finally {
      await emu.stop();
    }
  });
});
