// identitySynchronization writes as Microsoft publishes them: PATCH over an existing policy (a PUT is 409), PUT after a 404.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runApply, runPlan } from "../../src/cli/remediate.js";
import type { JournalEntry } from "../../src/remediate/journal.js";
import type { Plan } from "../../src/remediate/types.js";
import { benchEach, quiet, writesSeen } from "./helpers.js";

const RULE = "target-inbound-sync-disabled";

const b = benchEach("contoso-fabrikam");

const planFile = () => path.join(b.dir, "plan.json");
const policy = () => b.emulator.state.data["target.identitySynchronization"] ?? null;
const syncWrites = () => writesSeen(b.emulator).filter((w) => w.path.includes("/identitySynchronization"));
const plan = (): Promise<Plan> =>
  runPlan({ ...quiet, config: b.configFile, out: planFile(), allowTenantWide: false, rules: RULE }, { readCredentials: b.credentials });
const apply = (file = planFile()) => runApply({ ...quiet, plan: file, yes: true, allowReadCredentials: false, verify: false });

async function intents(): Promise<Extract<JournalEntry, { type: "intent" }>[]> {
  const lines = (await readFile(path.join(b.dir, "journal.jsonl"), "utf8")).trim().split("\n");
  return lines.map((l) => JSON.parse(l) as JournalEntry).filter((e): e is Extract<JournalEntry, { type: "intent" }> => e.type === "intent");
}

/** A PUT straight to the emulator, as the old plan sent it or as someone in the portal would create the policy. */
async function putPolicy(isSyncAllowed: boolean): Promise<number> {
  const url = `${b.emulator.url}/v1.0/policies/crossTenantAccessPolicy/partners/${b.manifest.source.tenantId}/identitySynchronization`;
  const { token } = await b.credentials.target.getToken();
  const body = JSON.stringify({ userSyncInbound: { isSyncAllowed } });
  const r = await fetch(url, { method: "PUT", headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, body });
  return r.status;
}

describe("remediate apply: identitySynchronization", () => {
  it("PATCHes an existing policy that answers 409 to a PUT, and a second apply writes nothing", async () => {
    expect(await putPolicy(true)).toBe(409);
    b.emulator.journal.length = 0;
    const p = await plan();
    expect(p.steps.map((s) => [s.method, s.url.replace(/partners\/.*/, "…"), s.body])).toEqual([
      ["PATCH", "/v1.0/policies/crossTenantAccessPolicy/…", { userSyncInbound: { isSyncAllowed: true } }],
    ]);
    const first = await apply();
    expect(first.result.steps.map((s) => s.status)).toEqual(["applied"]);
    expect(syncWrites().map((w) => [w.method, w.status])).toEqual([["PATCH", 204]]);
    expect(policy()).toMatchObject({ displayName: "Contoso", userSyncInbound: { isSyncAllowed: true } });
    const again = await apply();
    expect(again.result.writes).toBe(0);
    expect(again.result.steps.map((s) => s.status)).toEqual(["in-effect"]);
    expect(syncWrites()).toHaveLength(1);
  }, 60_000);

  it("PUTs a policy that does not exist after the live read's 404, and undo deletes it", async () => {
    b.emulator.state.data["target.identitySynchronization"] = null;
    const p = await plan();
    expect(p.steps[0]).toMatchObject({ method: "PUT", upsert: { existed: false } });
    await apply();
    const reads = b.emulator.journal.filter((e) => e.method === "GET" && e.path.includes("/identitySynchronization"));
    expect(reads[0]?.status).toBe(404);
    expect(syncWrites().map((w) => [w.method, w.status])).toEqual([["PUT", 204]]);
    expect(policy()).toMatchObject({ displayName: "Contoso", userSyncInbound: { isSyncAllowed: true } });
    const undo = await apply(path.join(b.dir, "plan.undo.json"));
    expect(undo.result.steps.map((s) => s.status)).toEqual(["applied"]);
    expect(syncWrites().map((w) => w.method)).toEqual(["PUT", "DELETE"]);
    expect(policy()).toBeNull();
  }, 60_000);

  it("follows the live read when the snapshot said the policy exists but it is gone, and journals why", async () => {
    await plan();
    b.emulator.state.data["target.identitySynchronization"] = null;
    const r = await apply();
    expect(r.result.steps[0]).toMatchObject({ status: "applied", detail: expect.stringContaining("live read answered 404: PUT creates it") });
    expect(syncWrites().map((w) => [w.method, w.status])).toEqual([["PUT", 204]]);
    const [intent] = await intents();
    expect(intent).toMatchObject({ request: { method: "PUT" }, note: expect.stringContaining("404") });
    expect(policy()?.userSyncInbound?.isSyncAllowed).toBe(true);
  }, 60_000);

  it("follows the live read when the snapshot said no policy but one was created since: PATCH, no 409", async () => {
    b.emulator.state.data["target.identitySynchronization"] = null;
    await plan();
    // Someone creates the policy (still disabled) after the plan was made.
    expect(await putPolicy(false)).toBe(204);
    const r = await apply();
    expect(r.result.steps[0]).toMatchObject({ status: "applied", detail: expect.stringContaining("PATCH the changed properties") });
    expect(syncWrites().map((w) => [w.method, w.status])).toEqual([
      ["PUT", 204],
      ["PATCH", 204],
    ]);
    expect((await intents())[0]).toMatchObject({ request: { method: "PATCH" }, note: expect.stringContaining("live read found one") });
    expect(policy()?.userSyncInbound?.isSyncAllowed).toBe(true);
  }, 60_000);

  it("a v1.0 PATCH and its undo keep the beta-only groupSyncInbound", async () => {
    policy()!.groupSyncInbound = { isSyncAllowed: true };
    const p = await plan();
    expect(p.steps[0]).toMatchObject({ version: "v1.0", body: { userSyncInbound: { isSyncAllowed: true } } });
    await apply();
    expect(policy()).toMatchObject({ userSyncInbound: { isSyncAllowed: true }, groupSyncInbound: { isSyncAllowed: true } });
    const undoFile = path.join(b.dir, "plan.undo.json");
    const undoPlan = JSON.parse(await readFile(undoFile, "utf8")) as Plan;
    expect(undoPlan.steps.map((s) => [s.method, s.version, s.body])).toEqual([["PATCH", "v1.0", { userSyncInbound: { isSyncAllowed: false } }]]);
    const undo = await apply(undoFile);
    expect(undo.result.steps.map((s) => s.status)).toEqual(["applied"]);
    expect(policy()).toMatchObject({ displayName: "Contoso", userSyncInbound: { isSyncAllowed: false }, groupSyncInbound: { isSyncAllowed: true } });
    expect(syncWrites().map((w) => w.method)).toEqual(["PATCH", "PATCH"]);
  }, 60_000);
});
