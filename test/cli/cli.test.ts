// The built CLI as a user runs it: one-line errors with documented exit codes, demo and analyze end to end.
import { existsSync } from "node:fs";
import { cp, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { Report } from "../../src/report/model.js";
import { packageRoot } from "../../src/version.js";
import { expectOneLineError, spawnCli } from "../helpers/cli.js";
import { scenarioDir } from "../helpers/pair.js";

const bin = path.join(packageRoot, "dist", "src", "cli", "main.js");

const cli = (args: string[], env: Record<string, string> = {}) => spawnCli(args, env);

const tmp = () => mkdtemp(path.join(tmpdir(), "cli-"));

describe("cts-doctor CLI", () => {
  it("is built (npm ci runs the build through prepare)", () => {
    expect(existsSync(bin)).toBe(true);
  });

  it("demo writes all seven report files, and the three policy rules fail on the right sides", async () => {
    const out = await tmp();
    const r = cli(["demo", "--out", out, "--quiet"]);
    expect(r.code, r.stderr).toBe(0);
    const files = ["report.json", "report.html", "findings.csv", "results.csv", "report.md", "report.sarif", "report.junit.xml"];
    expect(r.stdout.trim().split("\n")).toEqual(files.map((f) => path.join(out, f)));
    const report = JSON.parse(await readFile(path.join(out, "report.json"), "utf8")) as Report;
    expect(report).toMatchObject({ schemaVersion: 1, tool: { name: "cts-doctor" }, source: { cloud: "global" }, target: { cloud: "global" } });
    const side = (id: string) => report.results.find((x) => x.ruleId === id);
    expect(side("source-outbound-auto-redeem-disabled")).toMatchObject({ status: "fail", findings: [{ side: "source" }] });
    expect(side("target-inbound-sync-disabled")).toMatchObject({ status: "fail", findings: [{ side: "target" }] });
    expect(side("target-inbound-auto-redeem-disabled")).toMatchObject({ status: "fail", findings: [{ side: "target" }] });
    const html = await readFile(path.join(out, "report.html"), "utf8");
    expect(html).toContain("Content-Security-Policy");
    expect(existsSync(path.join(out, "snapshot", "manifest.json"))).toBe(true);
  });

  it("demo --list names the bundled scenarios", () => {
    const r = cli(["demo", "--list"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("contoso-fabrikam");
    expect(r.stdout).toContain("healthy");
  });

  it("analyze: exit 1 on failures at --fail-on, 0 when the pair is healthy", async () => {
    const broken = cli(["analyze", scenarioDir("contoso-fabrikam"), "--out", await tmp(), "--format", "json", "--quiet"]);
    expect(broken.code, broken.stderr).toBe(1);
    const healthy = cli(["analyze", scenarioDir("healthy"), "--out", await tmp(), "--format", "json", "--quiet"]);
    expect(healthy.code, healthy.stderr).toBe(0);
  });

  it("analyze prints the per-tenant action list and root causes first, without colour off a terminal (and accepts --no-color)", async () => {
    for (const extra of [[], ["--no-color"]]) {
      const r = cli(["analyze", scenarioDir("contoso-fabrikam"), "--out", await tmp(), "--format", "json", ...extra]);
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr).toContain("  Source tenant (Contoso): 5 changes\n  Target tenant (Fabrikam): 7 changes\n");
      const roots = [...r.stderr.matchAll(/^ {2}[A-Z]+ +(?:source|target|both) +(\S+) —/gm)].map((m) => m[1]);
      expect(roots.slice(0, 4)).toEqual([
        "source-outbound-auto-redeem-disabled",
        "guest-invitations-blocked",
        "target-inbound-auto-redeem-disabled",
        "target-inbound-sync-disabled",
      ]);
      expect(r.stderr.indexOf("↳ causes CRITICAL source job-quarantined")).toBeGreaterThan(r.stderr.indexOf("source-outbound-auto-redeem-disabled"));
      expect(r.stderr).toContain("After these, re-run Test connection and restart the job.");
      expect(r.stderr).not.toContain("\u001b[");
    }
  });

  it("rejects a missing, corrupt or future-version snapshot in one line with exit 2", async () => {
    const dir = await tmp();
    expectOneLineError(cli(["analyze", dir, "--out", await tmp()]), 2, "manifest.json not found");
    await writeFile(path.join(dir, "manifest.json"), "{ not json");
    expectOneLineError(cli(["analyze", dir, "--out", await tmp()]), 2, "not valid JSON");
    const future = await tmp();
    await cp(scenarioDir("healthy"), future, { recursive: true });
    const manifest = JSON.parse(await readFile(path.join(future, "manifest.json"), "utf8")) as { schemaVersion: number };
    manifest.schemaVersion = 99;
    await writeFile(path.join(future, "manifest.json"), JSON.stringify(manifest));
    expectOneLineError(cli(["analyze", future, "--out", await tmp()]), 2, "schema version 99");
  });

  it("rejects a config with a malformed tenant id in one line with exit 2, and no stack without --debug", async () => {
    const dir = await tmp();
    const cfg = path.join(dir, "c.yaml");
    await writeFile(
      cfg,
      "source:\n  tenantId: contoso\n  auth: { method: azure-cli }\ntarget:\n  tenantId: 4a12efe6-aa14-4d03-8dff-88fc89e2e2ad\n  auth: { method: azure-cli }\n",
    );
    expectOneLineError(cli(["diagnose", "--config", cfg, "--out", dir]), 2, "source.tenantId: must be a tenant id GUID");
    const debug = cli(["diagnose", "--config", cfg, "--out", dir, "--debug"]);
    expect(debug.code).toBe(2);
    expect(debug.stderr).toMatch(/\n\s+at /);
  });

  it("usage errors: unknown command, unknown format, missing secret env var", async () => {
    expectOneLineError(cli(["frobnicate"]), 2, "Unknown argument");
    expectOneLineError(cli(["analyze", scenarioDir("healthy"), "--out", await tmp(), "--format", "pdf"]), 2, "unknown format pdf");
    const dir = await tmp();
    const cfg = path.join(dir, "c.json");
    const tenant = (id: string) => ({ tenantId: id, graphEndpoint: "http://127.0.0.1:9", auth: { method: "access-token", tokenEnv: "CTS_TEST_NO_SUCH_VAR" } });
    await writeFile(cfg, JSON.stringify({ source: tenant("1fd6544e-e994-4de2-9f1b-787b51c7d325"), target: tenant("4a12efe6-aa14-4d03-8dff-88fc89e2e2ad") }));
    expectOneLineError(cli(["collect", "--config", cfg, "--out", dir]), 2, "environment variable CTS_TEST_NO_SUCH_VAR is not set");
  });

  it("rules list prints every rule with severity and side; rules show explains one", () => {
    const list = cli(["rules", "list"]);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/^source-outbound-auto-redeem-disabled\s+critical\s+source\s+/m);
    const show = cli(["rules", "show", "target-inbound-sync-disabled"]);
    expect(show.code).toBe(0);
    expect(show.stdout).toContain("Symptom:");
    expect(show.stdout).toContain("PATCH /v1.0/policies/crossTenantAccessPolicy/partners/{sourceTenantId}/identitySynchronization");
    expectOneLineError(cli(["rules", "show", "no-such-rule"]), 2, 'unknown rule "no-such-rule"');
  });
});
