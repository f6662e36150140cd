// Fault rules: the CLI syntax, and their effect over HTTP (429 + Retry-After, times, sticky, delay, reset, truncate).
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { fakeToken, parseFault, type FaultRule } from "../../src/emulator/index.js";
import { call, emulate, SOURCE } from "./helpers.js";

type Running = Awaited<ReturnType<typeof emulate>>;

describe("parseFault", () => {
  it.for<[string, FaultRule]>([
    ["GET /auditLogs/provisioning 429 times=2 retry-after=1", { method: "GET", path: "/auditLogs/provisioning", status: 429, times: 2, retryAfter: "1" }],
    ["/users 503 sticky", { path: "/users", status: 503, times: Infinity }],
    ["* /users 504 times=inf", { path: "/users", status: 504, times: Infinity }],
    [
      'get /organization 429 retry-after="Wed, 21 Oct 2015 07:28:00 GMT"',
      { method: "GET", path: "/organization", status: 429, retryAfter: "Wed, 21 Oct 2015 07:28:00 GMT" },
    ],
    ["GET /users 429 retry-after=date+2", { method: "GET", path: "/users", status: 429, retryAfter: "date+2" }],
    ["POST /$batch reset", { method: "POST", path: "/$batch", reset: true }],
    ["/subscribedSkus truncate delay=250", { path: "/subscribedSkus", truncate: true, delayMs: 250 }],
    ["GET /users/ 429 batch retry-after=0", { method: "GET", path: "/users/", status: 429, inBatch: true, retryAfter: "0" }],
    ["/^\\/partners\\/[0-9a-f-]+$/i 500", { path: "/^\\/partners\\/[0-9a-f-]+$/i", status: 500 }],
    [
      'POST /validateCredentials 400 code=BadRequest message="Error code: X Details: y"',
      { method: "POST", path: "/validateCredentials", status: 400, code: "BadRequest", message: "Error code: X Details: y" },
    ],
    [
      "GET /^\\/policies\\/crossTenantAccessPolicy$/ wrap sticky",
      { method: "GET", path: "/^\\/policies\\/crossTenantAccessPolicy$/", wrap: true, times: Infinity },
    ],
    ["GET /organization 500 sticky echo-token", { method: "GET", path: "/organization", status: 500, times: Infinity, echoToken: true }],
  ])("%s", ([spec, rule]) => {
    expect(parseFault(spec)).toEqual(rule);
  });

  it.for(["", "GET", "/users times=0", "/users times=x", "/users frobnicate", "/users delay=-1", "/(unclosed[/ 500"])("rejects %j", (spec) => {
    expect(() => parseFault(spec)).toThrow();
  });
});

describe("faults over HTTP", () => {
  let emu: Running;
  beforeEach(async () => (emu = await emulate()));
  afterEach(() => emu.stop());

  it("answers 429 with Retry-After seconds for `times` requests, then normally", async () => {
    emu.addFaults([parseFault("GET /organization 429 times=2 retry-after=1")]);
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await call(emu, "/v1.0/organization", { headers: { "Retry-Attempt": String(i) } });
      statuses.push(r.status);
      if (r.status === 429) {
        expect(r.headers.get("retry-after")).toBe("1");
        expect(r.body.error).toMatchObject({ code: "TooManyRequests", innerError: { code: "429", status: "429" } });
      }
    }
    expect(statuses).toEqual([429, 429, 200]);
    expect(emu.journal.map((e) => [e.status, e.retryAttempt])).toEqual([
      [429, "0"],
      [429, "1"],
      [200, "2"],
    ]);
  });

  it("sends an HTTP-date Retry-After, fixed or relative to the moment it fires", async () => {
    emu.addFaults([parseFault('GET /organization 429 retry-after="Wed, 21 Oct 2015 07:28:00 GMT"'), parseFault("GET /subscribedSkus 429 retry-after=date+30")]);
    expect((await call(emu, "/v1.0/organization")).headers.get("retry-after")).toBe("Wed, 21 Oct 2015 07:28:00 GMT");
    const rel = (await call(emu, "/v1.0/subscribedSkus")).headers.get("retry-after") as string;
    const wait = Date.parse(rel) - Date.now();
    expect(wait).toBeGreaterThan(25_000);
    expect(wait).toBeLessThanOrEqual(30_000);
  });

  it("matches on method, path after the version and tenant prefix, and regexes", async () => {
    emu.addFaults([parseFault("POST /organization 500"), parseFault("/^\\/users$/ 503 sticky")]);
    expect((await call(emu, "/v1.0/organization")).status).toBe(200);
    expect((await call(emu, "/v1.0/users/user0@contoso.com")).status).toBe(200);
    for (const url of ["/v1.0/users", "/beta/users?$top=1", `/${SOURCE}/v1.0/users`]) {
      const r = await call(emu, url);
      expect(r.status, url).toBe(503);
      expect(r.body.error.code).toBe("serviceNotAvailable");
    }
    emu.clearFaults();
    expect((await call(emu, "/v1.0/users")).status).toBe(200);
  });

  it("delays the answer", async () => {
    emu.addFaults([{ path: "/organization", delayMs: 200 }]);
    const start = Date.now();
    expect((await call(emu, "/v1.0/organization")).status).toBe(200);
    expect(Date.now() - start).toBeGreaterThanOrEqual(190);
  });

  it("drops the connection on reset, once", async () => {
    emu.addFaults([parseFault("GET /organization reset")]);
    await expect(call(emu, "/v1.0/organization")).rejects.toThrow();
    expect((await call(emu, "/v1.0/organization")).status).toBe(200);
    expect(emu.journal[0]).toMatchObject({ status: 0, path: "/v1.0/organization" });
  });

  it("sets the error body's code and message", async () => {
    emu.addFaults([parseFault('GET /organization 400 code=BadRequest message="Error code: AzureActiveDirectoryTokenExpired"')]);
    const r = await call(emu, "/v1.0/organization");
    expect(r.status).toBe(400);
    expect(r.body.error).toMatchObject({ code: "BadRequest", message: "Error code: AzureActiveDirectoryTokenExpired" });
  });

  it("wraps an entity answer in {value: …} (Microsoft's crossTenantAccessPolicy examples), keeping @odata.context outside", async () => {
    const plain = await call(emu, "/v1.0/policies/crossTenantAccessPolicy");
    emu.addFaults([parseFault("GET /^\\/policies\\/crossTenantAccessPolicy$/ wrap")]);
    const wrapped = await call(emu, "/v1.0/policies/crossTenantAccessPolicy");
    const { ["@odata.context"]: context, ...entity } = plain.body;
    expect(wrapped.body).toEqual({ "@odata.context": context, value: entity });
    expect((await call(emu, "/v1.0/policies/crossTenantAccessPolicy")).body).toEqual(plain.body);
  });

  it("truncates the JSON body", async () => {
    emu.addFaults([parseFault("GET /organization truncate")]);
    const res = await fetch(`${emu.url}/v1.0/organization`, { headers: { Authorization: `Bearer ${fakeToken(SOURCE)}` } });
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text.length).toBeGreaterThan(0);
    expect(() => JSON.parse(text)).toThrow();
  });

  it("does not fire before authentication succeeds", async () => {
    emu.addFaults([parseFault("GET /organization 429")]);
    expect((await call(emu, "/v1.0/organization", { token: null })).status).toBe(401);
    expect((await call(emu, "/v1.0/organization")).status).toBe(429);
  });
});
