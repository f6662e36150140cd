// The latest outcome of each failed object, read through the emulator: bounded requests, grouped filters, 400 fallback.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { generatePair } from "../../bench/generate.js";
import { analyzeSnapshot } from "../../src/app/analyze.js";
import { DIRECT_GROUPS, OUTCOME_GROUP } from "../../src/collect/log-outcomes.js";
import { collect } from "../../src/collect/run.js";
import { fakeToken, parseFault, startEmulator, type Emulator, type EmulatorOptions } from "../../src/emulator/index.js";
import { StaticTokenCredential } from "../../src/graph/auth.js";
import { createTenantLimits, withTenantLimits } from "../../src/graph/client.js";
import { RatePacer } from "../../src/graph/limiter.js";
import { redactSnapshot } from "../../src/snapshot/redact.js";
import type { ProvisioningLogEntry } from "../../src/snapshot/graph-types.js";
import { readFacet, readManifest, writeManifest } from "../../src/snapshot/store.js";
import { latestAfterFirstProblem } from "../helpers/outcomes.js";
import { scenarioDir } from "../helpers/pair.js";

const SCENARIO = "busy-transient-cleared";
const dirs: string[] = [];
afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

const collectBusy = (options: Omit<EmulatorOptions, "snapshotDir"> = {}) => collectFrom(scenarioDir(SCENARIO), options);

/**
 * Collect `snapshotDir` served by the emulator. `fastReports` lifts the client's reports pacer (5 per 10 s), for tests
 * whose many log pages are about which requests are made, not when.
 */
async function collectFrom(snapshotDir: string, options: Omit<EmulatorOptions, "snapshotDir">, fastReports = false): Promise<{ out: string; em: Emulator }> {
  const manifest = await readManifest(snapshotDir);
  const em = await startEmulator({ snapshotDir, ...options });
  const out = await mkdtemp(path.join(tmpdir(), "cts-outcomes-"));
  dirs.push(out);
  try {
    const tenant = (side: "source" | "target") => ({
      tenantId: manifest[side].tenantId,
      cloud: manifest[side].cloud,
      graphEndpoint: em.url,
      auth: { method: "access-token" as const, tokenEnv: "UNUSED" },
    });
    await collect({ source: tenant("source"), target: tenant("target") }, path.join(out, "snapshot"), {
      since: new Date(manifest.window.since),
      until: new Date(manifest.window.until),
      connectionTest: false,
      credentials: {
        source: credential(manifest.source.tenantId, fastReports),
        target: credential(manifest.target.tenantId, fastReports),
      },
      retry: { baseDelayMs: 5, maxDelayMs: 50 },
    });
  } finally {
    await em.close();
  }
  return { out, em };
}

function credential(tenantId: string, fastReports: boolean) {
  const token = new StaticTokenCredential(fakeToken(tenantId));
  return fastReports ? withTenantLimits(token, { ...createTenantLimits(4), reports: new RatePacer(1_000, 10) }) : token;
}

/** The outcome reads in the journal: provisioning-log requests filtered on sourceIdentity/id. */
const outcomeReads = (em: Emulator) =>
  em.journal.filter((j) => j.path.includes("/auditLogs/provisioning") && decodeURIComponent(j.path).includes("sourceIdentity/id"));

/** From the scenario's whole log: each failed object's latest success after its first failure (id → entry id). */
const expectedLatest = async () => latestAfterFirstProblem(await readFacet(scenarioDir(SCENARIO), "source.provisioningLogs"));

/** Problem objects in the scenario's log, and the successes of theirs after the first problem of any (one group). */
async function problemCounts(): Promise<{ objects: number; successes: number }> {
  const logs = await readFacet(scenarioDir(SCENARIO), "source.provisioningLogs");
  const problems = logs.filter((e) => e.provisioningStatusInfo?.status !== "success");
  const ids = new Set(problems.map((e) => e.sourceIdentity!.id!));
  const since = Math.min(...problems.map((e) => Date.parse(e.activityDateTime)));
  const successes = logs.filter(
    (e) => e.provisioningStatusInfo?.status === "success" && ids.has(e.sourceIdentity!.id!) && Date.parse(e.activityDateTime) > since,
  ).length;
  return { objects: ids.size, successes };
}

const latestOf = (outcomes: ProvisioningLogEntry[]) => new Map(outcomes.map((e) => [e.sourceIdentity!.id!, e.id]));

async function provisioningErrors(out: string) {
  const { report } = await analyzeSnapshot(path.join(out, "snapshot"), out, ["json"], "high");
  return report.results.find((r) => r.ruleId === "provisioning-errors")!;
}

