// Every bundled scenario, collected through the emulator over HTTP and analysed: exactly the expected rules fail.
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ruleList } from "../../../rules/index.js";
import { analyzeSnapshot } from "../../../src/app/analyze.js";
import { listScenarios, type Scenario } from "../../../src/cli/scenarios.js";
import type { SecretsReadMode } from "../../../src/emulator/index.js";
import { readManifest } from "../../../src/snapshot/store.js";
import { withEmulatorPair } from "../../helpers/emulator-pair.js";

const scenarios = await listScenarios();
const registered = new Set(ruleList.map((r) => r.id));
/** Today's tenants (both versions answer), Microsoft's published API (beta only), and a tenant answering neither. */
const MODES: SecretsReadMode[] = ["both", "beta-only", "none"];
/** Rules that must keep failing where they do, whatever the secrets read answers. */
const POLICY_RULES = ["source-outbound-auto-redeem-disabled", "target-inbound-auto-redeem-disabled", "target-inbound-sync-disabled"];

async function diagnose(scenario: Scenario, secretsRead: SecretsReadMode) {
  const out = await mkdtemp(path.join(tmpdir(), "scenario-"));
  await withEmulatorPair(scenario.dir, { secretsRead }, (pair) =>
    // As `demo` does: the scenario's own window end, so time-relative rules judge it as of its date, not today.
    pair.collect(path.join(out, "snapshot"), { until: pair.window.until }),
  );
  const { report } = await analyzeSnapshot(path.join(out, "snapshot"), out, ["json"], "high");
  return { report, collected: await readManifest(path.join(out, "snapshot")) };
}

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

  it("list only registered rules as inconclusive without secrets, and only rules that read secrets", () => {
    const secretRules = new Set(ruleList.filter((r) => [...r.needs, ...(r.uses ?? [])].includes("source.syncSecrets")).map((r) => r.id));
    for (const s of scenarios) for (const id of s.expect.noSecrets?.inconclusive ?? []) expect(secretRules, `${s.name}: ${id}`).toContain(id);
  });

  const cases = scenarios.flatMap((s) => MODES.map((mode) => [s.name, mode, s] as const));
  it.each(cases)("%s (secrets read: %s): diagnose through the emulator fails exactly the expected rules", async (_name, mode, scenario) => {
    const { report, collected } = await diagnose(scenario, mode);
    const secrets = collected.facets["source.syncSecrets"]!;
    if (mode === "none") {
      expect(secrets.error?.code).toBe("NotOffered");
      expect(Object.values(secrets.reads ?? {}).every((r) => r.error?.httpStatus === 405)).toBe(true);
    } else {
      // beta first: the one version Microsoft publishes the GET for.
      expect(Object.values(secrets.reads ?? {}).map((r) => r.version)).toEqual(Object.keys(secrets.reads ?? {}).map(() => "beta"));
    }
    const notIdentified = mode === "none" ? (scenario.expect.noSecrets?.notIdentified ?? []) : [];
    const unread = scenario.expect.inconclusive ?? [];
    const unknown = mode === "none" ? [...new Set([...unread, ...(scenario.expect.noSecrets?.inconclusive ?? []), ...notIdentified])] : unread;
    const inconclusive = report.results.filter((r) => r.status === "inconclusive");
    expect(inconclusive.map((r) => r.ruleId).sort()).toEqual([...unknown].sort());
    // The reason names the cause: Graph does not offer the read, not a permission to grant.
    for (const r of inconclusive) expect(r.reason, r.ruleId).not.toMatch(/grant /);
    for (const r of inconclusive.filter((x) => notIdentified.includes(x.ruleId))) expect(r.reason, r.ruleId).toMatch(/not identified.*--configuration/);
    const expected = scenario.expect.fail.filter((f) => registered.has(f.ruleId) && !unknown.includes(f.ruleId));
    const failed = report.results.filter((r) => r.status === "fail");
    expect(failed.map((r) => r.ruleId).sort()).toEqual([...new Set(expected.map((f) => f.ruleId))].sort());
    // Without CompanyId the configuration is not confirmed: results and findings of rules that read it say so.
    const readsConfiguration = new Set(ruleList.filter((r) => [...r.needs, ...(r.uses ?? [])].includes("source.syncServicePrincipals")).map((r) => r.id));
    const identified = notIdentified.length === 0;
    for (const r of report.results.filter((x) => identified && readsConfiguration.has(x.ruleId) && (x.status === "fail" || x.status === "pass"))) {
      const note = mode === "none" ? expect.stringContaining("configuration for the target not confirmed") : undefined;
      for (const f of r.findings) expect(f.evidence["configuration"], r.ruleId).toEqual(note);
      if (mode === "none") expect(r.reason, r.ruleId).toContain("configuration for the target not confirmed");
    }
    for (const id of POLICY_RULES)
      expect(
        failed.some((r) => r.ruleId === id),
        id,
      ).toBe(scenario.expect.fail.some((f) => f.ruleId === id));
    for (const want of expected) {
      const result = failed.find((r) => r.ruleId === want.ruleId)!;
      const sides = new Set(result.findings.map((f) => f.side));
      expect([...sides], want.ruleId).toContain(want.side);
      const ids = new Set(result.findings.flatMap((f) => f.objects.map((o) => o.id)));
      for (const id of want.objectIds ?? []) expect([...ids], want.ruleId).toContain(id);
    }
  });
});
