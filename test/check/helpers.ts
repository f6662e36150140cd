// Test helper: a check run against emulators over real HTTP, with tenant tokens injected by tenant name.
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { TokenCredential } from "@azure/core-auth";
import { runCheck, type CheckOptions } from "../../src/check/run.js";
import { parsePairsConfig } from "../../src/config/pairs.js";
import { fakeToken } from "../../src/emulator/index.js";
import { StaticTokenCredential } from "../../src/graph/auth.js";

export const S = "1fd6544e-e994-4de2-9f1b-787b51c7d325";
export const T = "4a12efe6-aa14-4d03-8dff-88fc89e2e2ad";

/** The window end of every bundled scenario (fixtures/scenarios/README.md: "dated 2025-03-04T11:00Z"). */
export const SCENARIO_UNTIL = "2025-03-04T11:00:00Z";

export const quiet = { info: () => undefined, debug: () => undefined };

export const tenantBlock = (tenantId: string, graphEndpoint: string) => ({ tenantId, graphEndpoint, auth: { method: "access-token", tokenEnv: "UNUSED" } });

/** A multi-pair config from tenant blocks by name and pairs naming them. */
export function pairsConfig(
  tenants: Record<string, ReturnType<typeof tenantBlock>>,
  pairs: { name: string; source: string; target: string }[],
  extra: Record<string, unknown> = {},
) {
  // Every phone method is read: these tests turn SMS sign-in on for provisioned users, which the targeted read skips.
  return parsePairsConfig({ tenants, pairs, collection: { since: "2020-01-01T00:00:00Z", allPhoneMethods: true }, ...extra }, "test.yaml");
}

/** Fake tokens for every named tenant (the emulator routes and checks by the token's tid). */
export function credentialsFor(tenants: Record<string, ReturnType<typeof tenantBlock>>): Map<string, TokenCredential> {
  return new Map(Object.entries(tenants).map(([name, t]) => [name, new StaticTokenCredential(fakeToken(t.tenantId))]));
}

export const tempDir = (prefix: string) => mkdtemp(path.join(tmpdir(), prefix));

/** runCheck with quiet output, json+md+html and a history file in the output folder. */
export function check(
  config: ReturnType<typeof pairsConfig>,
  tenants: Record<string, ReturnType<typeof tenantBlock>>,
  outDir: string,
  options: Partial<CheckOptions> = {},
) {
  return runCheck(
    config,
    {
      outDir,
      formats: ["json", "md", "html", "csv", "sarif", "junit"],
      failOn: "high",
      failOnNew: false,
      waivers: [],
      historyFile: path.join(outDir, "history.sqlite"),
      connectionTest: true,
      credentials: credentialsFor(tenants),
      retry: { baseDelayMs: 5, maxDelayMs: 200 },
      // The bundled scenarios are dated 2025-03-04T11:00Z: judge them then, not today (job-not-synced-recently).
      until: new Date(SCENARIO_UNTIL),
      ...options,
    },
    quiet,
  );
}
