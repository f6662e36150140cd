// trace-user through the emulator (live mode, real Graph client over HTTP) and over snapshots, on the bundled scenarios.
import { afterEach, describe, expect, it } from "vitest";
import type { Config } from "../../src/config/schema.js";
import { fakeToken, loadSnapshot, parseFault, startEmulator, type Emulator, type FaultRule, type SnapshotData } from "../../src/emulator/index.js";
import { StaticTokenCredential } from "../../src/graph/auth.js";
import { loadPair } from "../../src/model/pair.js";
import { PROVISIONING_CODE_BOOK as codes, ruleBook } from "../../src/cli/trace-user.js";
import { traceFromFacts } from "../../src/trace/chain.js";
import { connect, liveFacts } from "../../src/trace/live.js";
import { traceJson } from "../../src/trace/render.js";
import { snapshotFacts } from "../../src/trace/snapshot.js";
import type { TraceResult } from "../../src/trace/types.js";
import { scenarioDir } from "../helpers/pair.js";

const S = "1fd6544e-e994-4de2-9f1b-787b51c7d325";
const T = "4a12efe6-aa14-4d03-8dff-88fc89e2e2ad";
const MEGAN = "meganb@contoso.com";
const ADELE = "adele@contoso.com";
const ALEX = "alexw@contoso.com";
const IRVIN = "irvins@contoso.com";
const ISAIAH = "isaiahl@contoso.com";

let emulator: Emulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

function pairConfig(endpoint: string): Config {
  const tenant = (tenantId: string) => ({
    tenantId,
    cloud: "global" as const,
    graphEndpoint: endpoint,
    auth: { method: "access-token" as const, tokenEnv: "UNUSED" },
  });
  return { source: tenant(S), target: tenant(T) };
}

async function traceLive(
  scenario: string | SnapshotData,
  query: string,
  faults: FaultRule[] = [],
): Promise<{ result: TraceResult; requests: number; paths: string[] }> {
  emulator = await startEmulator(typeof scenario === "string" ? { snapshotDir: scenarioDir(scenario), faults } : { snapshot: scenario, faults });
  const tenants = await connect(pairConfig(emulator.url), {
    credentials: { source: new StaticTokenCredential(fakeToken(S)), target: new StaticTokenCredential(fakeToken(T)) },
  });
  const facts = await liveFacts(tenants, query);
  const requests = emulator.journal.length;
  const paths = emulator.journal.map((j) => j.path);
  await emulator.close();
  emulator = undefined;
  return { result: traceFromFacts(facts, ruleBook(), { configPath: "pair.json", codes }), requests, paths };
}

async function traceSnapshot(scenario: string, query: string): Promise<TraceResult> {
  return traceFromFacts(snapshotFacts(await loadPair(scenarioDir(scenario)), query), ruleBook(), { codes });
}

const linkOf = (t: TraceResult, name: string) => t.links.find((l) => l.name === name)!;

