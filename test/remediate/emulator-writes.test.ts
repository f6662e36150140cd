// The emulator's write routes behave like the service: later reads and validateCredentials see each change.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { setOnDemandLimit } from "../../src/emulator/write-routes.js";
import { fakeToken, SOURCE_POLICY_MESSAGE, TARGET_POLICY_MESSAGE } from "../../src/emulator/index.js";
import { StaticTokenCredential } from "../../src/graph/auth.js";
import { GraphApi } from "../../src/graph/client.js";
import { call, emulate, JOB_ID, SOURCE, SP_ID, TARGET } from "../emulator/helpers.js";

const XTAP = "/v1.0/policies/crossTenantAccessPolicy/partners";
const TEST = `/v1.0/servicePrincipals/${SP_ID}/synchronization/jobs/${JOB_ID}/validateCredentials`;
const JOB = `/v1.0/servicePrincipals/${SP_ID}/synchronization/jobs/${JOB_ID}`;
const RULE_ID = "df8df8d1-9e6e-40d3-b8df-09bbb402db7e";
const USER_0 = "0a9c2f6e-5d4b-4c3a-8b1e-2f7d6c5b4a30";
const onTarget = { tenant: TARGET };

let emu: Awaited<ReturnType<typeof emulate>>;
beforeEach(async () => {
  emu = await emulate({
    data: {
      "source.syncSchemas": {
        [SP_ID]: {
          [JOB_ID]: { id: JOB_ID, synchronizationRules: [{ id: RULE_ID, objectMappings: [{ sourceObjectName: "User", targetObjectName: "User" }] }] },
        },
      },
    },
  });
});
afterEach(() => emu.stop());

const test = async () => {
  const r = await call(emu, TEST, { method: "POST", body: {} });
  return r.status === 204 ? "ok" : r.body.error.message;
};

