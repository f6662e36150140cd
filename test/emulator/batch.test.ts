// $batch: envelope validation, per-item routing and headers, dependsOn → 424, per-item 429 faults with Retry-After.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { fakeToken, parseFault } from "../../src/emulator/index.js";
import { call, emulate, OBRIEN_UPN, SOURCE, TARGET, type GraphJson } from "./helpers.js";

type Running = Awaited<ReturnType<typeof emulate>>;
type Item = { id: string; method: string; url: string; dependsOn?: string[]; headers?: Record<string, string> };
type Res = { id: string; status: number; headers: Record<string, string>; body?: GraphJson };

describe("$batch", () => {
  let emu: Running;
  beforeAll(async () => (emu = await emulate()));
  afterAll(() => emu.stop());
  beforeEach(() => {
    emu.clearFaults();
  });

  const batch = (requests: unknown, version = "v1.0", tenant = SOURCE) => call(emu, `/${version}/$batch`, { method: "POST", body: { requests }, tenant });
  const byId = (responses: Res[]) => Object.fromEntries(responses.map((r) => [r.id, r]));

  it("runs each item through the router for the caller's tenant, with JSON items labelled exactly 'Content-Type'", async () => {
    const r = await batch(
      [
        { id: "1", method: "GET", url: "/organization" },
        { id: "2", method: "GET", url: `/users/${encodeURIComponent(OBRIEN_UPN)}?$select=id` },
        { id: "3", method: "GET", url: "users/nobody" },
      ] satisfies Item[],
      "v1.0",
      TARGET,
    );
    expect(r.status).toBe(200);
    const res = byId(r.body.responses);
    expect(res["1"]).toMatchObject({ status: 200, headers: { "Content-Type": "application/json" } });
    expect(res["1"]!.body.value[0].id).toBe(TARGET);
    expect(res["2"]!.body.id).toBe("9f1e2d3c-4b5a-4697-8a1b-2c3d4e5f6a7c");
    expect(res["3"]!.status).toBe(404);
    expect(res["3"]!.body.error.code).toBe("Request_ResourceNotFound");
    const items = emu.journal.filter((e) => e.inBatch);
    expect(items.map((e) => e.tenantId)).toEqual([TARGET, TARGET, TARGET]);
  });

  it("uses the batch's version for every item", async () => {
    const path = `/policies/crossTenantAccessPolicy/partners/${SOURCE}/identitySynchronization`;
    const v1 = await batch([{ id: "a", method: "GET", url: path }], "v1.0", TARGET);
    const beta = await batch([{ id: "a", method: "GET", url: path }], "beta", TARGET);
    expect(v1.body.responses[0].body).not.toHaveProperty("groupSyncInbound");
    expect(beta.body.responses[0].body.groupSyncInbound).toEqual({ isSyncAllowed: false });
  });

  it("accepts item urls that repeat the batch's version (as SDK 3.0.7 sends them) but not another version", async () => {
    const r = await batch([
      { id: "same", method: "GET", url: "/v1.0/organization" },
      { id: "other", method: "GET", url: "/beta/organization" },
    ]);
    const res = byId(r.body.responses);
    expect(res["same"]!.status).toBe(200);
    expect(res["other"]!.status).toBe(400);
    expect(
      emu.journal
        .filter((e) => e.inBatch)
        .slice(-2)
        .map((e) => e.path)
        .sort(),
    ).toEqual(["/v1.0/beta/organization", "/v1.0/organization"]);
  });

  it("pages inside a batch with an absolute nextLink", async () => {
    const r = await batch([{ id: "p", method: "GET", url: "/users?$top=2" }]);
    expect(r.body.responses[0].body["@odata.nextLink"].startsWith(`${emu.url}/v1.0/users?$top=2&$skiptoken=`)).toBe(true);
  });

  it("rejects more than 20 requests, duplicate ids (any case), bad dependsOn and bad JSON as a whole", async () => {
    const many = Array.from({ length: 21 }, (_, i) => ({ id: String(i), method: "GET", url: "/organization" }));
    for (const requests of [
      many,
      [
        { id: "a", method: "GET", url: "/organization" },
        { id: "A", method: "GET", url: "/organization" },
      ],
      [
        { id: "a", method: "GET", url: "/organization", dependsOn: ["b"] },
        { id: "b", method: "GET", url: "/organization" },
      ],
      [{ id: "a", method: "GET" }],
      [],
      "nope",
    ]) {
      const before = emu.journal.filter((e) => e.inBatch).length;
      const r = await batch(requests);
      expect(r.status).toBe(400);
      expect(r.body.error.code).toBe("BadRequest");
      expect(emu.journal.filter((e) => e.inBatch).length).toBe(before);
    }
    expect((await batch(many.slice(0, 20))).status).toBe(200);
    const raw = await fetch(`${emu.url}/v1.0/$batch`, {
      method: "POST",
      headers: { Authorization: `Bearer ${fakeToken(SOURCE)}`, "Content-Type": "application/json" },
      body: "{",
    });
    expect(raw.status).toBe(400);
  });

  it("answers 424 for items that depend on a failed item, and runs those that depend on a success", async () => {
    const r = await batch([
      { id: "1", method: "GET", url: "/users/nobody" },
      { id: "2", method: "GET", url: "/organization", dependsOn: ["1"] },
      { id: "3", method: "GET", url: "/organization", dependsOn: ["2"] },
      { id: "4", method: "GET", url: "/organization" },
      { id: "5", method: "GET", url: "/subscribedSkus", dependsOn: ["4"] },
    ] satisfies Item[]);
    const res = byId(r.body.responses);
    expect(r.body.responses.map((x: Res) => x.id)).toEqual(["1", "2", "3", "4", "5"]);
    expect([res["1"]!.status, res["2"]!.status, res["3"]!.status, res["4"]!.status, res["5"]!.status]).toEqual([404, 424, 424, 200, 200]);
    expect(res["2"]!.body.error.innerError["request-id"]).toBeDefined();
  });

  it("applies inBatch faults per item: 429 with a Retry-After header in that item only", async () => {
    emu.addFaults([parseFault("GET /users/ 429 batch times=1 retry-after=2")]);
    const r = await batch([
      { id: "1", method: "GET", url: "/users/user0@contoso.com" },
      { id: "2", method: "GET", url: "/users/user1@contoso.com" },
      { id: "3", method: "GET", url: "/organization" },
    ] satisfies Item[]);
    expect(r.status).toBe(200);
    const statuses = r.body.responses.map((x: Res) => x.status);
    expect(statuses.filter((s: number) => s === 429)).toHaveLength(1);
    const throttled = r.body.responses.find((x: Res) => x.status === 429) as Res;
    expect(throttled.headers).toEqual({ "Retry-After": "2", "Content-Type": "application/json" });
    expect(throttled.body.error.code).toBe("TooManyRequests");
    expect(byId(r.body.responses)["3"]!.status).toBe(200);
  });

  it("does not apply top-level faults to items, nor batch faults to top-level requests", async () => {
    emu.addFaults([parseFault("GET /organization 503 sticky"), parseFault("GET /subscribedSkus 429 batch sticky")]);
    const r = await batch([{ id: "1", method: "GET", url: "/organization" }]);
    expect(r.body.responses[0].status).toBe(200);
    expect((await call(emu, "/v1.0/subscribedSkus")).status).toBe(200);
  });

  it("records items in the journal with inBatch and the outer request's bearer", async () => {
    const start = emu.journal.length;
    await batch([{ id: "1", method: "GET", url: "/organization?$select=id", headers: { "client-request-id": "item-1" } }]);
    const entries = emu.journal.slice(start);
    expect(entries).toContainEqual(
      expect.objectContaining({ inBatch: true, method: "GET", path: "/v1.0/organization?$select=id", status: 200, clientRequestId: "item-1", hasBearer: true }),
    );
    expect(entries).toContainEqual(expect.objectContaining({ inBatch: false, method: "POST", path: "/v1.0/$batch", status: 200 }));
  });
});
