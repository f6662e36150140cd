// Two collectors on one snapshot folder: the second is refused (LOCKED, exit 5) and the first's snapshot stays whole.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, writeFile } from "node:fs/promises";
import { hostname, tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { collect, SNAPSHOT_LOCK_FILE, type CollectOptions } from "../../../src/collect/run.js";
import type { Config } from "../../../src/config/schema.js";
import { CtsError, ExitCode } from "../../../src/errors.js";
import { fakeToken, startEmulator, type Emulator } from "../../../src/emulator/index.js";
import { StaticTokenCredential } from "../../../src/graph/auth.js";
import { loadPair } from "../../../src/model/pair.js";
import { readManifest } from "../../../src/snapshot/store.js";
import { packageRoot } from "../../../src/version.js";
import { scenarioDir } from "../../helpers/pair.js";
import { S as CS, T as CT, check, pairsConfig, tenantBlock } from "../../check/helpers.js";

const S = "1fd6544e-e994-4de2-9f1b-787b51c7d325";
const T = "4a12efe6-aa14-4d03-8dff-88fc89e2e2ad";
const SCENARIO = "contoso-fabrikam";

let emulator: Emulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

function pairConfig(endpoint: string): Config {
  // A token per tenant: the CLI refuses a token whose tid is another tenant's before it collects.
  const tenant = (tenantId: string, tokenEnv: string) => ({
    tenantId,
    cloud: "global" as const,
    graphEndpoint: endpoint,
    auth: { method: "access-token" as const, tokenEnv },
  });
  return { source: tenant(S, "CTS_LOCK_TOKEN"), target: tenant(T, "CTS_LOCK_TOKEN_TARGET") };
}

async function run(dir: string, options: Partial<CollectOptions> = {}) {
  const window = (await readManifest(scenarioDir(SCENARIO))).window;
  return collect(pairConfig(emulator!.url), dir, {
    since: new Date(window.since),
    until: new Date(window.until),
    connectionTest: true,
    credentials: { source: new StaticTokenCredential(fakeToken(S)), target: new StaticTokenCredential(fakeToken(T)) },
    retry: { maxRetries: 1, baseDelayMs: 5, maxDelayMs: 50 },
    ...options,
  });
}

describe("one collector per snapshot folder", () => {
  it("two collections into one folder at once: one completes, the other is refused before writing", async () => {
    // Slow pages, so the two runs overlap for certain.
    emulator = await startEmulator({ snapshotDir: scenarioDir(SCENARIO), pageSize: 2, latencyMs: 5 });
    const dir = await mkdtemp(path.join(tmpdir(), "lock-"));
    const results = await Promise.allSettled([run(dir), run(dir)]);
    const refused = results.filter((r) => r.status === "rejected").map((r) => r.reason as CtsError);
    expect(refused).toHaveLength(1);
    expect(refused[0]).toBeInstanceOf(CtsError);
    expect(refused[0]!.exitCode).toBe(ExitCode.locked);
    expect(refused[0]!.message).toBe(refused[0]!.message.split("\n")[0]);
    expect(refused[0]!.message).toMatch(/^snapshot folder .* is in use by a collection \(pid \d+ on /);
    // The snapshot is the one run's, whole: analysis reads it and counts agree with the scenario.
    const pair = await loadPair(dir);
    const expected = await loadPair(scenarioDir(SCENARIO));
    expect(
      pair
        .get("source.users")
        .map((u) => u.id)
        .sort(),
    ).toEqual(
      expected
        .get("source.users")
        .map((u) => u.id)
        .sort(),
    );
    expect(pair.get("target.users")).toHaveLength(expected.get("target.users").length);
    expect(existsSync(path.join(dir, SNAPSHOT_LOCK_FILE))).toBe(false);
  }, 60_000);

  it("a collection that died (its pid gone) leaves a lock that the next run takes over with a notice", async () => {
    emulator = await startEmulator({ snapshotDir: scenarioDir(SCENARIO) });
    const dir = await mkdtemp(path.join(tmpdir(), "lock-"));
    const dead = await new Promise<number>((resolve) => {
      const child = spawn(process.execPath, ["-e", ""]);
      child.on("exit", () => {
        resolve(child.pid!);
      });
    });
    await writeFile(
      path.join(dir, SNAPSHOT_LOCK_FILE),
      JSON.stringify({ pid: dead, host: hostname(), startedAt: "2026-01-01T00:00:00.000Z", command: "a collection", token: "t" }),
    );
    const notices: string[] = [];
    const result = await run(dir, { onNotice: (l) => notices.push(l) });
    expect(notices).toEqual([
      `snapshot folder ${dir}: took over a lock left by a collection (pid ${dead}, started 2026-01-01T00:00:00.000Z), which is no longer running`,
    ]);
    expect(Object.values(result.manifest.facets).every((f) => f.status === "ok")).toBe(true);
  }, 60_000);

  it("the CLI: `collect --resume` while another run holds the folder exits 5 with one line", async () => {
    emulator = await startEmulator({ snapshotDir: scenarioDir(SCENARIO) });
    const dir = await mkdtemp(path.join(tmpdir(), "lock-"));
    await run(dir);
    const config = path.join(dir, "..", `${path.basename(dir)}.json`);
    await writeFile(config, JSON.stringify(pairConfig(emulator.url)));
    // A live holder: this test process.
    await writeFile(
      path.join(dir, SNAPSHOT_LOCK_FILE),
      JSON.stringify({ pid: process.pid, host: hostname(), startedAt: new Date().toISOString(), command: "a collection", token: "live" }),
    );
    const bin = path.join(packageRoot, "dist", "src", "cli", "main.js");
    const r = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [bin, "collect", "--config", config, "--out", dir, "--resume", "--quiet"], {
        env: { ...process.env, CTS_LOCK_TOKEN: fakeToken(S), CTS_LOCK_TOKEN_TARGET: fakeToken(T) },
      });
      let stderr = "";
      child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
      child.on("close", (code) => {
        resolve({ code, stderr });
      });
    });
    expect(r.code, r.stderr).toBe(5);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(
      /^cts-doctor: snapshot folder .* is in use by a collection \(pid \d+ on .*\); wait for it to finish, or delete .*\.cts-doctor\.lock if that run is gone\n$/,
    );
    expect(existsSync(path.join(dir, SNAPSHOT_LOCK_FILE))).toBe(true);
  }, 60_000);

  it("two `check --out` on one folder at once: one writes its reports and summary, the other is refused with exit 5", async () => {
    emulator = await startEmulator({ snapshotDir: scenarioDir(SCENARIO) });
    const tenants = { contoso: tenantBlock(CS, emulator.url), fabrikam: tenantBlock(CT, emulator.url) };
    const config = pairsConfig(tenants, [{ name: "contoso-fabrikam", source: "contoso", target: "fabrikam" }]);
    const out = await mkdtemp(path.join(tmpdir(), "lock-check-"));
    const results = await Promise.allSettled([check(config, tenants, out, { historyFile: null }), check(config, tenants, out, { historyFile: null })]);
    const refused = results.filter((r) => r.status === "rejected").map((r) => r.reason as CtsError);
    expect(refused).toHaveLength(1);
    expect(refused[0]!.exitCode).toBe(ExitCode.locked);
    expect(refused[0]!.message).toMatch(/^output folder .* is in use by check \(pid \d+ on /);
    const done = results.find((r) => r.status === "fulfilled") as PromiseFulfilledResult<Awaited<ReturnType<typeof check>>>;
    expect(done.value.summary.pairs[0]).not.toHaveProperty("error");
    expect(existsSync(path.join(out, SNAPSHOT_LOCK_FILE))).toBe(false);
  }, 60_000);
});