describe("source.provisioningOutcomes through the emulator", () => {
  it("reads the problem objects' successes in ⌈objects / group⌉ requests, whatever the log's size, and clears their failures", async () => {
    const { out, em } = await collectBusy();
    const expected = await expectedLatest();
    const { objects } = await problemCounts();
    expect([objects, expected.size]).toEqual([6, 5]);
    const reads = outcomeReads(em);
    expect(reads).toHaveLength(Math.ceil(objects / OUTCOME_GROUP));
    const filter = decodeURIComponent(new URL(reads[0]!.path, "http://x").searchParams.get("$filter") ?? "");
    expect(filter).toContain("servicePrincipal/id eq 'c8c95753-f628-48e1-9fab-76c2d4cf624c'");
    expect(filter).toContain("provisioningStatusInfo/status eq 'success'");
    expect(filter.match(/sourceIdentity\/id eq /g)).toHaveLength(objects);

    const manifest = await readManifest(path.join(out, "snapshot"));
    expect(manifest.facets["source.provisioningOutcomes"]).toMatchObject({ status: "ok", requests: reads.length, count: expected.size });
    expect(latestOf(await readFacet(path.join(out, "snapshot"), "source.provisioningOutcomes"))).toEqual(expected);
    // The log itself: one page of non-success entries, however many successes the window holds.
    expect(em.journal.filter((j) => j.path.includes("/auditLogs/provisioning")).length - reads.length).toBe(1);

    const result = await provisioningErrors(out);
    expect(result.status).toBe("pass");
  });

  it("pages a group's successes only as far as needed: one request per page of them, never the whole log", async () => {
    const { out, em } = await collectBusy({ pageSize: { directory: 999, provisioning: 200 } });
    const { successes } = await problemCounts();
    // One object (the skipped one) never succeeds, so its group is paged to the end: the pages of its successes.
    const pages = Math.ceil(successes / 200);
    expect(pages).toBeGreaterThan(1);
    expect(outcomeReads(em)).toHaveLength(pages);
    expect((await readManifest(path.join(out, "snapshot"))).facets["source.provisioningOutcomes"]?.requests).toBe(pages);
    expect(latestOf(await readFacet(path.join(out, "snapshot"), "source.provisioningOutcomes"))).toEqual(await expectedLatest());
  });

  it("redacts the outcomes as it redacts the logs, so a redacted snapshot still clears the same failures", async () => {
    const { out } = await collectBusy();
    const redacted = path.join(out, "redacted");
    await redactSnapshot(path.join(out, "snapshot"), redacted, Buffer.alloc(32, 7));
    const logged = new Set((await readFacet(redacted, "source.provisioningLogs")).map((e) => e.sourceIdentity?.id));
    const outcomes = await readFacet(redacted, "source.provisioningOutcomes");
    expect(outcomes).toHaveLength(5);
    for (const e of outcomes) expect(logged.has(e.sourceIdentity?.id), e.id).toBe(true);
    const original = new Set((await readFacet(path.join(out, "snapshot"), "source.provisioningOutcomes")).map((e) => e.sourceIdentity?.id));
    expect(outcomes.some((e) => original.has(e.sourceIdentity?.id))).toBe(false);
    const { report } = await analyzeSnapshot(redacted, path.join(out, "redacted-report"), ["json"], "high");
    expect(report.results.find((r) => r.ruleId === "provisioning-errors")?.status).toBe("pass");
  });

  it("without the outcomes facet, reports the cleared failures as before and says successes were not collected", async () => {
    const { out } = await collectBusy();
    const snapshot = path.join(out, "snapshot");
    const manifest = await readManifest(snapshot);
    manifest.facets["source.provisioningOutcomes"] = { status: "skipped", error: { code: "NotCollected", message: "an older snapshot" } };
    await writeManifest(snapshot, manifest);
    const result = await provisioningErrors(out);
    expect(result.status).toBe("fail");
    expect(result.findings.map((f) => [f.errorCode, f.evidence["count"]])).toEqual([["Timeout", 6]]);
    expect(result.findings[0]!.evidence).toMatchObject({ logsCollectedWithoutSuccesses: true, latestOutcomesRead: false });
    expect(result.findings[0]!.evidence["jobCounters"]).toMatchObject({ code: "Active", escrowed: 0, lastCycle: { state: "Succeeded" } });
  });

  it("asks in smaller groups when the server refuses a grouped filter (400)", async () => {
    const { out, em } = await collectBusy({ faults: [parseFault("GET sourceIdentity 400 times=1")] });
    // 6 problem objects (5 failed, 1 skipped): refused, then groups of 3 and 3.
    expect(outcomeReads(em).map((j) => j.status)).toEqual([400, 200, 200]);
    const manifest = await readManifest(path.join(out, "snapshot"));
    expect(manifest.facets["source.provisioningOutcomes"]).toMatchObject({ status: "ok", requests: 3 });
    expect(latestOf(await readFacet(path.join(out, "snapshot"), "source.provisioningOutcomes"))).toEqual(await expectedLatest());
    expect((await provisioningErrors(out)).status).toBe("pass");
  });

  it("records the facet failed when even one object is refused, and the collection and the rule go on as before", async () => {
    const { out } = await collectBusy({ faults: [parseFault("GET sourceIdentity 400 sticky")] });
    const manifest = await readManifest(path.join(out, "snapshot"));
    expect(manifest.facets["source.provisioningOutcomes"]).toMatchObject({ status: "failed", error: { httpStatus: 400 } });
    expect(manifest.facets["source.provisioningLogs"]?.status).toBe("ok");
    const result = await provisioningErrors(out);
    expect(result.findings.map((f) => f.errorCode)).toEqual(["Timeout"]);
    expect(result.findings[0]!.evidence).toMatchObject({ logsCollectedWithoutSuccesses: true, latestOutcomesRead: false });
  });
});

