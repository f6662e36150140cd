// Realistic limits in the emulator (reports 5/10 s, directory resource units, $batch items one by one) and client pacing.
import { afterEach, describe, expect, it } from "vitest";
import { directoryBudget, fakeToken, resourceUnits, startEmulator, type Emulator } from "../../../src/emulator/index.js";
import { parseRelative } from "../../../src/emulator/target.js";
import { StaticTokenCredential } from "../../../src/graph/auth.js";
import { GraphApi } from "../../../src/graph/client.js";
import { ConcurrencyLimiter, RatePacer, ResourcePacer, resourceUnitCost } from "../../../src/graph/limiter.js";
import { scenarioDir } from "../../helpers/pair.js";

const S = "1fd6544e-e994-4de2-9f1b-787b51c7d325";
const T = "4a12efe6-aa14-4d03-8dff-88fc89e2e2ad";
const USER = "0a9c2f6e-5d4b-4c3a-8b1e-2f7d6c5b4a39";

let emulator: Emulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

async function start(realisticLimits: Parameters<typeof startEmulator>[0]["realisticLimits"]): Promise<Emulator> {
  emulator = await startEmulator({ snapshotDir: scenarioDir("contoso-fabrikam"), realisticLimits });
  return emulator;
}

function get(em: Emulator, path: string, token = fakeToken(S)): Promise<Response> {
  return fetch(`${em.url}/v1.0${path}`, { headers: { Authorization: `Bearer ${token}` } });
}

describe("resource-unit costs", () => {
  const cost = (path: string) => resourceUnits("GET", parseRelative(path));
  // docs-contrib concepts/throttling-limits.md, "Identity and access service limits": the base-cost table, "any
  // identity path not listed in the table" 1, $select −1, $expand +1, $top < 20 −1, never below 1, me/… = users/{id}/….
  it("follow the published table and modifiers exactly, in the emulator and the client alike", () => {
    const cases: [string, number][] = [
      ["/users", 2],
      ["/users?$select=id", 1],
      ["/users?$select=id,mail&$top=999", 1],
      ["/users/abc", 1],
      ["/users/abc?$select=id", 1],
      ["/subscribedSkus", 3],
      ["/subscribedSkus?$select=skuId", 2],
      ["/servicePrincipals", 1],
      ["/servicePrincipals/x/appRoleAssignedTo", 1],
      ["/servicePrincipals/x/appRoleAssignedTo?$select=id&$top=999", 1],
      ["/servicePrincipals/x/appRoleAssignments", 2],
      ["/servicePrincipals/x/appRoleAssignments?$top=5", 1],
      ["/groups/g/members", 3],
      ["/groups/g/members?$select=id&$top=10", 1],
      ["/groups/g/members?$expand=manager", 4],
      ["/groups/g/transitiveMembers", 5],
      ["/groups/g/memberOf/microsoft.graph.group?$select=id", 1],
      ["/users/u/memberOf", 2],
      ["/users/u/memberOf/microsoft.graph.group?$select=id,displayName&$top=999", 1],
      ["/users/u/transitiveMemberOf", 2],
      ["/me/memberOf", 2],
      ["/me/memberOf?$select=id", 1],
      ["/me/licenseDetails", 2],
      ["/users/u/appRoleAssignments", 1],
      ["/applications", 2],
      ["/oauth2PermissionGrants/p", 2],
      ["/users/u/authentication/phoneMethods", 1],
      ["/policies/crossTenantAccessPolicy/default", 1],
      ["/directory/deletedItems/microsoft.graph.user?$select=id", 1],
    ];
    for (const [path, want] of cases) {
      expect(cost(path), path).toBe(want);
      expect(resourceUnitCost(path), path).toBe(want);
    }
    expect([directoryBudget(10), directoryBudget(50), directoryBudget(500), directoryBudget(501)]).toEqual([3_500, 5_000, 5_000, 8_000]);
  });
});

