// The fault matrix: every Graph failure mode through the emulator; the run completes, never passes on missing data, never half-writes.
import { readdir } from "node:fs/promises";
import path from "node:path";
import type { AccessToken, TokenCredential } from "@azure/core-auth";
import { afterEach, describe, expect, it } from "vitest";
import { ruleList } from "../../../rules/index.js";
import type { CollectOptions } from "../../../src/collect/run.js";
import type { Config } from "../../../src/config/schema.js";
import { fakeToken, type Emulator } from "../../../src/emulator/index.js";
import { runRules } from "../../../src/engine/run.js";
import { StaticTokenCredential } from "../../../src/graph/auth.js";
import { loadPair } from "../../../src/model/pair.js";
import { FACETS, type FacetId } from "../../../src/snapshot/facets.js";
import type { Manifest } from "../../../src/snapshot/manifest.js";
import { readFacet } from "../../../src/snapshot/store.js";
import { collectWithFaults, pairConfig, S, T, type FaultRun } from "./fault-run.js";

let emulator: Emulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

type Run = FaultRun;

async function runWith(faults: string[], options: Partial<CollectOptions> = {}, endpoint?: (url: string) => Config): Promise<Run> {
  const run = await collectWithFaults(faults, options, endpoint);
  emulator = run.emulator;
  return run;
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => path.relative(dir, path.join(e.parentPath, e.name)));
}

/**
 * What must hold after any fault: a valid manifest naming every facet, each ok facet readable and each other one
 * carrying an error code, no temp file left, and no rule passing while a facet it needs is missing.
 */
async function expectSafeOutcome(run: Run): Promise<void> {
  const { dir, manifest } = run;
  expect(Object.keys(manifest.facets).sort()).toEqual(FACETS.map((f) => f.id).sort());
  const files = await filesUnder(dir);
  expect(
    files.filter((f) => f.endsWith(".tmp")),
    "temp files left behind",
  ).toEqual([]);
  for (const spec of FACETS) {
    const entry = manifest.facets[spec.id]!;
    expect(entry.partial, spec.id).toBeUndefined();
    if (entry.status === "ok") await expect(readFacet(dir, spec.id), spec.id).resolves.not.toBeUndefined();
    else expect(entry.error?.code, spec.id).toMatch(/\S/);
  }
  const pair = await loadPair(dir);
  for (const result of runRules(ruleList, pair)) {
    const rule = ruleList.find((r) => r.id === result.ruleId)!;
    const missing = rule.needs.filter((id) => manifest.facets[id]?.status !== "ok");
    if (missing.length === 0) continue;
    expect(result.status, `${rule.id} with ${missing.join(", ")} missing`).not.toBe("pass");
    expect(result.status, `${rule.id} with ${missing.join(", ")} missing`).not.toBe("fail");
    if (result.status === "inconclusive") {
      for (const id of missing) expect(result.reason, rule.id).toContain(manifest.facets[id]!.error!.code);
    }
  }
}

/** Every facet ok, as in the scenario. */
function expectAllOk(manifest: Manifest): void {
  const notOk = FACETS.filter((f) => manifest.facets[f.id]?.status !== "ok").map((f) => `${f.id}: ${manifest.facets[f.id]?.error?.code}`);
  expect(notOk).toEqual([]);
}

function expectOnlyAffected(manifest: Manifest, affected: FacetId[]): void {
  for (const spec of FACETS) {
    const entry = manifest.facets[spec.id]!;
    if (affected.includes(spec.id)) expect(entry.status, spec.id).not.toBe("ok");
    else expect(entry.status === "ok" || entry.error?.code === "DependencyFailed", `${spec.id}: ${entry.status} ${entry.error?.code}`).toBe(true);
  }
}