describe("trace-user, live through the emulator", () => {
  it("reads the source and target users with the mapped attributes (the mapping link's inputs), never manager or showInAddressList", async () => {
    const { paths } = await traceLive("healthy", MEGAN);
    const lookup = paths.find((p) => p.includes(`/users/${encodeURIComponent(MEGAN)}?`) || p.includes(`/users/${MEGAN}?`));
    const select = new URL(lookup ?? "/", "http://x").searchParams.get("$select")?.split(",") ?? [];
    expect(select).toEqual(expect.arrayContaining(["id", "givenName", "surname", "jobTitle", "department", "mailNickname"]));
    expect(select).not.toContain("manager");
    // The correlated target user's lookups ask for the mapped target attributes the same way.
    const targetSelects = paths
      .filter((p) => /\/users\?.*\$filter=/.test(decodeURIComponent(p)))
      .map((p) => new URL(p, "http://x").searchParams.get("$select")?.split(",") ?? []);
    expect(targetSelects.length).toBeGreaterThan(0);
    for (const s of targetSelects) expect(s).toEqual(expect.arrayContaining(["id", "givenName", "surname", "jobTitle"]));
    // showInAddressList is mapped, but the user resource says "Do not use in Microsoft Graph": never selected.
    for (const s of [select, ...targetSelects]) expect(s).not.toContain("showInAddressList");
  });

  it("a 400 on the extended $select falls back to the base list on both sides: the user still traces and correlates", async () => {
    const faults = [parseFault("GET mailNickname 400 times=inf"), parseFault("GET mailNickname 400 batch times=inf")];
    const { result, paths } = await traceLive("healthy", MEGAN, faults);
    expect(linkOf(result, "source-user").status).toBe("ok");
    expect(linkOf(result, "target-user").status).toBe("ok");
    expect(paths.some((p) => decodeURIComponent(p).includes(`/users/${MEGAN}?`) && !p.includes("mailNickname"))).toBe(true);
    expect(paths.some((p) => /\/users\?.*\$filter=/.test(decodeURIComponent(p)) && !p.includes("mailNickname"))).toBe(true);
  });

  it("a healthy user traces ok at every link", async () => {
    const { result } = await traceLive("healthy", MEGAN);
    expect(result.user).toMatchObject({ id: "2c1d4c1e-6b0a-4c3f-9d7a-1e2f3a4b5c6d", userPrincipalName: MEGAN });
    expect(result.links.map((l) => [l.name, l.status])).toEqual([
      ["source-user", "ok"],
      ["configuration", "ok"],
      ["scope", "ok"],
      ["scoping-filter", "ok"],
      ["sms-sign-in", "ok"],
      ["provisioning-logs", "ok"],
      ["mapping", "ok"],
      ["target-user", "ok"],
    ]);
    expect(result.verdict).toMatchObject({ status: "ok", ruleIds: [] });
    expect(linkOf(result, "target-user").detail).toMatch(/Microsoft\.Azure\.SyncFabric.*Add user/);
  });

  it("an SMS sign-in user is blocked with sms-sign-in-users-skipped", async () => {
    const { result } = await traceLive("contoso-fabrikam", ADELE);
    expect(linkOf(result, "sms-sign-in")).toMatchObject({ status: "blocked", ruleIds: ["sms-sign-in-users-skipped"] });
    expect(linkOf(result, "scoping-filter")).toMatchObject({ status: "blocked", ruleIds: ["sms-sign-in-users-skipped"] });
    expect(linkOf(result, "scoping-filter").detail).toContain("Filter external users.alternativeSecurityIds EQUALS 'None' is false");
    expect(linkOf(result, "provisioning-logs")).toMatchObject({ status: "blocked", ruleIds: ["sms-sign-in-users-skipped"] });
    // The fix text is the rule's own.
    expect(linkOf(result, "sms-sign-in").fix).toBe(ruleBook().get("sms-sign-in-users-skipped")!.fix.summary);
    expect(result.verdict.status).toBe("blocked");
    expect(result.verdict.ruleIds).toContain("sms-sign-in-users-skipped");
    // The pair's job is quarantined too: the first blocked link is the configuration.
    expect(linkOf(result, "configuration")).toMatchObject({ status: "blocked", ruleIds: ["job-quarantined"] });
    expect(result.verdict.ruleIds[0]).toBe("job-quarantined");
  });

  it("a pending-acceptance invitee with a stale UPN gets pending-acceptance-upn-stale and the remediate command", async () => {
    const { result } = await traceLive("contoso-fabrikam", ALEX);
    const target = linkOf(result, "target-user");
    expect(["warning", "blocked"]).toContain(target.status);
    expect(target.ruleIds).toEqual(["pending-acceptance-upn-stale"]);
    expect(target.detail).toContain("PendingAcceptance");
    // The target holds the admin's "Invite external user" event for him: not the sync service's, so not counted.
    expect(target.detail).toContain("No audit event by Microsoft.Azure.SyncFabric for this user in the target.");
    expect(["warning", "blocked"]).toContain(result.verdict.status);
    expect(result.verdict.ruleIds).toContain("pending-acceptance-upn-stale");
  });

  it("a pending-acceptance invitee alone (healthy job) gets a warning verdict with the on-demand command", async () => {
    const snapshot = await loadSnapshot(scenarioDir("contoso-fabrikam"));
    const healthy = await loadSnapshot(scenarioDir("healthy"));
    // Same users, but the healthy pair's configuration and policies: only the invitation is left.
    const facets = {
      ...snapshot.facets,
      ...pick(healthy, ["source.syncJobs", "source.syncSchemas", "source.partner", "target.partner", "target.identitySynchronization"]),
    };
    const { result } = await traceLive({ manifest: snapshot.manifest, facets }, ALEX);
    expect(result.verdict.status).toBe("warning");
    expect(result.verdict.ruleIds).toEqual(["pending-acceptance-upn-stale"]);
    expect(result.verdict.command).toBe(
      "cts-doctor remediate plan --config pair.json --rules pending-acceptance-upn-stale --out plan.json && cts-doctor remediate apply plan.json",
    );
    expect(result.verdict.message).toMatch(
      /provisionOnDemand with ruleId df8df8d1-9e6e-40d3-b8df-09bbb402db7e and subject 2f0fd319-3a35-460d-af17-b083ac7ef568/,
    );
  });

  it("a user only in a nested group is blocked at scope with nested-group-assignment and the path", async () => {
    const { result } = await traceLive("trace-cases", IRVIN);
    const scope = linkOf(result, "scope");
    expect(scope).toMatchObject({ status: "blocked", ruleIds: ["nested-group-assignment"] });
    expect(scope.detail).toContain('irvins@contoso.com → "SG-Finance-EMEA" → "SG-CTS-Fabrikam"');
    expect(result.verdict).toMatchObject({ status: "blocked", ruleIds: ["nested-group-assignment"] });
    expect(result.verdict.message).toMatch(/^Blocked at scope/);
  });

  it("a user failing a custom scoping clause is blocked at the filter link, naming the clause", async () => {
    const { result } = await traceLive("trace-cases", ISAIAH);
    const filter = linkOf(result, "scoping-filter");
    expect(filter.status).toBe("blocked");
    expect(filter.ruleIds).toEqual([]);
    expect(filter.detail).toContain("Filter external users.department EQUALS 'Sales' is false: 'Marketing' does not equal 'Sales'");
    expect(filter.fix).toMatch(/Source object scope/);
    expect(result.verdict.status).toBe("blocked");
    expect(result.verdict.message).toMatch(/^Blocked at scoping-filter/);
    expect(linkOf(result, "scope").status).toBe("ok");
  });

  it("an unknown user is blocked at the first link and nothing else is guessed", async () => {
    const { result } = await traceLive("healthy", "nobody@contoso.com");
    expect(linkOf(result, "source-user").status).toBe("blocked");
    expect(result.links.slice(2).every((l) => l.status === "unknown")).toBe(true);
    expect(result.verdict.status).toBe("blocked");
  });

  it("makes a few dozen requests for one user, the same whatever the tenant size", async () => {
    const small = await traceLive("healthy", MEGAN);
    const big = await traceLive(await enlarged("healthy", 3000), MEGAN);
    expect(small.requests).toBeLessThanOrEqual(30);
    expect(big.requests).toBe(small.requests);
    expect(big.result.verdict.status).toBe("ok");
    const nested = await traceLive(await enlarged("trace-cases", 3000), IRVIN);
    expect(nested.requests).toBeLessThanOrEqual(36);
    expect(nested.result.verdict.ruleIds).toEqual(["nested-group-assignment"]);
  });
});

