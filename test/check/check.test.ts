// check through the emulator over real HTTP: changes between two runs in every format, waivers, --fail-on-new, baselines.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { startEmulator, type Emulator } from "../../src/emulator/index.js";
import type { Report } from "../../src/report/model.js";
import type { Waiver } from "../../src/waivers/waivers.js";
import { scenarioDir } from "../helpers/pair.js";
import { S, T, check, pairsConfig, tempDir, tenantBlock } from "./helpers.js";

/** A user in scope whose SMS sign-in is not enabled in the scenario (so enabling it makes them newly skipped). */
const NEWLY_SKIPPED = "2f0fd319-3a35-460d-af17-b083ac7ef568";
const JOB = "Azure2Azure.1fd6544ee9944de29f1b787b51c7d325.4a12efe6-aa14-4d03-8dff-88fc89e2e2ad";

let emulator: Emulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

async function setup() {
  emulator = await startEmulator({ snapshotDir: scenarioDir("contoso-fabrikam") });
  const tenants = { contoso: tenantBlock(S, emulator.url), fabrikam: tenantBlock(T, emulator.url) };
  const config = pairsConfig(tenants, [{ name: "contoso-fabrikam", source: "contoso", target: "fabrikam" }]);
  return { em: emulator, tenants, config, out: await tempDir("check-") };
}

/** Between the runs: Fabrikam allows users sync in again, one more user gets SMS sign-in, and the job leaves quarantine. */
function changeTenants(em: Emulator) {
  const sync = em.state.data["target.identitySynchronization"]!;
  sync.userSyncInbound = { isSyncAllowed: true };
  const phones = em.state.data["source.phoneMethods"]!;
  const user = phones.find((p) => p.userId === NEWLY_SKIPPED)!;
  user.value = user.value.map((m) => ({ ...m, smsSignInState: "ready" }));
  const jobs = em.state.data["source.syncJobs"]!;
  for (const list of Object.values(jobs))
    for (const job of list)
      if (job.id === JOB) {
        // Restarted out of quarantine, it has run a cycle since (else job-not-synced-recently sees an idle Active job).
        const cycle = { ...job.status?.lastExecution, state: "Succeeded" as const, error: null, timeEnded: "2025-03-04T10:41:00Z" };
        job.status = { ...job.status, code: "Active", quarantine: null, lastExecution: cycle, lastSuccessfulExecution: cycle };
      }
}

const readReport = async (out: string, pair: string) => JSON.parse(await readFile(path.join(out, pair, "report.json"), "utf8")) as Report;
const section = (html: string, id: string) =>
  html.slice(html.indexOf(`<section aria-labelledby="${id}-heading" id="${id}">`), html.indexOf("</section>", html.indexOf(`id="${id}"`)));
