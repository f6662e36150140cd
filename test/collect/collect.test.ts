// Collectors through the emulator over real HTTP with the real Graph client: round trip, paging, faults, no writes.
import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { analyzeSnapshot } from "../../src/app/analyze.js";
import { trimOutcome } from "../../src/collect/log-outcomes.js";
import { collect, type CollectOptions } from "../../src/collect/run.js";
import type { Config } from "../../src/config/schema.js";
import { describeMissing } from "../../src/engine/missing.js";
import { fakeToken, parseFault, startEmulator, TARGET_POLICY_MESSAGE, type Emulator } from "../../src/emulator/index.js";
import { StaticTokenCredential } from "../../src/graph/auth.js";
import { FACETS } from "../../src/snapshot/facets.js";
import type { ProvisioningLogEntry } from "../../src/snapshot/graph-types.js";
import { readFacet, readManifest } from "../../src/snapshot/store.js";
import { scenarioDir } from "../helpers/pair.js";

const S = "1fd6544e-e994-4de2-9f1b-787b51c7d325";
const T = "4a12efe6-aa14-4d03-8dff-88fc89e2e2ad";

let emulator: Emulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

async function start(scenario: string, extra: Parameters<typeof startEmulator>[0] = {}): Promise<Emulator> {
  emulator = await startEmulator({ snapshotDir: scenarioDir(scenario), ...extra });
  return emulator;
}

function pairConfig(sourceEndpoint: string, targetEndpoint = sourceEndpoint): Config {
  const tenant = (tenantId: string, graphEndpoint: string) => ({
    tenantId,
    cloud: "global" as const,
    graphEndpoint,
    auth: { method: "access-token" as const, tokenEnv: "UNUSED" },
  });
  // Round trips compare with the fixture's every phone-method record, so every user's are read.
  return { source: tenant(S, sourceEndpoint), target: tenant(T, targetEndpoint), collection: { allPhoneMethods: true } };
}

async function run(scenario: string, endpoint: string, options: Partial<CollectOptions> = {}) {
  const manifest = await readManifest(scenarioDir(scenario));
  const dir = await mkdtemp(path.join(tmpdir(), "collect-"));
  const result = await collect(pairConfig(endpoint), dir, {
    since: new Date(manifest.window.since),
    // The scenario's own window end: the snapshot is judged as of its date (job-not-synced-recently), as `demo` does.
    until: new Date(manifest.window.until),
    connectionTest: true,
    credentials: { source: new StaticTokenCredential(fakeToken(S)), target: new StaticTokenCredential(fakeToken(T)) },
    retry: { baseDelayMs: 5, maxDelayMs: 2000 },
    ...options,
  });
  return { dir, result };
}

/** Per problem object (failure, skipped, warning): its latest success after its first problem, as the collector trims it. */
function expectedOutcomes(logs: ProvisioningLogEntry[]): ProvisioningLogEntry[] {
  const key = (e: ProvisioningLogEntry) => `${e.servicePrincipal?.id ?? ""}|${e.sourceIdentity?.id ?? ""}`;
  const time = (e: ProvisioningLogEntry) => Date.parse(e.activityDateTime);
  const success = (e: ProvisioningLogEntry) => e.provisioningStatusInfo?.status === "success";
  const firstProblem = new Map<string, number>();
  for (const e of logs.filter((x) => !success(x) && x.sourceIdentity?.id)) firstProblem.set(key(e), Math.min(time(e), firstProblem.get(key(e)) ?? Infinity));
  const latest = new Map<string, ProvisioningLogEntry>();
  for (const e of logs.filter(success)) {
    const since = firstProblem.get(key(e));
    const known = latest.get(key(e));
    if (since !== undefined && time(e) > since && (!known || time(e) > time(known))) latest.set(key(e), e);
  }
  return [...latest.values()].map(trimOutcome);
}

/** Provisioning-log requests for the logs themselves, not the outcomes of their objects (log-outcomes.ts). */
const logReads = (em: Emulator) =>
  em.journal.filter((j) => j.path.startsWith("/v1.0/auditLogs/provisioning") && !decodeURIComponent(j.path).includes("sourceIdentity/id"));

