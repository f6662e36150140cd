// Test helper: one emulator serving a snapshot's source and target tenants, with the pair config and a collect() through it.
import { afterEach, vi } from "vitest";
import { collect, type CollectOptions, type CollectResult } from "../../src/collect/run.js";
import type { Config } from "../../src/config/schema.js";
import { fakeToken, startEmulator, type Emulator, type EmulatorOptions } from "../../src/emulator/index.js";
import { StaticTokenCredential } from "../../src/graph/auth.js";
import type { Manifest } from "../../src/snapshot/manifest.js";
import { readManifest } from "../../src/snapshot/store.js";

type Side = "source" | "target";

export interface EmulatorPair {
  emulator: Emulator;
  url: string;
  /** The served snapshot's manifest (tenant ids, clouds, window). */
  manifest: Manifest;
  /** The snapshot's collection window, as collect() takes it. */
  window: { since: Date; until: Date };
  /** The pair's config: both tenants on this emulator, access-token auth from `tokenEnv` (a name, never a token). */
  config(extra?: Partial<Pick<Config, "collection" | "configuration">>, tokenEnv?: Record<Side, string>): Config;
  /** Collect the pair into `out` in process: the window's start, a connection test, tokens for each tenant. */
  collect(out: string, options?: Partial<CollectOptions> & { config?: Config }): Promise<CollectResult>;
  close(): Promise<void>;
}

/** Start an emulator over `snapshotDir` (the caller closes it: `withEmulatorPair` does it for you). */
export async function startEmulatorPair(snapshotDir: string, options: Omit<EmulatorOptions, "snapshotDir"> = {}): Promise<EmulatorPair> {
  const manifest = await readManifest(snapshotDir);
  const emulator = await startEmulator({ snapshotDir, ...options });
  const tenant = (side: Side, tokenEnv: string) => ({
    tenantId: manifest[side].tenantId,
    cloud: manifest[side].cloud,
    graphEndpoint: emulator.url,
    auth: { method: "access-token" as const, tokenEnv },
  });
  const config: EmulatorPair["config"] = (extra = {}, tokenEnv = { source: "UNUSED", target: "UNUSED" }) => ({
    source: tenant("source", tokenEnv.source),
    target: tenant("target", tokenEnv.target),
    ...extra,
  });
  const window = { since: new Date(manifest.window.since), until: new Date(manifest.window.until) };
  return {
    emulator,
    url: emulator.url,
    manifest,
    window,
    config,
    collect: (out, { config: chosen, ...rest } = {}) =>
      collect(chosen ?? config(), out, {
        since: window.since,
        connectionTest: true,
        credentials: {
          source: new StaticTokenCredential(fakeToken(manifest.source.tenantId)),
          target: new StaticTokenCredential(fakeToken(manifest.target.tenantId)),
        },
        ...rest,
      }),
    close: () => emulator.close(),
  };
}

/** Run `use` with an emulator pair over `snapshotDir`, closed afterwards whatever happens. */
export async function withEmulatorPair<T>(
  snapshotDir: string,
  options: Omit<EmulatorOptions, "snapshotDir">,
  use: (pair: EmulatorPair) => Promise<T>,
): Promise<T> {
  const pair = await startEmulatorPair(snapshotDir, options);
  try {
    return await use(pair);
  } finally {
    await pair.close();
  }
}

/**
 * A slot for the emulator a test starts, closed after each test, with mocks and process.exitCode reset (tests that run
 * the CLI in-process set both).
 */
export function emulatorPerTest(): { current?: Emulator } {
  const slot: { current?: Emulator } = {};
  afterEach(async () => {
    await slot.current?.close();
    slot.current = undefined;
    vi.restoreAllMocks();
    process.exitCode = undefined;
  });
  return slot;
}