describe("source.provisioningOutcomes of many problem objects: the window's successes first", () => {
  let pairDir: string;
  let generated: ProvisioningLogEntry[];
  const reads = (em: Emulator) =>
    em.journal.filter((j) => j.path.includes("/auditLogs/provisioning") && decodeURIComponent(j.path).includes("status eq 'success'"));
  const windowReads = (em: Emulator) => reads(em).filter((j) => !decodeURIComponent(j.path).includes("sourceIdentity/id"));

  async function collectGenerated(options: Omit<EmulatorOptions, "snapshotDir"> = {}): Promise<{ out: string; em: Emulator }> {
    if (!pairDir) {
      pairDir = await mkdtemp(path.join(tmpdir(), "cts-outcomes-pair-"));
      dirs.push(pairDir);
      generatePair(pairDir, { users: 400, groups: 4, logEntries: 1_200, seed: 5 });
      generated = await readFacet(pairDir, "source.provisioningLogs");
    }
    return collectFrom(pairDir, options, true);
  }

  it("reads the successes newest first and switches to groups once they are the cheaper read, with the same result", async () => {
    const { out, em } = await collectGenerated({ pageSize: { directory: 999, provisioning: 100 } });
    const problems = new Set(generated.filter((e) => e.provisioningStatusInfo?.status !== "success").map((e) => e.sourceIdentity?.id)).size;
    const groups = Math.ceil(problems / OUTCOME_GROUP);
    expect(groups).toBeGreaterThan(DIRECT_GROUPS);
    const window = windowReads(em);
    expect(window.length).toBeGreaterThanOrEqual(1);
    expect(decodeURIComponent(window[0]!.path)).toContain("$orderby=activityDateTime desc");
    // Ski rental: the pages read before switching are at most the groups left then, so the whole read stays under 2× groups.
    expect(reads(em).length).toBeLessThan(2 * groups);
    const manifest = await readManifest(path.join(out, "snapshot"));
    expect(manifest.facets["source.provisioningOutcomes"]).toMatchObject({ status: "ok", requests: reads(em).length });
    expect(latestOf(await readFacet(path.join(out, "snapshot"), "source.provisioningOutcomes"))).toEqual(latestAfterFirstProblem(generated));
  });

  it("with pages large enough, reads only the window: fewer requests than the groups", async () => {
    const { out, em } = await collectGenerated();
    const problems = new Set(generated.filter((e) => e.provisioningStatusInfo?.status !== "success").map((e) => e.sourceIdentity?.id)).size;
    expect(reads(em).length).toBeLessThan(Math.ceil(problems / OUTCOME_GROUP));
    expect(latestOf(await readFacet(path.join(out, "snapshot"), "source.provisioningOutcomes"))).toEqual(latestAfterFirstProblem(generated));
  });

  it("asks for the groups instead when the server refuses the window's filter (400)", async () => {
    const { out, em } = await collectGenerated({ faults: [parseFault(String.raw`GET /success'\sand\sactivityDateTime\sgt\s[0-9T:.-]+Z&/ 400 times=1`)] });
    expect(windowReads(em).map((j) => j.status)).toEqual([400]);
    const problems = new Set(generated.filter((e) => e.provisioningStatusInfo?.status !== "success").map((e) => e.sourceIdentity?.id)).size;
    expect(reads(em).length - 1).toBeGreaterThanOrEqual(Math.ceil(problems / OUTCOME_GROUP));
    expect(latestOf(await readFacet(path.join(out, "snapshot"), "source.provisioningOutcomes"))).toEqual(latestAfterFirstProblem(generated));
  });
});
