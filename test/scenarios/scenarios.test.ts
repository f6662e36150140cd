// Every bundled scenario, collected through the emulator over HTTP and analysed: exactly the expected rules fail.
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ruleList } from "../../rules/index.js";
import { analyzeSnapshot } from "../../src/cli/pipeline.js";
import { listScenarios } from "../../src/cli/scenarios.js";
import { collect } from "../../src/collect/run.js";
import { fakeToken, startEmulator } from "../../src/emulator/index.js";
import { StaticTokenCredential } from "../../src/graph/auth.js";
import { readManifest } from "../../src/snapshot/store.js";

const scenarios = await listScenarios();
const registered = new Set(ruleList.map((r) => r.id));

describe("bundled scenarios", () => {
  it("include a healthy pair and the demo's broken pair", () => {
    const names = scenarios.map((s) => s.name);
    expect(names).toContain("healthy");
    expect(names).toContain("contoso-fabrikam");
    expect(scenarios.find((s) => s.name === "healthy")?.expect.fail).toEqual([]);
  });

  it("between them make every registered rule fail at least once", () => {
    const expected = new Set(scenarios.flatMap((s) => s.expect.fail.map((f) => f.ruleId)));
    expect([...registered].filter((id) => !expected.has(id))).toEqual([]);
    expect([...expected].filter((id) => !registered.has(id))).toEqual([]);
  });

  it.each(scenarios.map((s) => [s.name, s] as const))("%s: diagnose through the emulator fails exactly the expected rules", async (_name, scenario) => {
    const manifest = await readManifest(scenario.dir);
    const emulator = await startEmulator({ snapshotDir: scenario.dir });
    const out = await mkdtemp(path.join(tmpdir(), "scenario-"));
    try {
      const tenant = (side: "source" | "target") => ({
        tenantId: manifest[side].tenantId,
        cloud: manifest[side].cloud,
        graphEndpoint: emulator.url,
        auth: { method: "access-token" as const, tokenEnv: "UNUSED" },
      });
      await collect({ source: tenant("source"), target: tenant("target") }, path.join(out, "snapshot"), {
        since: new Date(manifest.window.since),
        connectionTest: true,
        credentials: { source: new StaticTokenCredential(fakeToken(manifest.source.tenantId)), target: new StaticTokenCredential(fakeToken(manifest.target.tenantId)) },
      });
    } finally {
      await emulator.close();
    }
    const { report } = await analyzeSnapshot(path.join(out, "snapshot"), out, ["json"], "high");
    expect(report.results.filter((r) => r.status === "inconclusive").map((r) => `${r.ruleId}: ${r.reason}`)).toEqual([]);
    const expected = scenario.expect.fail.filter((f) => registered.has(f.ruleId));
    const failed = report.results.filter((r) => r.status === "fail");
    expect(failed.map((r) => r.ruleId).sort()).toEqual([...new Set(expected.map((f) => f.ruleId))].sort());
    for (const want of expected) {
      const result = failed.find((r) => r.ruleId === want.ruleId)!;
      const sides = new Set(result.findings.map((f) => f.side));
      expect([...sides], want.ruleId).toContain(want.side);
      const ids = new Set(result.findings.flatMap((f) => f.objects.map((o) => o.id)));
      for (const id of want.objectIds ?? []) expect([...ids], want.ruleId).toContain(id);
    }
  });
});