describe("trace-user over a snapshot", () => {
  it("agrees with live mode on the same user, and says what a snapshot cannot know", async () => {
    const result = await traceSnapshot("healthy", MEGAN);
    expect(result.verdict.status).toBe("ok");
    expect(result.mode).toBe("snapshot");
    expect(linkOf(result, "target-user").detail).toContain("Audit events could not be read: a snapshot holds no directory audit events");
  });

  it("finds the nested path and the failing clause from the collected data", async () => {
    expect((await traceSnapshot("trace-cases", IRVIN)).verdict.ruleIds).toEqual(["nested-group-assignment"]);
    const isaiah = await traceSnapshot("trace-cases", ISAIAH);
    expect(linkOf(isaiah, "scoping-filter").status).toBe("blocked");
    expect(linkOf(isaiah, "scoping-filter").detail).toContain("Filter external users.department EQUALS 'Sales'");
  });

  it("marks a clause on an attribute the snapshot did not collect as unknown", async () => {
    // healthy users carry no department: the same clause cannot be decided from that snapshot.
    const pair = await loadPair(scenarioDir("healthy"));
    const facts = snapshotFacts(pair, MEGAN);
    const schema = facts.configuration.known && facts.configuration.value.schema.known ? facts.configuration.value.schema.value : undefined;
    const mapping = schema!.synchronizationRules![0]!.objectMappings!.find((m) => m.sourceObjectName === "User")!;
    const copy = structuredClone(mapping);
    copy.scope!.groups![0]!.clauses!.push({ operatorName: "EQUALS", sourceOperandName: "department", targetOperand: { values: ["Sales"] } });
    schema!.synchronizationRules![0]!.objectMappings = [copy];
    const link = linkOf(traceFromFacts(facts, ruleBook(), { codes }), "scoping-filter");
    expect(link.status).toBe("unknown");
    expect(link.detail).toContain("department was not collected");
  });

  it("the SMS user and the stale invitee give the same rule ids as live mode", async () => {
    expect((await traceSnapshot("contoso-fabrikam", ADELE)).verdict.ruleIds).toContain("sms-sign-in-users-skipped");
    expect((await traceSnapshot("contoso-fabrikam", ALEX)).verdict.ruleIds).toContain("pending-acceptance-upn-stale");
  });

  it("keeps the JSON contract: user, links {name,status,detail,ruleIds}, verdict {status,ruleIds,message}", async () => {
    const json = JSON.parse(traceJson(await traceSnapshot("contoso-fabrikam", ADELE))) as Record<string, unknown>;
    expect(Object.keys(json.user as object)).toEqual(expect.arrayContaining(["id", "userPrincipalName"]));
    for (const l of json.links as Record<string, unknown>[]) {
      expect(typeof l.name).toBe("string");
      expect(["ok", "blocked", "warning", "unknown"]).toContain(l.status);
      expect(typeof l.detail).toBe("string");
      expect(Array.isArray(l.ruleIds)).toBe(true);
    }
    const v = json.verdict as Record<string, unknown>;
    expect(["ok", "blocked", "warning", "unknown"]).toContain(v.status);
    expect(Array.isArray(v.ruleIds)).toBe(true);
    expect(typeof v.message).toBe("string");
  });
});