/** Every facet of `dir` equals the scenario's (the connection test's timestamp aside). */
async function expectSameSnapshot(scenario: string, dir: string) {
  const original = await readManifest(scenarioDir(scenario));
  const copy = await readManifest(dir);
  for (const spec of FACETS) {
    expect(copy.facets[spec.id]?.status, spec.id).toBe("ok");
    if (spec.id === "source.provisioningOutcomes") {
      // Not in the bundled scenarios (their logs hold every outcome): worked out from the scenario's whole log.
      const logs = await readFacet(scenarioDir(scenario), "source.provisioningLogs");
      const byId = (list: ProvisioningLogEntry[]) => [...list].sort((x, y) => x.id.localeCompare(y.id));
      expect(byId(await readFacet(dir, spec.id)), spec.id).toEqual(byId(expectedOutcomes(logs)));
      expect(copy.facets[spec.id]?.requests, spec.id).toBeGreaterThanOrEqual(0);
      continue;
    }
    const a = await readFacet(scenarioDir(scenario), spec.id);
    const b = await readFacet(dir, spec.id);
    if (spec.id === "source.provisioningLogs") {
      // Collection asks only for non-success entries (server-side filter); the fixture's others must come back unchanged.
      const nonSuccess = (a as ProvisioningLogEntry[]).filter((e) => e.provisioningStatusInfo?.status !== "success");
      expect(copy.facets[spec.id]?.filter, spec.id).toBe("non-success");
      expect(copy.facets[spec.id]?.count, spec.id).toBe(nonSuccess.length);
      expect(b, spec.id).toEqual(nonSuccess);
      continue;
    }
    expect(copy.facets[spec.id]?.count, spec.id).toBe(original.facets[spec.id]?.count);
    if (spec.id === "source.connectionTest") {
      // A new test has a new time and request-id; the outcome must be the same.
      const outcome = (t: unknown) => JSON.parse(JSON.stringify(t, (k, v) => (k === "testedAt" || k === "requestId" ? undefined : v)));
      expect(outcome(b), spec.id).toEqual(outcome(a));
    } else {
      expect(b, spec.id).toEqual(a);
    }
  }
}

