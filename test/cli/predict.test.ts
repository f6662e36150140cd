// `cts-doctor predict SNAPSHOT_DIR --out DIR`: writes predict.json and predict.csv; bad arguments are usage errors.
import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { scenarioDir } from "../helpers/pair.js";

describe("cts-doctor predict", () => {
  it("writes predict.json and predict.csv for a snapshot and prints their paths", async () => {
    const out = await mkdtemp(path.join(tmpdir(), "predict-"));
    const r = await runCli(["predict", scenarioDir("contoso-fabrikam"), "--out", out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim().split("\n")).toEqual([path.join(out, "predict.json"), path.join(out, "predict.csv")]);
    expect(r.stderr).toContain("next cycle: 2 create, 1 update, 10 no change, 1 skip, 0 deprovision, 0 inconclusive");
    const json = JSON.parse(await readFile(path.join(out, "predict.json"), "utf8"));
    expect(json.counts).toEqual({ create: 2, update: 1, "no-change": 10, skip: 1, deprovision: 0, inconclusive: 0 });
    expect(await readFile(path.join(out, "predict.csv"), "utf8")).toMatch(/^"action","displayName",/);
  });

  it.for([
    [["--out", "x"], "predict needs either --config FILE or a SNAPSHOT_DIR"],
    [[scenarioDir("healthy"), "--out", "x", "--now", "soon"], "--now must be an ISO date-time"],
    [[scenarioDir("no-configuration"), "--out", "x"], "no cross-tenant synchronization configuration"],
  ] as const)("%j is a one-line usage error (exit 2)", async ([args, message]) => {
    const r = await runCli(["predict", ...args]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toContain(message);
  });
});
