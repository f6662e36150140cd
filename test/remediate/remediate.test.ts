// remediate plan → apply → diagnose on the bundled broken pair, through the CLI, the real Graph client and the emulator.
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { runApply, runPlan } from "../../src/cli/remediate.js";
import { SimulatedCrash } from "../../src/remediate/apply.js";
import type { JournalEntry } from "../../src/remediate/journal.js";
import type { Plan } from "../../src/remediate/types.js";
import type { Report } from "../../src/report/model.js";
import { readManifest } from "../../src/snapshot/store.js";
import { scenarioDir } from "../helpers/pair.js";
import { bench, benchEach, quiet, writesSeen } from "./helpers.js";

const POLICY_RULES = ["source-outbound-auto-redeem-disabled", "target-inbound-auto-redeem-disabled", "target-inbound-sync-disabled"];
const REMEDIATED = [...POLICY_RULES, "job-quarantined", "sms-sign-in-users-skipped", "pending-acceptance-upn-stale", "connection-test-failed"];

async function readJournal(file: string): Promise<JournalEntry[]> {
  return (await readFile(file, "utf8"))
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as JournalEntry);
}

async function cli(args: string[]): Promise<number> {
  return main([...args, "--quiet"]);
}

const b = benchEach();

describe("remediate on contoso-fabrikam", () => {
  it("plan, apply --yes, then diagnose: the remediated rules pass and the connection test succeeds", async () => {
    const plan = path.join(b.dir, "plan.json");
    // The scenario's own window (2025): it holds its provisioning logs, as a live tenant's recent logs would be.
    const { window } = await readManifest(scenarioDir("contoso-fabrikam"));
    const since = ["--since", window.since, "--until", window.until];
    expect(await cli(["remediate", "plan", "--config", b.configFile, "--out", plan, "--allow-restart", "--include-user-changes", ...since])).toBe(0);
    const written = JSON.parse(await readFile(plan, "utf8")) as Plan;
    // Nothing ran while planning: only reads and the connection test.
    expect(writesSeen(b.emulator)).toEqual([]);
    expect(written.steps.map((s) => s.ruleIds[0])).toEqual([...POLICY_RULES, "sms-sign-in-users-skipped", "job-quarantined", "pending-acceptance-upn-stale"]);
    for (const s of written.steps) {
      expect(s.permission).toMatch(/\./);
      expect(s.summary.length).toBeGreaterThan(10);
      expect(s.precondition.length).toBeGreaterThan(0);
    }
    const source = written.steps[0]!;
    expect(source).toMatchObject({
      tenant: "source",
      tenantId: b.manifest.source.tenantId,
      method: "PATCH",
      url: `/v1.0/policies/crossTenantAccessPolicy/partners/${b.manifest.target.tenantId}`,
      body: { automaticUserConsentSettings: { inboundAllowed: null, outboundAllowed: true } },
      permission: "Policy.ReadWrite.CrossTenantAccess",
    });
    expect(source.precondition).toContainEqual({ path: "automaticUserConsentSettings.outboundAllowed", equals: null });
    const onDemand = written.steps.find((s) => s.url.endsWith("/provisionOnDemand"))!;
    expect(onDemand.body).toEqual({ parameters: [{ ruleId: expect.any(String), subjects: [{ objectId: expect.any(String), objectTypeName: "User" }] }] });
    // The tenant-wide guest setting is left out unless asked for.
    expect(written.notPlanned).toContainEqual({ ruleId: "guest-invitations-blocked", reason: expect.stringContaining("--allow-tenant-wide") });

    expect(await cli(["remediate", "apply", plan, "--yes", ...since])).toBe(0);
    const journal = await readJournal(path.join(b.dir, "journal.jsonl"));
    const writes = writesSeen(b.emulator);
    expect(writes).toHaveLength(written.steps.length);
    expect(writes.every((w) => w.status >= 200 && w.status < 300)).toBe(true);
    // Every write the server saw is journaled (intent before, outcome with the Graph request-id after).
    for (const w of writes) {
      const intent = journal.find((e) => e.type === "intent" && e.clientRequestId === w.clientRequestId);
      expect(intent, w.path).toBeDefined();
      const outcome = journal.find((e) => e.type === "outcome" && e.step === intent!.step);
      expect(outcome).toMatchObject({ ok: true, requestId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    }
    const first = journal.find((e) => e.type === "outcome" && e.step === source.id) as Extract<JournalEntry, { type: "outcome" }>;
    expect(first.after).toMatchObject({ "automaticUserConsentSettings.outboundAllowed": true });
    expect(journal.find((e) => e.type === "intent" && e.step === source.id)).toMatchObject({
      before: { "automaticUserConsentSettings.outboundAllowed": null },
    });

    const out = path.join(b.dir, "after");
    await cli(["diagnose", "--config", b.configFile, "--out", out, "--format", "json", ...since]);
    const report = JSON.parse(await readFile(path.join(out, "report.json"), "utf8")) as Report;
    for (const id of REMEDIATED) expect(report.results.find((r) => r.ruleId === id)?.status, id).toBe("pass");
    const test = JSON.parse(await readFile(path.join(out, "snapshot", "source", "connectionTest.json"), "utf8"));
    expect(test).toMatchObject({ ok: true, status: 204 });
  }, 60_000);

  it("an action the service accepted is not sent again while its effect is not visible yet", async () => {
    const plan = path.join(b.dir, "plan.json");
    await runPlan(
      { ...quiet, config: b.configFile, out: plan, allowTenantWide: false, allowRestart: true, includeUserChanges: true },
      {
        readCredentials: b.credentials,
      },
    );
    const users = b.emulator.state.data["target.users"] as { id: string; userPrincipalName?: string | null }[];
    const before = new Map(users.map((u) => [u.id, u.userPrincipalName]));
    await runApply({ ...quiet, plan, yes: true, allowReadCredentials: false, verify: false });
    // The real service provisions on demand asynchronously: put the old UPN back, as a read right after would show.
    for (const u of users) u.userPrincipalName = before.get(u.id) ?? u.userPrincipalName ?? null;
    const onDemandBefore = writesSeen(b.emulator).filter((w) => w.path.endsWith("/provisionOnDemand")).length;
    const again = await runApply({ ...quiet, plan, yes: true, allowReadCredentials: false, verify: false });
    expect(writesSeen(b.emulator).filter((w) => w.path.endsWith("/provisionOnDemand"))).toHaveLength(onDemandBefore);
    const step = again.result.steps.find((s) => s.id.includes("pending-acceptance"));
    expect(step).toMatchObject({ status: "in-effect", detail: expect.stringContaining("accepted by the service") });
  });

  it("applying the same plan again makes no write", async () => {
    const plan = path.join(b.dir, "plan.json");
    await runPlan(
      { ...quiet, config: b.configFile, out: plan, allowTenantWide: false, allowRestart: true, includeUserChanges: true },
      {
        readCredentials: b.credentials,
      },
    );
    const first = await runApply({ ...quiet, plan, yes: true, allowReadCredentials: false, verify: true });
    expect(first.result.steps.every((s) => s.status === "applied")).toBe(true);
    expect(first.verification?.stillFailing).toEqual([]);
    const before = writesSeen(b.emulator).length;
    const again = await runApply({ ...quiet, plan, yes: true, allowReadCredentials: false, verify: true });
    expect(again.result.writes).toBe(0);
    expect(again.result.steps.map((s) => s.status)).toEqual(again.result.steps.map(() => "in-effect"));
    expect(writesSeen(b.emulator)).toHaveLength(before);
    expect(again.exitCode).toBe(0);
  }, 60_000);

  it("an apply killed midway and re-run completes without sending any request twice", async () => {
    const plan = path.join(b.dir, "plan.json");
    const made = await runPlan(
      { ...quiet, config: b.configFile, out: plan, allowTenantWide: true, allowRestart: true, includeUserChanges: true },
      {
        readCredentials: b.credentials,
      },
    );
    // Killed right after the third write was answered, before its outcome reached the journal.
    await expect(runApply({ ...quiet, plan, yes: true, allowReadCredentials: false, verify: false }, { crashAfterWrites: 3 })).rejects.toBeInstanceOf(
      SimulatedCrash,
    );
    const journalFile = path.join(b.dir, "journal.jsonl");
    const afterCrash = await readJournal(journalFile);
    expect(afterCrash.filter((e) => e.type === "intent")).toHaveLength(3);
    expect(afterCrash.filter((e) => e.type === "outcome")).toHaveLength(2);

    const rerun = await runApply({ ...quiet, plan, yes: true, allowReadCredentials: false, verify: true });
    expect(rerun.result.steps[2]).toMatchObject({ status: "in-effect", detail: expect.stringContaining("interrupted run") });
    expect(rerun.result.steps.slice(3).every((s) => s.status === "applied")).toBe(true);
    const writes = writesSeen(b.emulator);
    expect(writes).toHaveLength(made.steps.length);
    expect(new Set(writes.map((w) => `${w.method} ${w.path}`)).size).toBe(made.steps.length);
    expect(rerun.verification?.stillFailing).toEqual([]);
    // The journal is append-only: the crashed run's entries are still first.
    expect((await readJournal(journalFile)).slice(0, afterCrash.length)).toEqual(afterCrash);
  }, 60_000);

  it("a POST whose connection drops is not replayed blindly: the re-run reads the state, then sends it once more", async () => {
    const plan = path.join(b.dir, "plan.json");
    await runPlan(
      { ...quiet, config: b.configFile, out: plan, allowTenantWide: false, allowRestart: true, includeUserChanges: true },
      {
        readCredentials: b.credentials,
      },
    );
    b.emulator.addFaults([{ method: "POST", path: "/restart", reset: true }]);
    const first = await runApply({ ...quiet, plan, yes: true, allowReadCredentials: false, verify: false });
    const restart = first.result.steps.find((s) => s.id.endsWith("job-quarantined"))!;
    expect(restart.status).toBe("failed");
    // The client did not retry the POST on its own.
    expect(writesSeen(b.emulator).filter((w) => w.path.endsWith("/restart"))).toHaveLength(1);
    const second = await runApply({ ...quiet, plan, yes: true, allowReadCredentials: false, verify: false });
    expect(second.result.steps.find((s) => s.id === restart.id)?.status).toBe("applied");
    expect(second.result.writes).toBe(1);
    expect(
      writesSeen(b.emulator)
        .filter((w) => w.path.endsWith("/restart"))
        .map((w) => w.status),
    ).toEqual([0, 204]);
  }, 60_000);

  it("skips and reports a step whose precondition no longer holds (drift)", async () => {
    const plan = path.join(b.dir, "plan.json");
    await runPlan(
      {
        ...quiet,
        config: b.configFile,
        out: plan,
        allowTenantWide: false,
        allowRestart: true,
        includeUserChanges: true,
        rules: "source-outbound-auto-redeem-disabled,target-inbound-sync-disabled",
      },
      { readCredentials: b.credentials },
    );
    // Someone changed the target's sync policy after the plan was made (still not allowed, but not what the plan read).
    b.emulator.state.data["target.identitySynchronization"]!.userSyncInbound = { isSyncAllowed: null };
    const r = await runApply({ ...quiet, plan, yes: true, allowReadCredentials: false, verify: false });
    expect(r.result.steps.map((s) => s.status)).toEqual(["applied", "drift"]);
    expect(r.result.steps[1]!.detail).toContain("userSyncInbound.isSyncAllowed = null (expected false)");
    expect(writesSeen(b.emulator).map((w) => w.method)).toEqual(["PATCH"]);
    expect(r.exitCode).toBe(1);
  }, 60_000);

  it("writes an undo plan that restores the policies it changed", async () => {
    const plan = path.join(b.dir, "plan.json");
    await runPlan(
      { ...quiet, config: b.configFile, out: plan, allowTenantWide: true, rules: POLICY_RULES.join(",") + ",guest-invitations-blocked" },
      {
        readCredentials: b.credentials,
      },
    );
    await runApply({ ...quiet, plan, yes: true, allowReadCredentials: false, verify: false });
    const undoFile = path.join(b.dir, "plan.undo.json");
    expect(existsSync(undoFile)).toBe(true);
    const undo = JSON.parse(await readFile(undoFile, "utf8")) as Plan;
    // Every undo PATCHes the changed properties back; none replaces a whole document.
    expect(undo.steps.map((s) => s.method)).toEqual(["PATCH", "PATCH", "PATCH", "PATCH"]);
    expect(undo.steps.find((s) => s.url.endsWith("/identitySynchronization"))?.body).toEqual({ userSyncInbound: { isSyncAllowed: false } });
    await runApply({ ...quiet, plan: undoFile, yes: true, allowReadCredentials: false, verify: false });
    const data = b.emulator.state.data;
    expect(data["source.partner"]?.automaticUserConsentSettings?.outboundAllowed).toBeNull();
    expect(data["target.partner"]?.automaticUserConsentSettings?.inboundAllowed).toBeNull();
    expect(data["target.identitySynchronization"]?.userSyncInbound?.isSyncAllowed).toBe(false);
    expect(data["target.authorizationPolicy"]?.allowInvitesFrom).toBe("none");
  }, 60_000);

  it("refuses without a terminal unless --yes, and without remediation credentials unless allowed", async () => {
    const plan = path.join(b.dir, "plan.json");
    await runPlan({ ...quiet, snapshot: b.scenarioDir, out: plan, allowTenantWide: false, allowRestart: true, includeUserChanges: true });
    await expect(runApply({ ...quiet, plan, config: b.configFile, yes: false, allowReadCredentials: false, verify: false })).rejects.toThrow(/--yes/);
    const readOnly = await bench("contoso-fabrikam", false);
    try {
      await expect(runApply({ ...quiet, plan, config: readOnly.configFile, yes: true, allowReadCredentials: false, verify: false })).rejects.toThrow(
        /remediation\.auth.*--allow-read-credentials/,
      );
      const r = await runApply({ ...quiet, plan, config: readOnly.configFile, yes: true, allowReadCredentials: true, verify: false, maxChanges: 2 });
      expect(r.result.writes).toBe(2);
      expect(r.result.steps.filter((s) => s.status === "max-changes").length).toBe(r.result.steps.length - 2);
    } finally {
      await readOnly.close();
    }
    expect(writesSeen(b.emulator)).toEqual([]);
  }, 60_000);
});
