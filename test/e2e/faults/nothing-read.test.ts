// Green on nothing read: every request answered 403 must not exit 0 unless --allow-inconclusive says so.
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { fakeToken, parseFault, startEmulator, type Emulator } from "../../../src/emulator/index.js";
import { ExitCode } from "../../../src/errors.js";
import { runCli } from "../../helpers/cli.js";
import { scenarioDir } from "../../helpers/pair.js";
import { S, SCENARIO, T } from "./fault-run.js";

let emulator: Emulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

const env = { CTS_FAULT_SRC: fakeToken(S), CTS_FAULT_TGT: fakeToken(T) };

/** A one-pair config against an emulator that answers 403 to every request (an app without consent). */
async function deniedEverything(): Promise<{ dir: string; config: string }> {
  emulator = await startEmulator({ snapshotDir: scenarioDir(SCENARIO), faults: ["* / 403 sticky", "* / 403 batch sticky"].map(parseFault) });
  const dir = await mkdtemp(path.join(tmpdir(), "nothing-read-"));
  const config = path.join(dir, "pair.json");
  const tenant = (tenantId: string, tokenEnv: string) => ({ tenantId, graphEndpoint: emulator!.url, auth: { method: "access-token", tokenEnv } });
  await writeFile(
    config,
    JSON.stringify({ source: tenant(S, "CTS_FAULT_SRC"), target: tenant(T, "CTS_FAULT_TGT"), collection: { since: "2020-01-01T00:00:00Z" } }),
  );
  return { dir, config };
}

describe("every request answered 403", () => {
  it("diagnose exits with the inconclusive code, and 0 with --allow-inconclusive", async () => {
    const { dir, config } = await deniedEverything();
    const run = await runCli(["diagnose", "--config", config, "--out", path.join(dir, "d"), "--format", "json", "--quiet"], env);
    expect(run.stderr).not.toMatch(/internal error/);
    expect(run.code).toBe(ExitCode.inconclusive);
    expect(ExitCode.inconclusive).not.toBe(ExitCode.ok);
    const allowed = await runCli(["diagnose", "--config", config, "--out", path.join(dir, "d2"), "--format", "json", "--quiet", "--allow-inconclusive"], env);
    expect(allowed.code).toBe(ExitCode.ok);
  }, 60_000);

  it("collect exits with the inconclusive code (facets denied), and 0 with --allow-inconclusive", async () => {
    const { dir, config } = await deniedEverything();
    const run = await runCli(["collect", "--config", config, "--out", path.join(dir, "c"), "--quiet"], env);
    expect(run.code).toBe(ExitCode.inconclusive);
    const allowed = await runCli(["collect", "--config", config, "--out", path.join(dir, "c2"), "--quiet", "--allow-inconclusive"], env);
    expect(allowed.code).toBe(ExitCode.ok);
    const analyzed = await runCli(["analyze", path.join(dir, "c"), "--out", path.join(dir, "a"), "--format", "json", "--quiet"]);
    expect(analyzed.code).toBe(ExitCode.inconclusive);
  }, 60_000);

  it("check exits with the inconclusive code and its summary.json says so", async () => {
    const { dir, config } = await deniedEverything();
    const out = path.join(dir, "k");
    const run = await runCli(["check", "--config", config, "--out", out, "--format", "json", "--quiet", "--no-record-history"], env);
    expect(run.code).toBe(ExitCode.inconclusive);
    const summary = JSON.parse(await readFile(path.join(out, "summary.json"), "utf8")) as { exitCode: number; pairs: { inconclusive: number }[] };
    expect(summary.exitCode).toBe(ExitCode.inconclusive);
    expect(summary.pairs[0]!.inconclusive).toBeGreaterThan(0);
    const allowed = await runCli(
      ["check", "--config", config, "--out", path.join(dir, "k2"), "--format", "json", "--quiet", "--no-record-history", "--allow-inconclusive"],
      env,
    );
    expect(allowed.code).toBe(ExitCode.ok);
  }, 60_000);

  it("a failing rule still exits 1: a failure outranks missing data", async () => {
    const analyzed = await runCli([
      "analyze",
      scenarioDir(SCENARIO),
      "--out",
      await mkdtemp(path.join(tmpdir(), "nothing-read-")),
      "--format",
      "json",
      "--quiet",
    ]);
    expect(analyzed.code).toBe(ExitCode.failed);
  });
});
