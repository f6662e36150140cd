// Plans on the paused-sync-all pair: fixes touching one resource merge into one request; options shape the plan.
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { runApply, runPlan } from "../../src/cli/remediate.js";
import type { Plan } from "../../src/remediate/types.js";
import { bench, quiet, writesSeen, type Bench } from "./helpers.js";

let b: Bench;
beforeEach(async () => {
  // The commands print machine output (paths, step ids) on stdout; keep the test log readable.
  vi.spyOn(process.stdout, "write").mockImplementation(() => true);
  b = await bench("paused-sync-all");
});
afterEach(async () => {
  vi.restoreAllMocks();
  await b.close();
  process.exitCode = undefined;
});

const plan = (extra: Record<string, unknown> = {}): Promise<Plan> =>
  runPlan({ ...quiet, snapshot: b.scenarioDir, out: path.join(b.dir, "plan.json"), allowTenantWide: false, ...extra } as never);

describe("remediate plan on paused-sync-all", () => {
  it("merges the notification and deletion fixes into one secrets PUT that keeps every other secret", async () => {
    const p = await plan({ notificationEmail: "idadmins@contoso.com" });
    const secrets = p.steps.filter((s) => s.url.endsWith("/synchronization/secrets"));
    expect(secrets).toHaveLength(1);
    const step = secrets[0]!;
    expect(step.ruleIds.sort()).toEqual(["accidental-deletion-prevention-off", "notification-email-missing"]);
    const value = (step.body as { value: { key: string; value: string }[] }).value;
    expect(value.map((v) => v.key).sort()).toEqual(["AuthenticationType", "CompanyId", "SyncAll", "SyncNotificationSettings"]);
    expect(JSON.parse(value.find((v) => v.key === "SyncNotificationSettings")!.value)).toEqual({
      Enabled: true,
      Recipients: "idadmins@contoso.com",
      DeleteThresholdEnabled: true,
      DeleteThresholdValue: 500,
      HumanResourcesLookaheadQueryEnabled: false,
    });
    // Each secret sent back must still be what was read.
    expect(step.precondition).toContainEqual({ path: "value[key=SyncAll].value", equals: "true" });
    const group = p.steps.find((s) => s.ruleIds.includes("target-group-sync-inbound-disabled"))!;
    expect(group).toMatchObject({ method: "PUT", version: "beta", body: { displayName: "Contoso", userSyncInbound: { isSyncAllowed: true }, groupSyncInbound: { isSyncAllowed: true } } });
    const start = p.steps.find((s) => s.ruleIds.includes("job-not-running"));
    expect(start?.url).toMatch(/\/start$/);
    // A started job reads schedule Active with status NotRun until its first cycle (configure-graph, Step 13).
    expect(start?.effect).toEqual([{ path: "schedule.state", equals: "Active" }]);
    // Ordered: policies, then settings, then the job.
    expect(p.steps.map((s) => s.ruleIds[0])).toEqual(["target-group-sync-inbound-disabled", "accidental-deletion-prevention-off", "job-not-running"]);
  });

  it("says why a fix is not planned, and --rules keeps only the named rules", async () => {
    const p = await plan();
    expect(p.notPlanned).toContainEqual({ ruleId: "notification-email-missing", reason: expect.stringContaining("--notification-email") });
    expect(p.notPlanned).toContainEqual({ ruleId: "matching-attribute-changed", reason: expect.stringContaining("no automatic fix") });
    const only = await plan({ rules: "job-not-running" });
    expect(only.steps.map((s) => s.ruleIds)).toEqual([["job-not-running"]]);
    await expect(plan({ rules: "no-such-rule" })).rejects.toThrow(/unknown rule no-such-rule/);
  });

  it("applies and verifies: the job runs, notifications and the deletion threshold are on, groups sync in", async () => {
    const p = await plan({ notificationEmail: "idadmins@contoso.com" });
    const r = await runApply({ ...quiet, plan: path.join(b.dir, "plan.json"), config: b.configFile, yes: true, allowReadCredentials: false, verify: true } as never);
    expect(r.result.steps.map((s) => s.status)).toEqual(p.steps.map(() => "applied"));
    expect(writesSeen(b.emulator)).toHaveLength(3);
    expect(r.verification?.stillFailing).toEqual([]);
    for (const id of ["job-not-running", "notification-email-missing", "accidental-deletion-prevention-off", "target-group-sync-inbound-disabled"]) {
      expect(r.verification?.lines).toContain(`${id}: fail → pass`);
    }
  }, 60_000);
});
