// The secrets PUT is built from the live GET: keys the snapshot never kept survive apply and undo, and no value leaks.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { runApply, runPlan } from "../../src/cli/remediate.js";
import type { Plan } from "../../src/remediate/types.js";
import { bench, quiet, writesSeen, type Bench } from "./helpers.js";

const SP = "c8c95753-f628-48e1-9fab-76c2d4cf624c";
const TOKEN = "scim-token-3f9a7c1e5b2d4f6a8c0e";
const FUTURE = "value-of-a-key-cts-doctor-does-not-know";

let b: Bench;
let logged: string[];
beforeEach(async () => {
  logged = [];
  vi.spyOn(process.stdout, "write").mockImplementation((chunk) => (logged.push(String(chunk)), true));
  vi.spyOn(process.stderr, "write").mockImplementation((chunk) => (logged.push(String(chunk)), true));
  b = await bench("paused-sync-all");
  // Keys the collector never keeps (a credential, a key added after this tool was written), held by the live tenant.
  secrets().push({ key: "SecretToken", value: TOKEN }, { key: "SomeFutureKey", value: FUTURE });
});
afterEach(async () => {
  vi.restoreAllMocks();
  await b.close();
  process.exitCode = undefined;
});

const secrets = () => b.emulator.state.data["source.syncSecrets"]![SP]!;
const secret = (key: string) => secrets().find((s) => s.key === key)?.value;
const settings = () => JSON.parse(secret("SyncNotificationSettings")!) as Record<string, unknown>;
const planFile = () => path.join(b.dir, "plan.json");
const plan = (): Promise<Plan> =>
  runPlan({
    ...quiet,
    snapshot: b.scenarioDir,
    out: planFile(),
    allowTenantWide: false,
    rules: "notification-email-missing",
    notificationEmail: "idadmins@contoso.com",
  });
const apply = (file = planFile()) => runApply({ ...quiet, plan: file, config: b.configFile, yes: true, allowReadCredentials: false, verify: false });
const secretsReads = () => b.emulator.journal.filter((e) => e.method === "GET" && e.path.endsWith("/synchronization/secrets"));

describe("remediate apply: synchronization secrets", () => {
  it("keeps every key the snapshot did not keep through apply and undo, and changes only the owned properties", async () => {
    const p = await plan();
    expect(JSON.stringify(p)).not.toContain("SyncAll");
    const before = structuredClone(secrets());
    const r = await apply();
    expect(r.result.steps.map((s) => s.status)).toEqual(["applied"]);
    expect(secrets().map((s) => s.key)).toEqual(before.map((s) => s.key));
    for (const key of ["AuthenticationType", "CompanyId", "SyncAll", "SecretToken", "SomeFutureKey"])
      expect(secret(key), key).toBe(before.find((s) => s.key === key)?.value);
    // Within the owned JSON only the fix's properties changed; the others are as they were.
    expect(settings()).toEqual({
      Enabled: true,
      Recipients: "idadmins@contoso.com",
      DeleteThresholdEnabled: false,
      DeleteThresholdValue: 500,
      HumanResourcesLookaheadQueryEnabled: false,
    });
    // The body came from the published beta GET.
    expect(secretsReads()[0]?.path).toMatch(/^\/beta\//);

    const undo = await apply(path.join(b.dir, "plan.undo.json"));
    expect(undo.result.steps.map((s) => s.status)).toEqual(["applied"]);
    expect(secrets()).toEqual(before.map((s) => (s.key === "SyncNotificationSettings" ? { key: s.key, value: JSON.stringify(settingsOf(s.value)) } : s)));
    expect(writesSeen(b.emulator).map((w) => w.method)).toEqual(["PUT", "PUT"]);
  }, 60_000);

  it("writes no secret value of a key it does not own to the journal, the undo plan or the output", async () => {
    await plan();
    await apply();
    await apply(path.join(b.dir, "plan.undo.json"));
    const journal = await readFile(path.join(b.dir, "journal.jsonl"), "utf8");
    const undoPlan = await readFile(path.join(b.dir, "plan.undo.json"), "utf8");
    for (const text of [journal, undoPlan, logged.join("")]) {
      expect(text).not.toContain(TOKEN);
      expect(text).not.toContain(FUTURE);
    }
    // The journal still shows which keys were sent, and the owned key as it was written.
    const intent = journal
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l))
      .find((e) => e.type === "intent");
    expect(intent.request.body.value.map((s: { key: string }) => s.key)).toContain("SomeFutureKey");
    expect(intent.request.body.value.find((s: { key: string }) => s.key === "SecretToken").value).toBe("[redacted]");
    expect(intent.request.body.value.find((s: { key: string }) => s.key === "SyncNotificationSettings").value).toContain("idadmins@contoso.com");
  }, 60_000);

  it("reads v1.0 when the beta GET fails, and refuses the step when neither can be read", async () => {
    await plan();
    b.emulator.addFaults([{ method: "GET", path: "/synchronization/secrets", status: 405, times: 1 }]);
    const fallback = await apply();
    expect(fallback.result.steps.map((s) => s.status)).toEqual(["applied"]);
    expect(
      secretsReads()
        .slice(0, 2)
        .map((e) => [e.path.split("/")[1], e.status]),
    ).toEqual([
      ["beta", 405],
      ["v1.0", 200],
    ]);
    expect(secret("SomeFutureKey")).toBe(FUTURE);

    b.emulator.journal.length = 0;
    b.emulator.addFaults([{ method: "GET", path: "/synchronization/secrets", status: 405, times: Infinity }]);
    const refused = await apply(path.join(b.dir, "plan.undo.json"));
    expect(refused.result.steps[0]).toMatchObject({ status: "refused", detail: expect.stringMatching(/beta: 405.*v1\.0: 405.*never sent from the snapshot/) });
    expect(writesSeen(b.emulator)).toEqual([]);
    expect(refused.exitCode).toBe(1);
  }, 60_000);

  it("refuses to send back a value the GET masks", async () => {
    await plan();
    secrets().push({ key: "Password", value: "****" });
    const r = await apply();
    expect(r.result.steps[0]).toMatchObject({ status: "refused", detail: expect.stringContaining("masks Password") });
    expect(writesSeen(b.emulator)).toEqual([]);
  }, 60_000);
});

const settingsOf = (raw: string) => JSON.parse(raw) as Record<string, unknown>;