describe("fault matrix: throttling", () => {
  it("429 with Retry-After in seconds: waits and gets everything", async () => {
    const run = await runWith(["GET /subscribedSkus 429 times=2 retry-after=0"]);
    expectAllOk(run.manifest);
    expect(run.retries.filter((r) => r.status === 429)).toHaveLength(2);
    expect(emulator!.journal.filter((j) => j.path.includes("/subscribedSkus") && j.status === 429)).toHaveLength(2);
    await expectSafeOutcome(run);
  });

  it("429 with Retry-After as an HTTP date (past and one second ahead): honoured, then everything is collected", async () => {
    const run = await runWith([
      'GET /policies/authorizationPolicy 429 times=1 retry-after="Wed, 21 Oct 2015 07:28:00 GMT"',
      "GET /organization 429 times=1 retry-after=date+1",
    ]);
    expectAllOk(run.manifest);
    const waits = run.retries.filter((r) => r.status === 429).map((r) => r.waitMs);
    expect(waits).toHaveLength(2);
    expect(waits).toContain(0); // a date in the past means "now"
    expect(waits.every((w) => w >= 0 && w <= 1000)).toBe(true); // date+1 is read as a date, not 1 s × 1000
    await expectSafeOutcome(run);
  });

  it("sticky 429: gives up after the retry budget; the facet is failed with TooManyRequests and its rules are inconclusive", async () => {
    const run = await runWith(["GET /auditLogs/provisioning 429 sticky retry-after=0"]);
    expect(run.manifest.facets["source.provisioningLogs"]).toMatchObject({ status: "failed", error: { code: "TooManyRequests", httpStatus: 429 } });
    expectOnlyAffected(run.manifest, ["source.provisioningLogs"]);
    const pair = await loadPair(run.dir);
    const needsLogs = runRules(ruleList, pair).filter((r) => ruleList.find((x) => x.id === r.ruleId)!.needs.includes("source.provisioningLogs"));
    expect(needsLogs.length).toBeGreaterThan(0);
    expect(needsLogs.every((r) => r.status === "inconclusive" || r.status === "not-applicable")).toBe(true);
    await expectSafeOutcome(run);
  });

  it("a Retry-After longer than the longest wait is not slept through: the facet fails at once", async () => {
    const run = await runWith(["GET /subscribedSkus 429 sticky retry-after=3600"]);
    expect(run.manifest.facets["source.subscribedSkus"]).toMatchObject({ status: "failed", error: { httpStatus: 429 } });
    expect(run.retries.filter((r) => r.status === 429)).toHaveLength(0);
    await expectSafeOutcome(run);
  });

  it("per-item 429 inside $batch: re-queued and collected", async () => {
    const run = await runWith(["GET /authentication/phoneMethods 429 batch times=3 retry-after=0"]);
    expectAllOk(run.manifest);
    expect(emulator!.journal.filter((j) => j.inBatch && j.status === 429)).toHaveLength(3);
    await expectSafeOutcome(run);
  });

  it("sticky per-item 429 inside $batch: the facet fails with 429, nothing half-written", async () => {
    const run = await runWith(["GET /authentication/phoneMethods 429 batch sticky retry-after=0"]);
    expect(run.manifest.facets["source.phoneMethods"]).toMatchObject({ status: "failed", error: { httpStatus: 429 } });
    expectOnlyAffected(run.manifest, ["source.phoneMethods"]);
    expect(await filesUnder(run.dir)).not.toContain(path.join("source", "phoneMethods.ndjson"));
    await expectSafeOutcome(run);
  });
});