describe("emulator writes", () => {
  it("validateCredentials fails with the documented messages until both sides are fixed", async () => {
    expect(await test()).toBe("ok");
    expect((await call(emu, `${XTAP}/${TARGET}`, { method: "PATCH", body: { automaticUserConsentSettings: { outboundAllowed: false } } })).status).toBe(204);
    // The complex property is replaced as a whole, like Graph's PATCH.
    expect((await call(emu, `${XTAP}/${TARGET}`)).body.automaticUserConsentSettings).toEqual({ inboundAllowed: null, outboundAllowed: false });
    expect(await test()).toBe(SOURCE_POLICY_MESSAGE);
    expect(
      (await call(emu, `${XTAP}/${SOURCE}/identitySynchronization`, { ...onTarget, method: "PATCH", body: { userSyncInbound: { isSyncAllowed: false } } }))
        .status,
    ).toBe(204);
    expect(await test()).toBe(SOURCE_POLICY_MESSAGE);
    await call(emu, `${XTAP}/${TARGET}`, { method: "PATCH", body: { automaticUserConsentSettings: { inboundAllowed: null, outboundAllowed: true } } });
    expect(await test()).toBe(TARGET_POLICY_MESSAGE);
    await call(emu, `${XTAP}/${SOURCE}/identitySynchronization`, { ...onTarget, method: "PATCH", body: { userSyncInbound: { isSyncAllowed: true } } });
    expect(await test()).toBe("ok");
  });

  it("identitySynchronization: PUT over an existing policy is 409, PATCH merges and never drops beta-only properties", async () => {
    const url = `${XTAP}/${SOURCE}/identitySynchronization`;
    const beta = url.replace("/v1.0/", "/beta/");
    const conflict = await call(emu, url, { ...onTarget, method: "PUT", body: { userSyncInbound: { isSyncAllowed: true } } });
    expect(conflict.status).toBe(409);
    expect(conflict.body.error).toMatchObject({ code: "Request_MultipleObjectsWithSameKeyValue", message: expect.stringContaining("conflicting object") });
    expect((await call(emu, beta, { ...onTarget, method: "PATCH", body: { groupSyncInbound: { isSyncAllowed: true } } })).status).toBe(204);
    expect((await call(emu, url, { ...onTarget, method: "PATCH", body: { userSyncInbound: { isSyncAllowed: false } } })).status).toBe(204);
    expect((await call(emu, beta, onTarget)).body).toMatchObject({
      displayName: "Contoso",
      userSyncInbound: { isSyncAllowed: false },
      groupSyncInbound: { isSyncAllowed: true },
    });
    // v1.0 has no groupSyncInbound: naming it is a 400, and a v1.0 read never shows it.
    expect((await call(emu, url, { ...onTarget, method: "PATCH", body: { groupSyncInbound: { isSyncAllowed: false } } })).status).toBe(400);
    expect((await call(emu, url, onTarget)).body).not.toHaveProperty("groupSyncInbound");
    expect((await call(emu, url, { ...onTarget, method: "PATCH", body: { userSyncInbound: { isSyncAllowed: "yes" } } })).status).toBe(400);
  });

  it("identitySynchronization: PATCH on a missing policy is 404, PUT then creates it", async () => {
    const url = `${XTAP}/${SOURCE}/identitySynchronization`;
    expect((await call(emu, url, { ...onTarget, method: "DELETE" })).status).toBe(204);
    expect((await call(emu, url, onTarget)).status).toBe(404);
    const missing = await call(emu, url, { ...onTarget, method: "PATCH", body: { userSyncInbound: { isSyncAllowed: true } } });
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe("Directory_ObjectNotFound");
    expect((await call(emu, url, { ...onTarget, method: "PUT", body: { groupSyncInbound: { isSyncAllowed: true } } })).status).toBe(400);
    expect((await call(emu, url, { ...onTarget, method: "PUT", body: { displayName: "Contoso", userSyncInbound: { isSyncAllowed: true } } })).status).toBe(204);
    expect((await call(emu, url.replace("/v1.0/", "/beta/"), onTarget)).body).toMatchObject({
      displayName: "Contoso",
      userSyncInbound: { isSyncAllowed: true },
      groupSyncInbound: { isSyncAllowed: false },
    });
    expect(await test()).toBe("ok");
  });

  it("creates, conflicts on and deletes partner records", async () => {
    expect((await call(emu, XTAP, { ...onTarget, method: "POST", body: { tenantId: SOURCE } })).status).toBe(409);
    expect((await call(emu, `${XTAP}/${SOURCE}`, { ...onTarget, method: "DELETE" })).status).toBe(204);
    expect((await call(emu, `${XTAP}/${SOURCE}`, onTarget)).status).toBe(404);
    expect((await call(emu, `${XTAP}/${SOURCE}/identitySynchronization`, onTarget)).status).toBe(404);
    expect(await test()).toBe(TARGET_POLICY_MESSAGE);
    const created = await call(emu, XTAP, { ...onTarget, method: "POST", body: { tenantId: SOURCE, automaticUserConsentSettings: { inboundAllowed: true } } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ tenantId: SOURCE, automaticUserConsentSettings: { inboundAllowed: true } });
    expect(
      (await call(emu, `${XTAP}/${SOURCE}/identitySynchronization`, { ...onTarget, method: "PUT", body: { userSyncInbound: { isSyncAllowed: true } } })).status,
    ).toBe(204);
    expect(await test()).toBe("ok");
  });

  it("changes guest settings, SMS sign-in, secrets and the job", async () => {
    expect((await call(emu, "/v1.0/policies/authorizationPolicy", { ...onTarget, method: "PATCH", body: { allowInvitesFrom: "nobody" } })).status).toBe(400);
    await call(emu, "/v1.0/policies/authorizationPolicy", { ...onTarget, method: "PATCH", body: { allowInvitesFrom: "adminsAndGuestInviters" } });
    expect((await call(emu, "/v1.0/policies/authorizationPolicy", onTarget)).body.allowInvitesFrom).toBe("adminsAndGuestInviters");

    const methods = `/v1.0/users/${USER_0}/authentication/phoneMethods`;
    expect((await call(emu, `${methods}/3179e48a-750b-4051-897c-87b9720928f7/disableSmsSignIn`, { method: "POST" })).status).toBe(204);
    expect((await call(emu, methods)).body.value[0].smsSignInState).toBe("notEnabled");

    const secrets = `/v1.0/servicePrincipals/${SP_ID}/synchronization/secrets`;
    await call(emu, secrets, {
      method: "PUT",
      body: {
        value: [
          { key: "CompanyId", value: TARGET },
          { key: "SyncNotificationSettings", value: '{"Enabled":true}' },
        ],
      },
    });
    expect((await call(emu, secrets)).body.value).toEqual([
      { key: "CompanyId", value: TARGET },
      { key: "SyncNotificationSettings", value: '{"Enabled":true}' },
    ]);

    await call(emu, `${JOB}/pause`, { method: "POST" });
    expect((await call(emu, JOB)).body).toMatchObject({ status: { code: "Paused" }, schedule: { state: "Disabled" } });
    await call(emu, `${JOB}/start`, { method: "POST" });
    expect((await call(emu, JOB)).body).toMatchObject({ status: { code: "Active", lastExecution: { state: "Succeeded" } }, schedule: { state: "Active" } });
    // A restart runs a cycle: with the source's outbound consent off it ends in quarantine again.
    await call(emu, `${XTAP}/${TARGET}`, { method: "PATCH", body: { automaticUserConsentSettings: { outboundAllowed: false } } });
    await call(emu, `${JOB}/restart`, { method: "POST", body: { criteria: { resetScope: "QuarantineState" } } });
    expect((await call(emu, JOB)).body.status).toMatchObject({ code: "Quarantine", quarantine: { error: { message: SOURCE_POLICY_MESSAGE } } });
  });

  it("rate-limits provisionOnDemand with 429 and Retry-After", async () => {
    setOnDemandLimit(emu.state, 2, 60_000);
    const body = { parameters: [{ ruleId: RULE_ID, subjects: [{ objectId: USER_0, objectTypeName: "User" }] }] };
    const answers = [];
    for (let i = 0; i < 3; i++) answers.push(await call(emu, `${JOB}/provisionOnDemand`, { method: "POST", body }));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 429]);
    expect(Number(answers[2]!.headers.get("Retry-After"))).toBeGreaterThanOrEqual(1);
    expect(
      (await call(emu, `${JOB}/provisionOnDemand`, { method: "POST", body: { parameters: [{ ruleId: "nope", subjects: body.parameters[0]!.subjects }] } }))
        .status,
    ).toBe(429);
  });

  it("the Graph client waits out provisionOnDemand's Retry-After and retries the POST", async () => {
    setOnDemandLimit(emu.state, 1, 1000);
    const api = new GraphApi({ baseUrl: emu.url, credential: new StaticTokenCredential(fakeToken(SOURCE)), scope: "https://graph.microsoft.com/.default" });
    const body = { parameters: [{ ruleId: RULE_ID, subjects: [{ objectId: USER_0, objectTypeName: "User" }] }] };
    const path = `/servicePrincipals/${SP_ID}/synchronization/jobs/${JOB_ID}/provisionOnDemand`;
    expect((await api.call("POST", path, { body })).status).toBe(200);
    const second = await api.call("POST", path, { body });
    expect(second.status).toBe(200);
    expect(second.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(emu.journal.filter((e) => e.path.endsWith("/provisionOnDemand")).map((e) => e.status)).toEqual([200, 429, 200]);
  });
});
