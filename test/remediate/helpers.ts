// Test helpers: the bundled broken pair served by the emulator, a config pointing at it, and injected fake credentials.
import { afterEach, beforeEach, vi } from "vitest";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { loadScenario } from "../../src/cli/scenarios.js";
import { fakeToken, startEmulator, type Emulator } from "../../src/emulator/index.js";
import { StaticTokenCredential } from "../../src/graph/auth.js";
import { readManifest } from "../../src/snapshot/store.js";
import type { Manifest } from "../../src/snapshot/manifest.js";

export interface Bench {
  emulator: Emulator;
  manifest: Manifest;
  scenarioDir: string;
  dir: string;
  configFile: string;
  credentials: { source: StaticTokenCredential; target: StaticTokenCredential };
  close: () => Promise<void>;
}

/** Serve a bundled scenario and write a config for it (access-token auth; the tests inject the credentials). */
export async function bench(scenario = "contoso-fabrikam", remediation = true): Promise<Bench> {
  const { dir: scenarioDir } = await loadScenario(scenario);
  const manifest = await readManifest(scenarioDir);
  const emulator = await startEmulator({ snapshotDir: scenarioDir });
  const dir = await mkdtemp(path.join(tmpdir(), "cts-remediate-"));
  const tenant = (side: "source" | "target") => ({
    tenantId: manifest[side].tenantId,
    cloud: manifest[side].cloud,
    graphEndpoint: emulator.url,
    auth: { method: "access-token", tokenEnv: `CTS_TEST_${side.toUpperCase()}_TOKEN` },
    ...(remediation ? { remediation: { auth: { method: "access-token", tokenEnv: `CTS_TEST_${side.toUpperCase()}_WRITE_TOKEN` } } } : {}),
  });
  const configFile = path.join(dir, "pair.json");
  await writeFile(configFile, JSON.stringify({ source: tenant("source"), target: tenant("target") }, null, 2));
  // The CLI reads tokens from the environment (access-token auth); the emulator routes by their tid.
  for (const side of ["source", "target"] as const) {
    process.env[`CTS_TEST_${side.toUpperCase()}_TOKEN`] = fakeToken(manifest[side].tenantId);
    process.env[`CTS_TEST_${side.toUpperCase()}_WRITE_TOKEN`] = fakeToken(manifest[side].tenantId);
  }
  const credentials = {
    source: new StaticTokenCredential(fakeToken(manifest.source.tenantId)),
    target: new StaticTokenCredential(fakeToken(manifest.target.tenantId)),
  };
  return { emulator, manifest, scenarioDir, dir, configFile, credentials, close: () => emulator.close() };
}

export const quiet = { quiet: true, debug: false };

/** Writes the emulator answered (validateCredentials is the connection test, not a change). */
export function writesSeen(emulator: Emulator): { method: string; path: string; status: number; clientRequestId?: string }[] {
  return emulator.journal
    .filter((e) => e.method !== "GET" && !/validateCredentials|\/\$batch$/i.test(e.path))
    .map((e) => ({ method: e.method, path: e.path, status: e.status, ...(e.clientRequestId ? { clientRequestId: e.clientRequestId } : {}) }));
}

/**
 * A fresh bench for each test of the file (stdout muted: the commands print paths and step ids), closed after it.
 * The object returned stands for the current test's bench.
 */
export function benchEach(scenario = "contoso-fabrikam"): Bench {
  let current: Bench | undefined;
  beforeEach(async () => {
    vi.spyOn(process.stdout, "write").mockImplementation(() => true);
    current = await bench(scenario);
  });
  afterEach(async () => {
    vi.restoreAllMocks();
    await current?.close();
    current = undefined;
    process.exitCode = undefined;
  });
  return new Proxy({} as Bench, {
    get(_target, key) {
      if (!current) throw new Error("benchEach: used outside a test");
      return current[key as keyof Bench];
    },
  });
}