describe("fault matrix: server and transport errors", () => {
  it.each([503, 504])("%i without Retry-After once: retried with backoff", async (status) => {
    const run = await runWith([`GET /policies/crossTenantAccessPolicy/default ${status} times=1`]);
    expectAllOk(run.manifest);
    expect(run.retries).toEqual([expect.objectContaining({ status })]);
    await expectSafeOutcome(run);
  });

  it.each([503, 504])("%i sticky: the facet fails with the status and the rest is collected", async (status) => {
    const run = await runWith([`GET /policies/crossTenantAccessPolicy/default ${status} sticky`]);
    for (const id of ["source.crossTenantAccessDefault", "target.crossTenantAccessDefault"] as const) {
      expect(run.manifest.facets[id]).toMatchObject({ status: "failed", error: { httpStatus: status } });
    }
    expectOnlyAffected(run.manifest, ["source.crossTenantAccessDefault", "target.crossTenantAccessDefault"]);
    await expectSafeOutcome(run);
  });

  it("connection reset once: retried as a network error", async () => {
    const run = await runWith(["GET /policies/authorizationPolicy reset times=1"]);
    expectAllOk(run.manifest);
    expect(run.retries.some((r) => r.status === "network")).toBe(true);
    await expectSafeOutcome(run);
  });

  it("connection reset every time: NetworkError on that facet only", async () => {
    const run = await runWith(["GET /policies/authorizationPolicy reset sticky"]);
    expect(run.manifest.facets["source.authorizationPolicy"]).toMatchObject({ status: "failed", error: { code: "NetworkError" } });
    expectOnlyAffected(run.manifest, ["source.authorizationPolicy", "target.authorizationPolicy"]);
    await expectSafeOutcome(run);
  });

  it("truncated JSON body twice: each read is retried like a reset, and everything is collected", async () => {
    const run = await runWith(["GET /organization truncate times=2"]);
    expectAllOk(run.manifest);
    expect(run.retries.filter((r) => r.status === "network")).toHaveLength(2);
    await expectSafeOutcome(run);
  });

  it("truncated JSON body every time: InvalidResponse, never parsed as data", async () => {
    const run = await runWith(["GET /organization truncate sticky"]);
    for (const id of ["source.organization", "target.organization"] as const) {
      expect(run.manifest.facets[id]).toMatchObject({ status: "failed", error: { code: "InvalidResponse" } });
    }
    expectOnlyAffected(run.manifest, ["source.organization", "target.organization"]);
    await expectSafeOutcome(run);
  });

  it("truncated page in the middle of a streamed facet: the NDJSON facet is dropped whole", async () => {
    const run = await runWith(["GET /auditLogs/provisioning truncate sticky"]);
    expect(run.manifest.facets["source.provisioningLogs"]).toMatchObject({ status: "failed", error: { code: "InvalidResponse" } });
    expect(await filesUnder(run.dir)).not.toContain(path.join("source", "provisioningLogs.ndjson"));
    await expectSafeOutcome(run);
  });

  it("truncated $batch response: the batched facet fails, the rest is collected", async () => {
    const run = await runWith(["POST /$batch truncate sticky"]);
    // Directly assigned users are read through $batch first, so the users facet fails and phone methods depend on it.
    expect(run.manifest.facets["source.users"]).toMatchObject({ status: "failed", error: { code: "InvalidResponse" } });
    expect(run.manifest.facets["source.phoneMethods"]).toMatchObject({ status: "skipped", error: { code: "DependencyFailed" } });
    expectOnlyAffected(run.manifest, ["source.users", "source.phoneMethods"]);
    await expectSafeOutcome(run);
  });

  it("a response slower than the request timeout once: timed out, retried, collected", async () => {
    const run = await runWith(["GET /subscribedSkus delay=3000 times=1"], { timeoutSeconds: 1 });
    expectAllOk(run.manifest);
    expect(run.retries.some((r) => r.status === "network")).toBe(true);
    await expectSafeOutcome(run);
  });

  it("a response always slower than the request timeout: Timeout on that facet", async () => {
    const run = await runWith(["GET /subscribedSkus delay=3000 sticky"], { timeoutSeconds: 1, retry: { maxRetries: 1, baseDelayMs: 5 } });
    for (const id of ["source.subscribedSkus", "target.subscribedSkus"] as const) {
      expect(run.manifest.facets[id]).toMatchObject({ status: "failed", error: { code: "Timeout" } });
    }
    expectOnlyAffected(run.manifest, ["source.subscribedSkus", "target.subscribedSkus"]);
    await expectSafeOutcome(run);
  });
});

describe("fault matrix: 403 per facet and 404 partner", () => {
  const routes: [string, FacetId[]][] = [
    ["GET /organization 403 sticky", ["source.organization", "target.organization"]],
    ["GET /^\\/policies\\/crossTenantAccessPolicy$/i 403 sticky", ["source.crossTenantAccessPolicy", "target.crossTenantAccessPolicy"]],
    ["GET /policies/crossTenantAccessPolicy/default 403 sticky", ["source.crossTenantAccessDefault", "target.crossTenantAccessDefault"]],
    ["GET /\\/partners\\/[0-9a-f-]+$/i 403 sticky", ["source.partner", "target.partner"]],
    ["GET /policies/authorizationPolicy 403 sticky", ["source.authorizationPolicy", "target.authorizationPolicy"]],
    ["GET /subscribedSkus 403 sticky", ["source.subscribedSkus", "target.subscribedSkus"]],
    ["GET /^\\/servicePrincipals$/i 403 sticky", ["source.syncServicePrincipals"]],
    ["GET /synchronization/secrets 403 sticky", ["source.syncSecrets"]],
    ["GET /\\/synchronization\\/jobs$/i 403 sticky", ["source.syncJobs"]],
    ["GET /schema 403 sticky", ["source.syncSchemas"]],
    ["GET /appRoleAssignedTo 403 sticky", ["source.syncAssignments"]],
    ["GET /members 403 sticky", ["source.groupMembers"]],
    ["GET /authentication/phoneMethods 403 batch sticky", ["source.phoneMethods"]],
    ["GET /auditLogs/provisioning 403 sticky", ["source.provisioningLogs"]],
    ["POST /validateCredentials 403 sticky", ["source.connectionTest"]],
    ["GET /identitySynchronization 403 sticky", ["target.identitySynchronization"]],
    ["GET /externalIdentitiesPolicy 403 sticky", ["target.externalIdentitiesPolicy"]],
    ["GET /^\\/users$/i 403 sticky", ["target.users"]],
    ["GET /deletedItems 403 sticky", ["target.deletedUsers"]],
  ];

  it.each(routes)("%s → denied with the Graph code and permission; dependants skipped; rules inconclusive", async (fault, facets) => {
    const run = await runWith([fault]);
    for (const id of facets) {
      expect(run.manifest.facets[id], id).toMatchObject({ status: "denied", error: { code: "Authorization_RequestDenied", httpStatus: 403 } });
      expect(run.manifest.facets[id]?.permission, id).toMatch(/\./);
    }
    expectOnlyAffected(run.manifest, facets);
    await expectSafeOutcome(run);
  });

  it("404 on the partner record means 'not configured': ok with null, not an error", async () => {
    const run = await runWith(["GET /\\/partners\\/[0-9a-f-]+$/i 404 sticky"]);
    expectAllOk(run.manifest);
    expect(await readFacet(run.dir, "source.partner")).toBeNull();
    expect(await readFacet(run.dir, "target.partner")).toBeNull();
    const results = runRules(ruleList, await loadPair(run.dir));
    expect(results.filter((r) => r.status === "inconclusive" && /partner/.test(r.reason))).toEqual([]);
    await expectSafeOutcome(run);
  });
});

