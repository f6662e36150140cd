// Issue 18.9 on contoso-fabrikam: restarts and per-user changes need their flag; plan.md reviews risk and warnings.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runPlan } from "../../src/cli/remediate.js";
import type { Plan } from "../../src/remediate/types.js";
import { benchEach, quiet } from "./helpers.js";

const b = benchEach("contoso-fabrikam");

const plan = (extra: Record<string, unknown> = {}): Promise<Plan> =>
  runPlan({ ...quiet, snapshot: b.scenarioDir, out: path.join(b.dir, "plan.json"), allowTenantWide: false, ...extra });
const review = () => readFile(path.join(b.dir, "plan.md"), "utf8");

describe("plan.md and the plan's risk flags", () => {
  it("leaves out the resetting restart and the SMS change unless asked, and says which flag brings each in", async () => {
    const p = await plan();
    expect(p.steps.some((s) => s.url.endsWith("/restart"))).toBe(false);
    expect(p.steps.some((s) => s.url.startsWith("/v1.0/users/"))).toBe(false);
    expect(p.notPlanned).toContainEqual({ ruleId: "job-quarantined", reason: expect.stringContaining("--allow-restart") });
    expect(p.notPlanned).toContainEqual({ ruleId: "sms-sign-in-users-skipped", reason: expect.stringContaining("--include-user-changes") });
    expect(p.options).toMatchObject({ allowRestart: false, includeUserChanges: false });
    const md = await review();
    expect(md).toContain("job restarts left out, per-user changes left out");
    expect(md).not.toContain("IRREVERSIBLE");
  });

  it("with --allow-restart the restart is marked irreversible, and restarting while guest invitations stay blocked is a warning", async () => {
    const p = await plan({ allowRestart: true, includeUserChanges: true });
    const restart = p.steps.find((s) => s.url.endsWith("/restart"))!;
    expect(restart).toBeDefined();
    expect(p.steps.some((s) => s.url.includes("/disableSmsSignIn"))).toBe(true);
    const md = await review();
    expect(md).toContain(`### ${restart.id} — IRREVERSIBLE`);
    expect(md).toMatch(/forces a full initial cycle .* drops the escrows/);
    // The tenant-wide invitation fix is not planned without --allow-tenant-wide, so the restart's cycle meets it.
    expect(p.notPlanned.map((n) => n.ruleId)).toContain("guest-invitations-blocked");
    expect(md).toContain(`Step ${restart.id} restarts the job while guest-invitations-blocked still fails`);
    // Every step is in the review with its request and effect.
    for (const s of p.steps) expect(md).toContain(`\`${s.method} ${s.url}\``);
    expect(md.match(/^- Effect: /gm)).toHaveLength(p.steps.length);
  });

  it("no warning once the blocking failure is planned too", async () => {
    const p = await plan({ allowRestart: true, includeUserChanges: true, allowTenantWide: true });
    expect(p.notPlanned.map((n) => n.ruleId)).not.toContain("guest-invitations-blocked");
    const md = await review();
    expect(md).not.toContain("guest-invitations-blocked still fails");
  });
});
