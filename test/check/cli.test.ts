// `cts-doctor check` and `cts-doctor history` through main(): two nights against the emulator, then the history of both.
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it, vi } from "vitest";
import { fakeToken, startEmulator } from "../../src/emulator/index.js";
import type { Report } from "../../src/report/model.js";
import { emulatorPerTest } from "../helpers/emulator-pair.js";
import { scenarioDir } from "../helpers/pair.js";
import { S, T, tempDir } from "./helpers.js";
import { runCli as run } from "../helpers/cli.js";

const emulators = emulatorPerTest();

describe("check and history commands", () => {
  it("check twice with a change in between, then history shows both runs and the trend", async () => {
    const emulator = (emulators.current = await startEmulator({ snapshotDir: scenarioDir("contoso-fabrikam") }));
    vi.stubEnv("CTS_TEST_SRC_TOKEN", fakeToken(S));
    vi.stubEnv("CTS_TEST_TGT_TOKEN", fakeToken(T));
    const dir = await tempDir("check-cli-");
    const config = path.join(dir, "pairs.yaml");
    await writeFile(
      config,
      [
        "tenants:",
        `  contoso: { tenantId: ${S}, graphEndpoint: "${emulator.url}", auth: { method: access-token, tokenEnv: CTS_TEST_SRC_TOKEN } }`,
        `  fabrikam: { tenantId: ${T}, graphEndpoint: "${emulator.url}", auth: { method: access-token, tokenEnv: CTS_TEST_TGT_TOKEN } }`,
        "pairs:",
        "  - { name: hub-fabrikam, source: contoso, target: fabrikam }",
        "collection: { since: '2020-01-01T00:00:00Z' }",
        "",
      ].join("\n"),
    );
    const waivers = path.join(dir, "waivers.yaml");
    await writeFile(waivers, "waivers:\n  - { ruleId: external-users-can-leave, reason: partners may leave, owner: ciso, expires: 2999-12-31 }\n");
    const out = path.join(dir, "out");

    const first = await run(["check", "--config", config, "--out", out, "--waivers", waivers, "--format", "json,md", "--quiet"]);
    expect(first.code).toBe(1);
    expect(first.stdout.trim().split("\n")).toEqual([
      path.join(out, "hub-fabrikam", "report.json"),
      path.join(out, "hub-fabrikam", "report.md"),
      path.join(out, "summary.json"),
      path.join(out, "summary.md"),
      path.join(out, "summary.csv"),
    ]);

    emulator.state.data["target.identitySynchronization"]!.userSyncInbound = { isSyncAllowed: true };
    const second = await run(["check", "--config", config, "--out", out, "--waivers", waivers, "--format", "json,md", "--quiet", "--fail-on-new"]);
    expect(second.code).toBe(0);
    const report = JSON.parse(await readFile(path.join(out, "hub-fabrikam", "report.json"), "utf8")) as Report;
    expect(report.changes).toMatchObject({ basis: "history", new: [], resolved: [{ ruleId: "target-inbound-sync-disabled", objectId: S }] });
    expect(report.results.find((r) => r.ruleId === "external-users-can-leave")?.waivedFindings).toBe(1);

    const history = await run(["history", "--out", out, "--pair", "hub-fabrikam"]);
    expect(history.code).toBe(0);
    expect(history.stdout).toContain("Pair hub-fabrikam");
    const runs = history.stdout.split("\n").filter((l) => /^\s+\d+\s+\d{4}-\d{2}-\d{2}T/.test(l));
    expect(runs).toHaveLength(2);
    expect(runs[1]).toMatch(/\s0\s+1\s*$/); // second run: 0 new, 1 resolved
    expect(history.stdout).toMatch(/target-inbound-sync-disabled\s+F1\s+ok/);
    expect(history.stdout).toMatch(/external-users-can-leave\s+W1\s+W1/);
  }, 60_000);

  it("usage errors: a missing history database and a bad waivers file exit 2", async () => {
    const dir = await tempDir("check-cli-");
    const missing = await run(["history", "--history", path.join(dir, "none.sqlite")]);
    expect(missing.code).toBe(2);
    const badWaivers = path.join(dir, "w.yaml");
    await writeFile(badWaivers, "waivers:\n  - { ruleId: x, reason: r, owner: o, expires: soon }\n");
    await writeFile(
      path.join(dir, "c.json"),
      JSON.stringify({ source: { tenantId: S, auth: { method: "azure-cli" } }, target: { tenantId: T, auth: { method: "azure-cli" } } }),
    );
    const bad = await run(["check", "--config", path.join(dir, "c.json"), "--out", path.join(dir, "o"), "--waivers", badWaivers, "--quiet"]);
    expect(bad.code).toBe(2);
  });
});