/** A credential scripted by call number (1 is the pre-flight): stands in for a token cache that hands out an expired token. */
class ScriptedCredential implements TokenCredential {
  calls = 0;
  constructor(private readonly tokenFor: (call: number) => string) {}
  getToken(): Promise<AccessToken> {
    this.calls++;
    return Promise.resolve({ token: this.tokenFor(this.calls), expiresOnTimestamp: Date.now() + 3_600_000 });
  }
}

describe("fault matrix: 401 in the middle of a run", () => {
  const valid = fakeToken(S, { jti: "first" });
  const expired = fakeToken(S, { jti: "expired", exp: 1 });
  const renewed = fakeToken(S, { jti: "renewed" });

  it("gets a new token once and carries on: everything is collected", async () => {
    const credential = new ScriptedCredential((n) => (n <= 8 ? valid : n === 9 ? expired : renewed));
    const run = await runWith([], { credentials: { source: credential, target: new StaticTokenCredential(fakeToken(T)) } });
    expectAllOk(run.manifest);
    const unauthorized = emulator!.journal.filter((j) => j.status === 401);
    expect(unauthorized).toHaveLength(1);
    const again = emulator!.journal.filter((j) => j.clientRequestId === unauthorized[0]!.clientRequestId);
    expect(again.map((j) => j.status)).toEqual([401, expect.any(Number)]);
    expect(again[1]!.status).not.toBe(401);
    await expectSafeOutcome(run);
  });

  it("a credential that keeps the expired token: one refresh attempt, then the facets say so clearly and the run completes", async () => {
    const credential = new ScriptedCredential((n) => (n <= 8 ? valid : expired));
    const run = await runWith([], { credentials: { source: credential, target: new StaticTokenCredential(fakeToken(T)) } });
    const expiredFacets = FACETS.filter((f) => run.manifest.facets[f.id]?.error?.code === "InvalidAuthenticationToken");
    expect(expiredFacets.length).toBeGreaterThan(0);
    for (const f of expiredFacets) {
      expect(run.manifest.facets[f.id]).toMatchObject({ status: "failed", error: { httpStatus: 401, message: expect.stringMatching(/expired/i) } });
    }
    expect(FACETS.some((f) => f.side === "source" && run.manifest.facets[f.id]?.status === "ok")).toBe(true);
    expect(FACETS.filter((f) => f.side === "target").every((f) => run.manifest.facets[f.id]?.status === "ok")).toBe(true);
    // Each request that met a 401 was not sent again with the same token.
    const byRequest = new Map<string, number>();
    for (const j of emulator!.journal.filter((x) => x.status === 401)) byRequest.set(j.clientRequestId!, (byRequest.get(j.clientRequestId!) ?? 0) + 1);
    expect([...byRequest.values()].every((n) => n === 1)).toBe(true);
    await expectSafeOutcome(run);
  });

  it("a refreshed token for another tenant is never sent: the requests fail as AuthenticationFailed", async () => {
    const credential = new ScriptedCredential((n) => (n <= 8 ? valid : fakeToken(T)));
    const run = await runWith([], { credentials: { source: credential, target: new StaticTokenCredential(fakeToken(T)) } }, (url) =>
      pairConfig(`${url}/${S}`, `${url}/${T}`),
    );
    const refused = FACETS.filter((f) => run.manifest.facets[f.id]?.error?.code === "AuthenticationFailed");
    expect(refused.length).toBeGreaterThan(0);
    expect(run.manifest.facets[refused[0]!.id]?.error?.message).toContain(`not the configured ${S}`);
    // The emulator refuses a JWT whose tid differs from the path's tenant (401): none reached it.
    expect(emulator!.journal.filter((j) => j.status === 401)).toEqual([]);
    await expectSafeOutcome(run);
  });
});