describe("collect through the emulator", () => {
  it.each(["contoso-fabrikam", "healthy"])("round trip: collecting %s from the emulator reproduces the snapshot", async (scenario) => {
    const em = await start(scenario);
    const { dir, result } = await run(scenario, em.url);
    expect(result.unreachable).toEqual([]);
    await expectSameSnapshot(scenario, dir);
  });

  it("follows @odata.nextLink across several pages (directory and provisioning logs) and gets the same data", async () => {
    const em = await start("contoso-fabrikam", { pageSize: { directory: 2, provisioning: 2 } });
    const { dir } = await run("contoso-fabrikam", em.url);
    await expectSameSnapshot("contoso-fabrikam", dir);
    const paged = (p: string) => em.journal.filter((j) => j.path.includes(p) && j.path.includes("skiptoken")).length;
    expect(paged("/users")).toBeGreaterThanOrEqual(4);
    expect(paged("/auditLogs/provisioning")).toBeGreaterThanOrEqual(3);
    expect(paged("/members")).toBeGreaterThanOrEqual(5);
  });

  it("sends the bearer token on every request and writes nothing but the connection test", async () => {
    const em = await start("contoso-fabrikam");
    await run("contoso-fabrikam", em.url);
    expect(em.journal.length).toBeGreaterThan(20);
    expect(em.journal.every((j) => j.hasBearer)).toBe(true);
    const writes = em.journal.filter((j) => j.method !== "GET" && !j.inBatch);
    expect(writes.every((j) => j.method === "POST" && (/\/validateCredentials$/.test(j.path.split("?")[0]!) || j.path.endsWith("/$batch")))).toBe(true);
    expect(writes.filter((j) => j.path.includes("validateCredentials"))).toHaveLength(1);
    expect(em.journal.filter((j) => j.inBatch).every((j) => j.method === "GET")).toBe(true);
  });

  it("routes by a per-tenant path prefix in graphEndpoint too", async () => {
    const em = await start("healthy");
    const manifest = await readManifest(scenarioDir("healthy"));
    const dir = await mkdtemp(path.join(tmpdir(), "collect-"));
    const config = pairConfig(`${em.url}/${S}`, `${em.url}/${T}`);
    await collect(config, dir, {
      since: new Date(manifest.window.since),
      connectionTest: true,
      credentials: { source: new StaticTokenCredential("opaque-token-a"), target: new StaticTokenCredential("opaque-token-b") },
    });
    await expectSameSnapshot("healthy", dir);
  });

  it("records a 403 facet as denied with the Graph code and keeps collecting the rest", async () => {
    const em = await start("contoso-fabrikam", { faults: [parseFault("GET /auditLogs/provisioning 403 times=inf")] });
    const { dir } = await run("contoso-fabrikam", em.url);
    const manifest = await readManifest(dir);
    expect(manifest.facets["source.provisioningLogs"]).toMatchObject({ status: "denied", error: { httpStatus: 403 }, permission: "AuditLog.Read.All" });
    // The outcomes of the logged objects need the logs: skipped, and said why.
    expect(manifest.facets["source.provisioningOutcomes"]).toMatchObject({ status: "skipped", error: { code: "DependencyFailed" } });
    const others = FACETS.filter((f) => f.id !== "source.provisioningLogs" && f.id !== "source.provisioningOutcomes").map((f) => manifest.facets[f.id]?.status);
    expect(others.every((s) => s === "ok")).toBe(true);
  });

  it("records a 403 for a missing P1/P2 licence as failed, not denied: no permission grant fixes it", async () => {
    const fault =
      'GET /auditLogs/provisioning 403 times=inf code=Authentication_RequestFromNonPremiumTenantOrB2CTenant message="Neither tenant is B2C or tenant doesn\'t have premium license"';
    const em = await start("healthy", { faults: [parseFault(fault)] });
    const { dir } = await run("healthy", em.url);
    const entry = (await readManifest(dir)).facets["source.provisioningLogs"]!;
    expect(entry).toMatchObject({ status: "failed", error: { code: "Authentication_RequestFromNonPremiumTenantOrB2CTenant", httpStatus: 403 } });
    const reason = describeMissing({
      facet: "source.provisioningLogs",
      status: entry.status,
      httpStatus: 403,
      code: entry.error!.code,
      permission: entry.permission!,
    });
    expect(reason).toContain("no Microsoft Entra ID P1 or P2 licence");
    expect(reason).not.toContain("grant");
  });

  it("waits out a 429 with Retry-After and then succeeds", async () => {
    const em = await start("healthy", { faults: [parseFault("GET /policies/crossTenantAccessPolicy/default 429 times=2 retry-after=0")] });
    const { dir } = await run("healthy", em.url);
    await expectSameSnapshot("healthy", dir);
    const calls = em.journal.filter((j) => j.path.startsWith("/v1.0/policies/crossTenantAccessPolicy/default"));
    expect(calls.filter((c) => c.status === 429)).toHaveLength(2);
    expect(calls.filter((c) => c.status === 200).length).toBeGreaterThanOrEqual(1);
    expect(calls.some((c) => c.retryAttempt === "1")).toBe(true);
  });

  it("re-queues per-item 429s inside $batch", async () => {
    const em = await start("contoso-fabrikam", { faults: [parseFault("GET /authentication/phoneMethods 429 batch times=5 retry-after=0")] });
    const { dir } = await run("contoso-fabrikam", em.url);
    await expectSameSnapshot("contoso-fabrikam", dir);
    expect(em.journal.filter((j) => j.inBatch && j.status === 429)).toHaveLength(5);
  });

  it("gives up on a sticky 503 and marks only that facet failed", async () => {
    const em = await start("healthy", { faults: [parseFault("GET /subscribedSkus 503 times=inf")] });
    const { dir } = await run("healthy", em.url, { retry: { maxRetries: 2, baseDelayMs: 5 } });
    const manifest = await readManifest(dir);
    expect(manifest.facets["source.subscribedSkus"]).toMatchObject({ status: "failed", error: { httpStatus: 503 } });
    expect(manifest.facets["target.subscribedSkus"]?.status).toBe("failed");
    expect(manifest.facets["source.partner"]?.status).toBe("ok");
  });

  it("skips the configuration's facets when the service principals cannot be read", async () => {
    const em = await start("healthy", { faults: [parseFault("GET /servicePrincipals 403 times=inf")] });
    const { dir } = await run("healthy", em.url);
    const manifest = await readManifest(dir);
    expect(manifest.facets["source.syncServicePrincipals"]?.status).toBe("denied");
    for (const id of ["source.syncSecrets", "source.syncJobs", "source.users", "source.provisioningLogs"] as const) {
      expect(manifest.facets[id]).toMatchObject({ status: "skipped", error: { code: "DependencyFailed" } });
    }
  });

  it("refuses to run, before any request, when a token is for another tenant", async () => {
    const em = await start("healthy");
    await expect(
      run("healthy", em.url, { credentials: { source: new StaticTokenCredential(fakeToken(T)), target: new StaticTokenCredential(fakeToken(T)) } }),
    ).rejects.toMatchObject({
      code: "TENANT_MISMATCH",
    });
    expect(em.journal).toHaveLength(0);
  });

  it("writes a complete manifest even when a tenant cannot be reached", async () => {
    const em = await start("healthy");
    const manifest = await readManifest(scenarioDir("healthy"));
    const dir = await mkdtemp(path.join(tmpdir(), "collect-"));
    const result = await collect(pairConfig(em.url, "http://127.0.0.1:9"), dir, {
      since: new Date(manifest.window.since),
      connectionTest: false,
      credentials: { source: new StaticTokenCredential(fakeToken(S)), target: new StaticTokenCredential(fakeToken(T)) },
      retry: { maxRetries: 1, baseDelayMs: 5 },
    });
    expect(result.unreachable.map((u) => [u.side, u.code])).toEqual([["target", "NetworkError"]]);
    const written = await readManifest(dir);
    expect(written.facets["target.partner"]?.status).toBe("failed");
    expect(written.facets["source.partner"]?.status).toBe("ok");
    expect(written.facets["source.connectionTest"]).toMatchObject({ status: "skipped", error: { message: "skipped with --no-connection-test" } });
    const raw = JSON.parse(await readFile(path.join(dir, "manifest.json"), "utf8")) as { facets: Record<string, unknown> };
    expect(Object.keys(raw.facets)).toHaveLength(FACETS.length);
  });

  it("falls back to plain GETs on a server without $batch", async () => {
    const em = await start("contoso-fabrikam", { faults: [parseFault("POST /$batch 404 times=inf")] });
    const { dir } = await run("contoso-fabrikam", em.url);
    await expectSameSnapshot("contoso-fabrikam", dir);
    expect(em.journal.filter((j) => j.path.includes("/authentication/phoneMethods") && !j.inBatch).length).toBeGreaterThan(5);
  });

  it("asks for less when the provisioning-log filter is rejected, and filters the rest itself", async () => {
    const em = await start("contoso-fabrikam", { faults: [parseFault("GET /auditLogs/provisioning 400 times=1")] });
    const { dir } = await run("contoso-fabrikam", em.url);
    await expectSameSnapshot("contoso-fabrikam", dir);
    expect(logReads(em).map((j) => j.status)).toEqual([400, 200]);
  });

  it("asks the logs API for this configuration's non-success entries only, and the manifest says so", async () => {
    const em = await start("contoso-fabrikam");
    const { dir } = await run("contoso-fabrikam", em.url);
    const logs = logReads(em);
    expect(logs).toHaveLength(1);
    const filter = new URL(logs[0]!.path, "http://x").searchParams.get("$filter") ?? "";
    expect(filter).toContain("servicePrincipal/id eq 'c8c95753-f628-48e1-9fab-76c2d4cf624c'");
    expect(filter).toContain(
      "(provisioningStatusInfo/status eq 'failure' or provisioningStatusInfo/status eq 'skipped' or provisioningStatusInfo/status eq 'warning')",
    );
    expect((await readManifest(dir)).facets["source.provisioningLogs"]?.filter).toBe("non-success");
  });

  it.each(["400", "404"])("reads identitySynchronization from v1.0 when beta answers %s, and the healthy pair still has no failure", async (status) => {
    const em = await start("healthy", { faults: [parseFault(`GET /identitySynchronization ${status} times=1`)] });
    const { dir } = await run("healthy", em.url);
    const policy = await readFacet(dir, "target.identitySynchronization");
    expect(policy?.userSyncInbound?.isSyncAllowed).toBe(true);
    expect(policy).not.toHaveProperty("groupSyncInbound");
    const { report } = await analyzeSnapshot(dir, await mkdtemp(path.join(tmpdir(), "out-")), ["json"], "high");
    expect(report.results.filter((r) => r.status === "fail").map((r) => r.ruleId)).toEqual([]);
    expect(report.results.find((r) => r.ruleId === "target-group-sync-inbound-disabled")?.status).toBe("inconclusive");
  });

  describe("missing data never turns a failure into a pass", () => {
    let baseline: Map<string, string> | undefined;
    const statuses = async (faults: string[]) => {
      const em = await start("contoso-fabrikam", { faults: faults.map((f) => parseFault(f)) });
      const { dir } = await run("contoso-fabrikam", em.url);
      await em.close();
      emulator = undefined;
      const { report } = await analyzeSnapshot(dir, await mkdtemp(path.join(tmpdir(), "out-")), ["json"], "high");
      return { manifest: await readManifest(dir), results: new Map(report.results.map((r) => [r.ruleId, r.status])) };
    };

    it.each([
      ["group members denied", "GET /members 403 sticky"],
      ["phone methods denied", "GET /authentication/phoneMethods 403 sticky batch"],
      ["provisioning logs denied", "GET /auditLogs/provisioning 403 sticky"],
      ["target users denied", "GET /users 403 sticky"],
      ["deleted users denied", "GET /directory/deletedItems 403 sticky"],
      ["sync jobs denied", "GET /synchronization/jobs 403 sticky"],
    ])("%s", async (_name, fault) => {
      baseline ??= (await statuses([])).results;
      const { results } = await statuses([fault]);
      const turned = [...baseline].filter(([id, status]) => status === "fail" && results.get(id) === "pass").map(([id]) => id);
      expect(turned).toEqual([]);
    });

    it("with group members denied, the in-scope users are not written as if complete", async () => {
      const { manifest } = await statuses(["GET /members 403 sticky"]);
      expect(manifest.facets["source.groupMembers"]?.status).toBe("denied");
      expect(manifest.facets["source.users"]).toMatchObject({ status: "skipped", error: { code: "DependencyFailed" } });
    });
  });
});

