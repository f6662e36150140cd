// Test helper for test/e2e/faults: collect the broken demo pair through an emulator with scripted faults.
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { CollectOptions } from "../../../src/collect/run.js";
import type { Config } from "../../../src/config/schema.js";
import { parseFault, type Emulator } from "../../../src/emulator/index.js";
import type { Manifest } from "../../../src/snapshot/manifest.js";
import { readManifest } from "../../../src/snapshot/store.js";
import { startEmulatorPair } from "../../helpers/emulator-pair.js";
import { scenarioDir } from "../../helpers/pair.js";

export const SCENARIO = "contoso-fabrikam";
export const S = "1fd6544e-e994-4de2-9f1b-787b51c7d325";
export const T = "4a12efe6-aa14-4d03-8dff-88fc89e2e2ad";

export function pairConfig(sourceEndpoint: string, targetEndpoint = sourceEndpoint): Config {
  const tenant = (tenantId: string, graphEndpoint: string) => ({
    tenantId,
    cloud: "global" as const,
    graphEndpoint,
    auth: { method: "access-token" as const, tokenEnv: "UNUSED" },
  });
  return { source: tenant(S, sourceEndpoint), target: tenant(T, targetEndpoint) };
}

export interface FaultRun {
  dir: string;
  manifest: Manifest;
  retries: { status: number | "network"; waitMs: number }[];
  emulator: Emulator;
}

/**
 * Collect the scenario through an emulator with `faults`; short backoffs so sticky faults give up quickly. The caller
 * closes `run.emulator` (tests keep it open to read its journal).
 */
export async function collectWithFaults(faults: string[], options: Partial<CollectOptions> = {}, endpoint?: (url: string) => Config): Promise<FaultRun> {
  const pair = await startEmulatorPair(scenarioDir(SCENARIO), { faults: faults.map(parseFault) });
  try {
    const dir = await mkdtemp(path.join(tmpdir(), "faults-"));
    const retries: FaultRun["retries"] = [];
    await pair.collect(dir, {
      config: endpoint ? endpoint(pair.url) : pairConfig(pair.url),
      retry: { maxRetries: 2, baseDelayMs: 5, maxDelayMs: 2000 },
      onRetry: (_side, r) => retries.push({ status: r.status, waitMs: r.waitMs }),
      ...options,
    });
    return { dir, manifest: await readManifest(dir), retries, emulator: pair.emulator };
  } catch (err) {
    await pair.close();
    throw err;
  }
}