function pick(s: SnapshotData, ids: string[]): SnapshotData["facets"] {
  return Object.fromEntries(ids.map((id) => [id, (s.facets as Record<string, unknown>)[id]]));
}

/** The scenario with `n` more users on each side and logs for them: a bigger tenant, the same user. */
async function enlarged(scenario: string, n: number): Promise<SnapshotData> {
  const s = await loadSnapshot(scenarioDir(scenario));
  const id = (i: number, side: number) => `${side}0000000-0000-4000-8000-${String(i).padStart(12, "0")}`;
  const users = [...(s.facets["source.users"] ?? [])];
  const targets = [...(s.facets["target.users"] ?? [])];
  const logs = [...(s.facets["source.provisioningLogs"] ?? [])];
  for (let i = 0; i < n; i++) {
    users.push({
      id: id(i, 1),
      displayName: `User ${i}`,
      userPrincipalName: `user${i}@contoso.com`,
      mail: `user${i}@contoso.com`,
      userType: "Member",
      accountEnabled: true,
    });
    targets.push({
      id: id(i, 2),
      displayName: `User ${i}`,
      userPrincipalName: `user${i}_contoso.com#EXT#@fabrikam.onmicrosoft.com`,
      mail: `user${i}@contoso.com`,
      userType: "Member",
      creationType: "Invitation",
      externalUserState: "Accepted",
    });
    logs.push({
      ...logs[0]!,
      id: id(i, 3),
      sourceIdentity: { id: id(i, 1), displayName: `User ${i}`, identityType: "User" },
      targetIdentity: { id: id(i, 2), identityType: "User" },
    });
  }
  return { manifest: s.manifest, facets: { ...s.facets, "source.users": users, "target.users": targets, "source.provisioningLogs": logs } };
}
