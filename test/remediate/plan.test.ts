// Plans on the paused-sync-all pair: fixes touching one resource merge into one request; options shape the plan.
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runApply, runPlan } from "../../src/cli/remediate.js";
import { describePlan } from "../../src/remediate/plan.js";
import type { Plan } from "../../src/remediate/types.js";
import { benchEach, quiet, writesSeen } from "./helpers.js";

const b = benchEach("paused-sync-all");

const plan = (extra: Record<string, unknown> = {}): Promise<Plan> =>
  runPlan({ ...quiet, snapshot: b.scenarioDir, out: path.join(b.dir, "plan.json"), allowTenantWide: false, ...extra });

describe("remediate plan on paused-sync-all", () => {
  it("merges the notification and deletion fixes into one secrets PUT whose body is built at apply time", async () => {
    const p = await plan({ notificationEmail: "idadmins@contoso.com" });
    const secrets = p.steps.filter((s) => s.url.endsWith("/synchronization/secrets"));
    expect(secrets).toHaveLength(1);
    const step = secrets[0]!;
    expect(step.ruleIds.sort()).toEqual(["accidental-deletion-prevention-off", "notification-email-missing"]);
    // The PUT replaces every secret and the snapshot keeps only some: the plan holds the change, never a body.
    expect(step.body).toBeUndefined();
    expect(step.secrets).toEqual({
      key: "SyncNotificationSettings",
      set: { Enabled: true, Recipients: "idadmins@contoso.com", DeleteThresholdEnabled: true, DeleteThresholdValue: 500 },
    });
    expect(step.read).toEqual({ tenant: "source", version: "beta", path: step.path, fallbackVersion: "v1.0" });
    // Still the configuration for the target, and each property changed is still what the plan read.
    expect(step.precondition).toContainEqual({ path: "value[key=CompanyId].value", equals: p.target.tenantId });
    expect(step.precondition).toContainEqual({ path: "value[key=SyncNotificationSettings].value.$json.Enabled", equals: false });
    expect(step.precondition).toContainEqual({ path: "value[key=SyncNotificationSettings].value.$json.DeleteThresholdValue", equals: 500 });
    expect(step.precondition.some((c) => c.path.includes("SyncAll"))).toBe(false);
    const group = p.steps.find((s) => s.ruleIds.includes("target-group-sync-inbound-disabled"))!;
    // The policy exists: PATCH only what changes (user sync is already allowed), on beta for groupSyncInbound.
    expect(group).toMatchObject({ method: "PATCH", version: "beta", body: { groupSyncInbound: { isSyncAllowed: true } } });
    expect(group.body).not.toHaveProperty("userSyncInbound");
    expect(group.upsert).toEqual({
      existed: true,
      createBody: { displayName: "Contoso", userSyncInbound: { isSyncAllowed: true }, groupSyncInbound: { isSyncAllowed: true } },
    });
    const start = p.steps.find((s) => s.ruleIds.includes("job-not-running"));
    expect(start?.url).toMatch(/\/start$/);
    // A started job reads schedule Active with status NotRun until its first cycle (configure-graph, Step 13).
    expect(start?.effect).toEqual([{ path: "schedule.state", equals: "Active" }]);
    // Ordered: policies, then settings, then the job.
    expect(p.steps.map((s) => s.ruleIds[0])).toEqual(["target-group-sync-inbound-disabled", "accidental-deletion-prevention-off", "job-not-running"]);
    // What apply decides from the live read is shown to the person approving.
    const lines = describePlan(p).join("\n");
    expect(lines).toContain(
      "PATCH /beta/policies/crossTenantAccessPolicy/partners/1fd6544e-e994-4de2-9f1b-787b51c7d325/identitySynchronization (PUT instead if the live read answers 404)",
    );
    expect(lines).toContain(
      "/synchronization/secrets (every live secret sent back; SyncNotificationSettings DeleteThresholdEnabled, DeleteThresholdValue, Enabled, Recipients changed)",
    );
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
    const r = await runApply({
      ...quiet,
      plan: path.join(b.dir, "plan.json"),
      config: b.configFile,
      yes: true,
      allowReadCredentials: false,
      verify: true,
    });
    expect(r.result.steps.map((s) => s.status)).toEqual(p.steps.map(() => "applied"));
    expect(writesSeen(b.emulator)).toHaveLength(3);
    expect(r.verification?.stillFailing).toEqual([]);
    for (const id of ["job-not-running", "notification-email-missing", "accidental-deletion-prevention-off", "target-group-sync-inbound-disabled"]) {
      expect(r.verification?.lines).toContain(`${id}: fail → pass`);
    }
  }, 60_000);
});