/**
 * Every fault kind the emulator supports on every request path a facet is read from (facets grouped by path, as in
 * the 403 table above): whatever the fault, no rule that fails with full data passes, and nothing is left half-written.
 */
describe("fault matrix: every fault kind × every facet's request path", () => {
  const TOP_LEVEL_PATHS = [
    "GET /organization",
    "GET /^\\/policies\\/crossTenantAccessPolicy$/i",
    "GET /policies/crossTenantAccessPolicy/default",
    "GET /\\/partners\\/[0-9a-f-]+$/i",
    "GET /policies/authorizationPolicy",
    "GET /subscribedSkus",
    "GET /^\\/servicePrincipals$/i",
    "GET /synchronization/secrets",
    "GET /\\/synchronization\\/jobs$/i",
    "GET /schema",
    "GET /appRoleAssignedTo",
    "GET /members",
    "GET /auditLogs/provisioning",
    "POST /validateCredentials",
    "GET /identitySynchronization",
    "GET /externalIdentitiesPolicy",
    "GET /^\\/users$/i",
    "GET /deletedItems",
    "POST /$batch",
  ];
  // Per-item faults inside $batch: the phone methods, and users read again by id.
  const BATCH_PATHS = ["GET /authentication/phoneMethods", "GET /^\\/users\\/[0-9a-f-]+$/i"];
  // 504 is left out: the client treats it exactly like 503 (covered above, once and sticky).
  const STATUSES = ["400", "401", "403", "404", "429 retry-after=0", "500", "503", "500 echo-token"];
  const TRANSPORT = ["reset", "truncate"];
  const SLOW = "delay=2000";
  const cases: [string, Partial<CollectOptions>][] = [
    ...TOP_LEVEL_PATHS.flatMap((p) => [...STATUSES, ...TRANSPORT].map((k): [string, Partial<CollectOptions>] => [`${p} ${k} sticky`, {}])),
    ...BATCH_PATHS.flatMap((p) => STATUSES.map((k): [string, Partial<CollectOptions>] => [`${p} ${k} batch sticky`, {}])),
    // A response slower than the timeout, with one attempt: every path once, kept short.
    ...[...TOP_LEVEL_PATHS.map((p) => `${p} ${SLOW} sticky`), ...BATCH_PATHS.map((p) => `${p} 503 ${SLOW} batch times=1`)].map(
      (f): [string, Partial<CollectOptions>] => [f, { timeoutSeconds: 0.75, retry: { maxRetries: 0, baseDelayMs: 5 } }],
    ),
  ];

  let failing: Set<string> | undefined;
  async function failingWithFullData(): Promise<Set<string>> {
    if (!failing) {
      const full = await runWith([]);
      expectAllOk(full.manifest);
      failing = new Set(
        runRules(ruleList, await loadPair(full.dir))
          .filter((r) => r.status === "fail")
          .map((r) => r.ruleId),
      );
      await emulator?.close();
      emulator = undefined;
    }
    return failing;
  }

  it("the broken pair has failing rules to protect", async () => {
    expect((await failingWithFullData()).size).toBeGreaterThan(5);
  });

  it.each(cases)("%s: no failing rule passes", async (fault, options) => {
    const fails = await failingWithFullData();
    const run = await runWith([fault], options);
    expect(Object.keys(run.manifest.facets).sort()).toEqual(FACETS.map((f) => f.id).sort());
    expect(
      (await filesUnder(run.dir)).filter((f) => f.endsWith(".tmp")),
      "temp files left behind",
    ).toEqual([]);
    const passing = runRules(ruleList, await loadPair(run.dir)).filter((r) => fails.has(r.ruleId) && r.status === "pass");
    expect(passing.map((r) => r.ruleId)).toEqual([]);
  });
});
