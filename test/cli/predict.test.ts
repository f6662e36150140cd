// `cts-doctor predict SNAPSHOT_DIR --out DIR`: writes predict.json and predict.csv; bad arguments are usage errors.
import { existsSync } from "node:fs";
import { mkdtemp, readdir, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadPair } from "../../src/model/pair.js";
import { renderPredictCsv } from "../../src/predict/csv.js";
import { predictPair } from "../../src/predict/predict.js";
import { compareWhatIf } from "../../src/predict/what-if.js";
import type { SynchronizationSchema } from "../../src/snapshot/graph-types.js";
import { runCli, spawnCli } from "../helpers/cli.js";
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

  it("streams the files byte for byte as the whole prediction rendered at once, on every bundled scenario that predicts", async () => {
    const scenarios = (await readdir(path.dirname(scenarioDir("healthy")), { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name);
    let predicted = 0;
    for (const name of scenarios) {
      const out = await mkdtemp(path.join(tmpdir(), "predict-"));
      const excel = predicted % 2 === 1;
      const r = await runCli(["predict", scenarioDir(name), "--out", out, "--quiet", ...(excel ? ["--excel"] : [])]);
      if (r.code !== 0) {
        expect(r.stderr, name).toContain("no cross-tenant synchronization configuration");
        continue;
      }
      predicted++;
      const whole = predictPair(await loadPair(scenarioDir(name)));
      expect(await readFile(path.join(out, "predict.json"), "utf8"), name).toBe(JSON.stringify(whole, null, 2) + "\n");
      expect(await readFile(path.join(out, "predict.csv"), "utf8"), name).toBe(renderPredictCsv(whole, { excel }));
    }
    expect(predicted).toBeGreaterThanOrEqual(15);
  });

  it("the built CLI (its render thread) writes the same files as the whole prediction rendered at once", async () => {
    const out = await mkdtemp(path.join(tmpdir(), "predict-built-"));
    const r = spawnCli(["predict", scenarioDir("contoso-fabrikam"), "--out", out, "--quiet", "--excel"]);
    expect(r.code, r.stderr).toBe(0);
    const whole = predictPair(await loadPair(scenarioDir("contoso-fabrikam")));
    expect(await readFile(path.join(out, "predict.json"), "utf8")).toBe(JSON.stringify(whole, null, 2) + "\n");
    expect(await readFile(path.join(out, "predict.csv"), "utf8")).toBe(renderPredictCsv(whole, { excel: true }));
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

describe("cts-doctor predict on a snapshot it cannot predict", () => {
  it("refuses in one line and writes nothing, not even the --out folder", async () => {
    const out = path.join(await mkdtemp(path.join(tmpdir(), "predict-refused-")), "out");
    const r = await runCli(["predict", scenarioDir("no-configuration"), "--out", out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("no cross-tenant synchronization configuration");
    expect(existsSync(out)).toBe(false);
  });
});

describe("cts-doctor predict --schema (what-if)", () => {
  it("predicts with the edited schema and prints which users change action and which values change", async () => {
    const dir = scenarioDir("healthy");
    const schemas = JSON.parse(await readFile(path.join(dir, "source", "syncSchemas.json"), "utf8"));
    const schema = Object.values(Object.values(schemas)[0] as Record<string, unknown>)[0] as {
      synchronizationRules: {
        objectMappings: { sourceObjectName: string; scope: unknown; attributeMappings: { targetAttributeName: string; source: unknown }[] }[];
      }[];
    };
    const users = schema.synchronizationRules[0]!.objectMappings.find((m) => m.sourceObjectName === "User")!;
    users.attributeMappings.find((a) => a.targetAttributeName === "displayName")!.source = {
      type: "Function",
      name: "Append",
      expression: 'Append([displayName], " (Contoso)")',
    };
    // A scoping clause that drops Megan Bowen.
    (users.scope as { groups: { clauses: unknown[] }[] }).groups[0]!.clauses.push({
      operatorName: "NOT EQUALS",
      sourceOperandName: "displayName",
      targetOperand: { values: ["Megan Bowen"] },
    });
    const out = await mkdtemp(path.join(tmpdir(), "predict-"));
    const file = path.join(out, "edited-schema.json");
    await writeFile(file, JSON.stringify(schema));
    const r = await runCli(["predict", dir, "--out", out, "--schema", file, "--quiet"]);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trim().split("\n").slice(2);
    expect(lines[0]).toBe("what-if: 14 user(s) change action, 13 attribute value(s) change");
    expect(lines).toContain("  Megan Bowen: no-change → skip");
    expect(lines).toContain('  Diego Siciliani.displayName: "Diego Siciliani" → "Diego Siciliani (Contoso)"');
    const json = JSON.parse(await readFile(path.join(out, "predict.json"), "utf8"));
    expect(json.counts).toMatchObject({ update: 13, skip: 1 });
    expect(json.whatIf.actions).toHaveLength(14);
    // The same document as the two whole predictions and their comparison.
    const pair = await loadPair(dir);
    const next = predictPair(pair, undefined, schema as unknown as SynchronizationSchema);
    const whole = { ...next, whatIf: compareWhatIf(predictPair(pair), next) };
    expect(await readFile(path.join(out, "predict.json"), "utf8")).toBe(JSON.stringify(whole, null, 2) + "\n");
  });

  it("a schema file that is not a schema is a usage error", async () => {
    const out = await mkdtemp(path.join(tmpdir(), "predict-"));
    await writeFile(path.join(out, "s.json"), "{}");
    const r = await runCli(["predict", scenarioDir("healthy"), "--out", out, "--schema", path.join(out, "s.json")]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("not a synchronization schema");
  });
});
