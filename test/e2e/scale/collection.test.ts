// Collection of a generated pair through the emulator with realistic limits: request counts, no 429, logs without successes.
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generatePair } from "../../../bench/generate.js";
import { analyzeSnapshot } from "../../../src/app/analyze.js";
import { DIRECT_GROUPS, OUTCOME_GROUP } from "../../../src/collect/log-outcomes.js";
import type { ProvisioningLogEntry } from "../../../src/snapshot/graph-types.js";
import { readFacet, readManifest } from "../../../src/snapshot/store.js";
import { withEmulatorPair } from "../../helpers/emulator-pair.js";
import { latestAfterFirstProblem } from "../../helpers/outcomes.js";

let dir: string;
const USERS = 300;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "cts-collect-scale-"));
  generatePair(path.join(dir, "pair"), { users: USERS, groups: 4, logEntries: 900, seed: 11 });
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("collection at scale", () => {
  it("reads every facet in full pages and batches of 20, stays under the limits, and reports without successes", async () => {
    const pairDir = path.join(dir, "pair");
    const out = path.join(dir, "out");
    const em = await withEmulatorPair(pairDir, { realisticLimits: true }, async (pair) => {
      await pair.collect(path.join(out, "snapshot"), { until: pair.window.until });
      return pair.emulator;
    });
    const http = em.journal.filter((j) => !j.inBatch);
    expect(em.journal.filter((j) => j.status === 429)).toEqual([]);
    // Phone methods: one $batch per 20 selected members, in two rounds (every 10th generated user is not in the target:
    // read once the target's users are in; then those skipped or failed in the logs); logs: one page of non-success
    // entries; users and members: pages of 999.
    const selection = (await readManifest(path.join(out, "snapshot"))).facets["source.phoneMethods"]?.selection;
    expect(selection?.rule).toBe("targeted");
    expect(selection?.reasons["notInTarget"]).toBe(USERS / 10);
    expect(selection!.read + selection!.notRead).toBe(USERS);
    const batches = http.filter((j) => j.path.endsWith("/$batch")).length;
    const direct = USERS / 50;
    const rounds = Math.ceil(USERS / 10 / 20) + Math.ceil((selection?.reasons["skippedOrFailedInLogs"] ?? 0) / 20);
    expect(batches).toBe(rounds + Math.ceil(direct / 20));
    const logReads = http.filter((j) => j.path.includes("/auditLogs/provisioning"));
    const outcomeReads = logReads.filter((j) => decodeURIComponent(j.path).includes("status eq 'success'"));
    expect(logReads.length - outcomeReads.length).toBe(1);
    // The latest outcome of each problem object: more than DIRECT_GROUPS groups of them, so the window's successes
    // are read newest first, a page of 500 at a time, fewer requests than the groups would take.
    const generated = await readFacet(pairDir, "source.provisioningLogs");
    const problems = generated.filter((e) => e.provisioningStatusInfo?.status !== "success");
    const problemObjects = new Set(problems.map((e) => e.sourceIdentity?.id)).size;
    expect(Math.ceil(problemObjects / OUTCOME_GROUP)).toBeGreaterThan(DIRECT_GROUPS);
    const earliest = Math.min(...problems.map((e) => Date.parse(e.activityDateTime)));
    const windowSuccesses = generated.filter((e) => e.provisioningStatusInfo?.status === "success" && Date.parse(e.activityDateTime) > earliest).length;
    // Page by page until groups for the objects still uncovered are cheaper than reading on: at most one request more
    // than the window's pages, and fewer than the groups alone.
    const windowReads = outcomeReads.filter((j) => !decodeURIComponent(j.path).includes("sourceIdentity/id"));
    expect(windowReads.length).toBeGreaterThanOrEqual(1);
    expect(outcomeReads.length).toBeLessThanOrEqual(Math.ceil(windowSuccesses / 500) + 1);
    expect(outcomeReads.length).toBeLessThan(Math.ceil(problemObjects / OUTCOME_GROUP));
    const outcomes = await readFacet(path.join(out, "snapshot"), "source.provisioningOutcomes");
    expect(new Map(outcomes.map((e) => [e.sourceIdentity?.id, e.id]))).toEqual(latestAfterFirstProblem(generated));
    expect(http.filter((j) => /\/groups\/[^/]+\/members/.test(j.path))).toHaveLength(4);
    // The rest: 14 policy/organization/licence reads, 7 for the configuration, 2 target user lists, a few spare.
    expect(http.length).toBeLessThanOrEqual(Math.ceil(1.2 * (batches + 1 + outcomeReads.length + 4 + 27)));

    const collected = await readManifest(path.join(out, "snapshot"));
    expect(Object.values(collected.facets).every((f) => f.status === "ok")).toBe(true);
    expect(collected.facets["source.provisioningLogs"]?.filter).toBe("non-success");
    expect(collected.facets["source.provisioningOutcomes"]?.requests).toBe(outcomeReads.length);
    const logs: ProvisioningLogEntry[] = await readFacet(path.join(out, "snapshot"), "source.provisioningLogs");
    expect(logs.length).toBeGreaterThan(0);
    expect(logs.every((e) => e.provisioningStatusInfo?.status !== "success")).toBe(true);

    const { report } = await analyzeSnapshot(path.join(out, "snapshot"), out, ["json", "html"], "high");
    expect(report.provisioning?.successFrom).toBeDefined();
    expect(report.provisioning?.byDay.every((d) => d.success === 0)).toBe(true);
    const errors = report.results.find((r) => r.ruleId === "provisioning-errors");
    expect(errors?.status).toBe("fail");
    // Successes were not collected, but each problem object's latest outcome was: the findings say so.
    expect(errors?.findings.every((f) => f.evidence["latestOutcomesRead"] === true && !("logsCollectedWithoutSuccesses" in f.evidence))).toBe(true);
    const html = await readFile(path.join(out, "report.html"), "utf8");
    expect(html).toContain("Logs were collected without successes (server-side filter)");
  });
});