describe("tolerates answers a real tenant may give", () => {
  it("accepts GET /policies/crossTenantAccessPolicy wrapped in {value: …}, as Microsoft's examples show, and stores the entity", async () => {
    const em = await start("healthy", { faults: [parseFault("GET /^\\/policies\\/crossTenantAccessPolicy$/ wrap sticky")] });
    const { dir } = await run("healthy", em.url);
    expect(em.journal.filter((j) => j.path.startsWith("/v1.0/policies/crossTenantAccessPolicy?")).length).toBe(2);
    await expectSameSnapshot("healthy", dir);
    expect(await readFacet(dir, "source.crossTenantAccessPolicy")).toEqual(await readFacet(scenarioDir("healthy"), "source.crossTenantAccessPolicy"));
  });

  it("reads a validateCredentials 400 whose code is BadRequest and whose message carries the CTS code", async () => {
    const message = `Error code: AzureActiveDirectoryCrossTenantSyncPolicyCheckFailure Details: ${TARGET_POLICY_MESSAGE}`;
    const em = await start("healthy", { faults: [parseFault(`POST /validateCredentials 400 code=BadRequest message="${message}"`)] });
    const { dir } = await run("healthy", em.url);
    expect(await readFacet(dir, "source.connectionTest")).toMatchObject({ ok: false, status: 400, error: { code: "BadRequest", message } });
    const { report } = await analyzeSnapshot(dir, await mkdtemp(path.join(tmpdir(), "out-")), ["json"], "high");
    const result = report.results.find((r) => r.ruleId === "connection-test-failed");
    expect(result?.status).toBe("fail");
    expect(result?.findings).toHaveLength(1);
    expect(result?.findings[0]).toMatchObject({
      side: "target",
      errorCode: "AzureActiveDirectoryCrossTenantSyncPolicyCheckFailure",
      evidence: {
        explainedBy: ["target-inbound-sync-disabled", "target-inbound-auto-redeem-disabled"],
        seenIn: [{ source: "connectionTest", reportedCode: "BadRequest" }],
      },
    });
  });
});