describe("realistic limits in the emulator", () => {
  it("allows 5 report requests per window per app and tenant, then answers 429 with Retry-After", async () => {
    const em = await start(true);
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await get(em, "/auditLogs/provisioning?$top=1")).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    const throttled = await get(em, "/auditLogs/provisioning?$top=1");
    expect(throttled.status).toBe(429);
    expect(Number(throttled.headers.get("Retry-After"))).toBeGreaterThanOrEqual(1);
    expect(((await throttled.json()) as { error: { code: string } }).error.code).toBe("TooManyRequests");
    // Another app in the same tenant has its own window; directory reads are a different class.
    expect((await get(em, "/auditLogs/provisioning?$top=1", fakeToken(S, { appid: "0f0f0f0f-0000-4000-8000-000000000001" }))).status).toBe(200);
    expect((await get(em, "/users?$top=1")).status).toBe(200);
  });

  it("spends a resource-unit budget on directory reads and says so in the documented headers", async () => {
    const em = await start({ directoryBudget: 10 });
    const ok: Response[] = [];
    for (let i = 0; i < 5; i++) ok.push(await get(em, "/users"));
    expect(ok.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    expect(ok[0]!.headers.get("x-ms-resource-unit")).toBe("2");
    expect(ok[4]!.headers.get("x-ms-throttle-limit-percentage")).not.toBeNull();
    const throttled = await get(em, "/users");
    expect(throttled.status).toBe(429);
    expect(Number(throttled.headers.get("Retry-After"))).toBeGreaterThanOrEqual(1);
    expect(throttled.headers.get("x-ms-throttle-information")).toBe("ResourceUnitLimitExceeded");
    expect(throttled.headers.get("x-ms-throttle-scope")).toBe(`Tenant_Application/ReadWrite/00000000-0000-0000-0000-000000000000/${S}`);
    // The budget is per tenant: the target tenant still has all of its own.
    expect((await get(em, "/users", fakeToken(T))).status).toBe(200);
    // Not an identity-service read: the synchronization API spends nothing.
    expect((await get(em, "/servicePrincipals/c8c95753-f628-48e1-9fab-76c2d4cf624c/synchronization/jobs")).status).toBe(200);
  });

  it("counts $batch items one by one: items beyond the budget get their own 429 with Retry-After", async () => {
    const em = await start({ directoryBudget: 10 });
    const requests = Array.from({ length: 20 }, (_, i) => ({ id: String(i), method: "GET", url: `/users/${USER}/authentication/phoneMethods` }));
    const res = await fetch(`${em.url}/v1.0/$batch`, {
      method: "POST",
      headers: { Authorization: `Bearer ${fakeToken(S)}`, "Content-Type": "application/json" },
      body: JSON.stringify({ requests }),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { responses: { id: string; status: number; headers?: Record<string, string> }[] };
    const byStatus = (s: number) => body.responses.filter((r) => r.status === s);
    expect(byStatus(429)).toHaveLength(10);
    expect(body.responses.filter((r) => r.status !== 429)).toHaveLength(10);
    expect(byStatus(429).every((r) => Number(r.headers?.["Retry-After"]) > 0)).toBe(true);
  });
});

describe("client pacing against the realistic emulator", () => {
  // Windows scaled to 200 ms so the test stays short; the client's are a little longer (it cannot see the server's clock).
  const scaled = { timeScale: 0.02, directoryBudget: 10 };
  const client = (em: Emulator, directory: ResourcePacer, concurrency = 4) =>
    new GraphApi({
      baseUrl: em.url,
      credential: new StaticTokenCredential(fakeToken(S)),
      scope: "https://graph.microsoft.com/.default",
      limits: { limiter: new ConcurrencyLimiter(concurrency), reports: new RatePacer(5, 260), directory },
      retry: { baseDelayMs: 5 },
    });

  it("stays inside the directory budget and the reports window without provoking a 429", async () => {
    const em = await start(scaled);
    const api = client(em, new ResourcePacer(8, 200));
    await Promise.all([
      ...Array.from({ length: 30 }, () => api.get("/users?$select=id&$top=999")),
      ...Array.from({ length: 12 }, () => api.get("/auditLogs/provisioning?$top=1")),
    ]);
    expect(em.journal.filter((j) => j.status === 429)).toEqual([]);
    expect(em.journal.filter((j) => j.status === 200)).toHaveLength(42);
  });

  it("without pacing it is throttled, honours every Retry-After and still gets every answer", async () => {
    const em = await start(scaled);
    // One at a time, so each throttled request needs exactly one wait of its Retry-After.
    const api = client(em, new ResourcePacer(1_000_000, 200), 1);
    const pages = await Promise.all(Array.from({ length: 30 }, () => api.get<{ value: unknown[] }>("/users?$select=id&$top=999")));
    expect(pages.every((p) => Array.isArray(p.value))).toBe(true);
    const throttled = em.journal.filter((j) => j.status === 429);
    expect(throttled.length).toBeGreaterThan(0);
    expect(em.journal.filter((j) => j.status === 200)).toHaveLength(30);
    expect(em.journal.filter((j) => j.retryAttempt !== undefined).length).toBeGreaterThanOrEqual(throttled.length);
  });
});