const mdSection = (md: string, heading: string) => md.slice(md.indexOf(heading)).split(/\n### /)[0]!;

describe("check: changes between runs", () => {
  it("two runs with a partner setting fixed and a user newly skipped show the right new and resolved entries in json, md and html", async () => {
    const { em, tenants, config, out } = await setup();
    const first = await check(config, tenants, out);
    expect(first.exitCode).toBe(1);
    const r1 = await readReport(out, "contoso-fabrikam");
    expect(r1.changes?.basis).toBe("none");
    expect(r1.changes?.new.length).toBeGreaterThan(5);
    expect(r1.jobs).toEqual([{ servicePrincipalId: expect.any(String), jobId: JOB, status: "Quarantine" }]);

    changeTenants(em);
    const second = await check(config, tenants, out);
    const r2 = await readReport(out, "contoso-fabrikam");
    const c = r2.changes!;
    expect(c.basis).toBe("history");
    expect(c.previousGeneratedAt).toBe(r1.generatedAt);
    expect(c.new).toEqual([{ ruleId: "sms-sign-in-users-skipped", objectId: NEWLY_SKIPPED, severity: "high" }]);
    expect(c.resolved).toContainEqual({ ruleId: "target-inbound-sync-disabled", objectId: S, severity: "critical" });
    expect(c.resolved).toContainEqual({ ruleId: "job-quarantined", objectId: JOB, severity: "critical" });
    expect(c.persisting).toContainEqual(expect.objectContaining({ ruleId: "sms-sign-in-users-skipped", objectId: "0a9c2f6e-5d4b-4c3a-8b1e-2f7d6c5b4a39" }));
    expect(c.persisting.length + c.resolved.length).toBe(r1.changes!.new.length);
    expect(c.jobs).toEqual([{ jobId: JOB, from: "Quarantine", to: "Active" }]);
    expect(second.summary.pairs[0]).toMatchObject({
      new: 1,
      resolved: c.resolved.length,
      persisting: c.persisting.length,
      jobTransitions: [`${JOB}: Quarantine → Active`],
    });

    const md = await readFile(path.join(out, "contoso-fabrikam", "report.md"), "utf8");
    expect(md).toContain("## Changes since the previous run");
    expect(md).toContain(`**1 new**, ${c.resolved.length} resolved, ${c.persisting.length} persisting`);
    expect(mdSection(md, "### New (1)")).toContain(`| sms-sign-in-users-skipped | ${NEWLY_SKIPPED} | high |`);
    expect(mdSection(md, `### Resolved (${c.resolved.length})`)).toContain(`| target-inbound-sync-disabled | ${S} | critical |`);
    expect(mdSection(md, "### New (1)")).not.toContain("target-inbound-sync-disabled");
    expect(md).toContain("| Azure2Azure.1fd6544ee9944de29f1b787b51c7d325.4a12efe6-aa14-4d03-8dff-88fc89e2e2ad | Quarantine | Active |");

    const html = await readFile(path.join(out, "contoso-fabrikam", "report.html"), "utf8");
    const changes = section(html, "changes");
    const newTable = changes.slice(changes.indexOf('class="compact changes-new"'), changes.indexOf('class="compact changes-resolved"'));
    const resolvedTable = changes.slice(changes.indexOf('class="compact changes-resolved"'), changes.indexOf("<details>"));
    expect(newTable).toContain(NEWLY_SKIPPED);
    expect(newTable).not.toContain("target-inbound-sync-disabled");
    expect(resolvedTable).toContain("target-inbound-sync-disabled");
    expect(resolvedTable).toContain(S);
    expect(resolvedTable).not.toContain(NEWLY_SKIPPED);
    expect(changes).toContain("Quarantine</td><td>Active");
    expect(html).toContain('<a href="#changes">');
  }, 60_000);

  it("--fail-on-new fails only while something is new; a third unchanged run passes although rules still fail", async () => {
    const { em, tenants, config, out } = await setup();
    await check(config, tenants, out, { failOnNew: true });
    changeTenants(em);
    const second = await check(config, tenants, out, { failOnNew: true });
    expect(second.exitCode).toBe(1);
    const third = await check(config, tenants, out, { failOnNew: true });
    expect(third.reports.get("contoso-fabrikam")!.changes!.new).toEqual([]);
    expect(third.summary.pairs[0]!.verdict).toBe("fail");
    expect(third.exitCode).toBe(0);
    // Only new findings at or above --fail-on count: the new SMS finding is high, so critical ignores it.
    changeTenants(em);
    const phones = em.state.data["source.phoneMethods"]!;
    phones.find((p) => p.userId === "54ca899c-3ce3-447a-91c4-8a229d011c95")!.value[0]!.smsSignInState = "ready";
    const fourth = await check(config, tenants, out, { failOnNew: true, failOn: "critical" });
    expect(fourth.reports.get("contoso-fabrikam")!.changes!.new.map((e) => e.objectId)).toEqual(["54ca899c-3ce3-447a-91c4-8a229d011c95"]);
    expect(fourth.exitCode).toBe(0);
  }, 60_000);

  it("--baseline compares with a saved report.json instead of the history", async () => {
    const { em, tenants, config, out } = await setup();
    await check(config, tenants, out, { historyFile: null });
    const saved = path.join(await tempDir("baseline-"), "report.json");
    await import("node:fs/promises").then((fs) => fs.copyFile(path.join(out, "contoso-fabrikam", "report.json"), saved));
    changeTenants(em);
    const second = await check(config, tenants, out, { historyFile: null, baseline: saved });
    const c = second.reports.get("contoso-fabrikam")!.changes!;
    expect(c.basis).toBe("baseline");
    expect(c.new).toEqual([{ ruleId: "sms-sign-in-users-skipped", objectId: NEWLY_SKIPPED, severity: "high" }]);
    expect(c.resolved).toContainEqual({ ruleId: "target-inbound-sync-disabled", objectId: S, severity: "critical" });
    expect(c.jobs).toEqual([{ jobId: JOB, from: "Quarantine", to: "Active" }]);
    // A previous --out folder works too (its <pair>/report.json is the baseline).
    const third = await check(config, tenants, out, { historyFile: null, baseline: out });
    expect(third.reports.get("contoso-fabrikam")!.changes).toMatchObject({ basis: "baseline", new: [], resolved: [] });
  }, 60_000);
});

describe("check: waivers", () => {
  const now = () => new Date("2026-01-15T12:00:00Z");
  /** A waiver for every rule that fails in the scenario, all valid until the end of 2026. */
  async function waiveAll(out: string, tenants: Parameters<typeof check>[1], config: Parameters<typeof check>[0]): Promise<Waiver[]> {
    const first = await check(config, tenants, out, { historyFile: null, now });
    const failing = first.reports
      .get("contoso-fabrikam")!
      .results.filter((r) => r.status === "fail")
      .map((r) => r.ruleId);
    return failing.map((ruleId) => ({ ruleId, pair: "contoso-fabrikam", reason: `known: ${ruleId}`, owner: "it-ops@contoso.com", expires: "2026-12-31" }));
  }

  it("valid waivers keep the exit code at 0 and show as waived in every format; an expired one fails again and the report says so", async () => {
    const { tenants, config, out } = await setup();
    const waivers = await waiveAll(out, tenants, config);
    const valid = await check(config, tenants, out, { historyFile: null, now, waivers });
    expect(valid.exitCode).toBe(0);
    const report = valid.reports.get("contoso-fabrikam")!;
    expect(report.results.filter((r) => r.status === "fail").every((r) => r.waivedFindings === r.findings.length)).toBe(true);
    expect(valid.summary.pairs[0]).toMatchObject({ verdict: "pass", failsRun: false, expiredWaivers: 0 });
    expect(report.waivers?.applied).toHaveLength(waivers.length);

    const dir = path.join(out, "contoso-fabrikam");
    const read = (f: string) => readFile(path.join(dir, f), "utf8");
    expect(await read("report.md")).toContain("**Waived** — ");
    expect(await read("report.md")).toContain("Overall: Pass");
    expect(await read("report.html")).toContain('<span class="badge waived">waived</span>');
    const sarif = JSON.parse(await read("report.sarif"));
    const results = sarif.runs[0].results.filter((x: { kind: string }) => x.kind === "fail");
    expect(results.length).toBeGreaterThan(0);
    expect(
      results.every(
        (x: { suppressions?: { kind: string; status: string }[] }) => x.suppressions?.[0]?.status === "accepted" && x.suppressions[0].kind === "external",
      ),
    ).toBe(true);
    const junit = await read("report.junit.xml");
    expect(junit).toContain('failures="0"');
    expect(junit).toContain("Waived: ");
    const findingsCsv = await read("findings.csv");
    expect(findingsCsv.split("\r\n")[0]).toContain('"waived","waiverReason","waiverOwner","waiverExpires"');
    expect(findingsCsv).toContain('"yes","known: job-quarantined","it-ops@contoso.com","2026-12-31"');

    // One waiver expired yesterday: its rule counts again.
    const expiring = waivers.map((w) => (w.ruleId === "job-quarantined" ? { ...w, expires: "2026-01-14" } : w));
    const expired = await check(config, tenants, out, { historyFile: null, now, waivers: expiring });
    expect(expired.exitCode).toBe(1);
    const r = expired.reports.get("contoso-fabrikam")!;
    const job = r.results.find((x) => x.ruleId === "job-quarantined")!;
    expect(job.waivedFindings).toBeUndefined();
    expect(job.findings[0]!.waiverExpired).toEqual({ reason: "known: job-quarantined", owner: "it-ops@contoso.com", expires: "2026-01-14" });
    expect(r.waivers?.expired).toEqual([expect.objectContaining({ ruleId: "job-quarantined", expires: "2026-01-14", matched: 1 })]);
    expect(expired.summary.pairs[0]).toMatchObject({ verdict: "fail", failsRun: true, expiredWaivers: 1 });
    expect(await read("report.md")).toContain("**1 expired waiver**");
    expect(await read("report.md")).toContain("**Waiver expired** on 2026-01-14");
    expect(await read("report.html")).toContain("waiver expired");
  }, 60_000);

  it("a waiver naming object ids waives only findings whose objects are all listed", async () => {
    const { tenants, config, out } = await setup();
    const waivers: Waiver[] = [
      {
        ruleId: "sms-sign-in-users-skipped",
        pair: "contoso-fabrikam",
        objectIds: ["0a9c2f6e-5d4b-4c3a-8b1e-2f7d6c5b4a39"],
        reason: "VIP, SMS kept",
        owner: "ciso",
        expires: "2026-06-30",
      },
    ];
    const run = await check(config, tenants, out, { historyFile: null, now, waivers, failOn: "high" });
    const sms = run.reports.get("contoso-fabrikam")!.results.find((r) => r.ruleId === "sms-sign-in-users-skipped")!;
    const waived = sms.findings.filter((f) => f.waived);
    expect(waived.length).toBeGreaterThan(0);
    expect(waived.every((f) => f.objects.every((o) => o.id === "0a9c2f6e-5d4b-4c3a-8b1e-2f7d6c5b4a39"))).toBe(true);
  }, 60_000);
});
