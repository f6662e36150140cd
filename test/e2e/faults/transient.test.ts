// Transient faults on batched reads: a dropped or truncated $batch of GETs and a 5xx on one item are retried like single GETs.
import { afterEach, describe, expect, it } from "vitest";
import { FACETS } from "../../../src/snapshot/facets.js";
import type { Manifest } from "../../../src/snapshot/manifest.js";
import { collectWithFaults, type FaultRun } from "./fault-run.js";

let run: FaultRun | undefined;
afterEach(async () => {
  await run?.emulator.close();
  run = undefined;
});

function notOk(manifest: Manifest): string[] {
  return FACETS.filter((f) => manifest.facets[f.id]?.status !== "ok").map((f) => `${f.id}: ${manifest.facets[f.id]?.error?.code}`);
}

describe("transient faults on $batch", () => {
  it.each([
    ["POST /$batch reset times=1", "network"],
    ["POST /$batch truncate times=1", "network"],
    ["POST /$batch 503 times=1", 503],
  ] as const)("%s: the batch of GETs is sent again and everything is collected", async (fault, status) => {
    run = await collectWithFaults([fault]);
    expect(notOk(run.manifest)).toEqual([]);
    expect(run.retries.map((r) => r.status)).toContain(status);
    const batches = run.emulator.journal.filter((j) => j.method === "POST" && j.path.endsWith("/$batch"));
    expect(batches.some((j) => j.retryAttempt === "1")).toBe(true);
  });

  it.each([503, 504])("a %i on one item without Retry-After: that item is retried with the client's backoff", async (status) => {
    const started = Date.now();
    run = await collectWithFaults([`GET /authentication/phoneMethods ${status} batch times=1`]);
    expect(notOk(run.manifest)).toEqual([]);
    expect(run.retries).toEqual([expect.objectContaining({ status })]);
    // The client's policy (5 ms base in these tests), not a fixed second.
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it("a sticky 503 on items: gives up after the client's retry budget, the facet fails with 503", async () => {
    run = await collectWithFaults(["GET /authentication/phoneMethods 503 batch sticky"]);
    expect(run.manifest.facets["source.phoneMethods"]).toMatchObject({ status: "failed", error: { httpStatus: 503 } });
    // maxRetries 2 in these tests: three attempts per item.
    const perItem = run.emulator.journal.filter((j) => j.inBatch && j.path.includes("/authentication/phoneMethods"));
    const byPath = new Map<string, number>();
    for (const j of perItem) byPath.set(j.path, (byPath.get(j.path) ?? 0) + 1);
    expect([...byPath.values()].every((n) => n === 3)).toBe(true);
  });
});

describe("writes are not replayed", () => {
  it("a reset on the connection test (a POST that is not a batch of GETs) is not sent again", async () => {
    run = await collectWithFaults(["POST /validateCredentials reset times=1"]);
    expect(run.manifest.facets["source.connectionTest"]).toMatchObject({ status: "failed", error: { code: "NetworkError" } });
    expect(run.emulator.journal.filter((j) => j.path.includes("/validateCredentials"))).toHaveLength(1);
  });
});
