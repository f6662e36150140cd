// A generated pair loaded with streamed logs gives the same rule results as the same pair with the logs in memory.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generatePair } from "../../../bench/generate.js";
import { ruleList } from "../../../rules/index.js";
import { runRules } from "../../../src/engine/run.js";
import { provisioningActivity } from "../../../src/model/activity.js";
import { KEPT_LOG_ENTRIES, loadPair, Pair, type FacetValues } from "../../../src/model/pair.js";
import { readFacet } from "../../../src/snapshot/store.js";

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "cts-scale-"));
  generatePair(dir, { users: 400, groups: 4, logEntries: KEPT_LOG_ENTRIES + 1_000, seed: 7 });
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("streamed provisioning logs", () => {
  it("keeps no log array past KEPT_LOG_ENTRIES and analyses like the in-memory pair", async () => {
    const streamed = await loadPair(dir);
    expect(streamed.has("source.provisioningLogs")).toBe(true);
    expect(streamed.maybe("source.provisioningLogs")).toBeUndefined();
    expect(streamed.logs()?.entries).toBe(KEPT_LOG_ENTRIES + 1_000);

    // The same data with the logs as an array, summarised on first use (how rule-case fixtures build pairs).
    const values: FacetValues = {};
    for (const id of Object.keys(streamed.manifest.facets) as (keyof FacetValues)[]) {
      const v = streamed.maybe(id);
      if (v !== undefined) (values as Record<string, unknown>)[id] = v;
    }
    values["source.provisioningLogs"] = await readFacet(dir, "source.provisioningLogs");
    const inMemory = new Pair(streamed.manifest, values);

    const a = runRules(ruleList, streamed);
    const b = runRules(ruleList, inMemory);
    expect(a).toEqual(b);
    expect(a.find((r) => r.ruleId === "provisioning-errors")?.status).toBe("fail");
    expect(a.find((r) => r.ruleId === "sms-sign-in-users-skipped")?.status).toBe("fail");
    expect(a.find((r) => r.ruleId === "guest-invitations-blocked")?.status).toBe("fail");
    expect(provisioningActivity(streamed)).toEqual(provisioningActivity(inMemory));
  });
});
