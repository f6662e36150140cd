// The secrets read (beta first, v1.0 as fallback) and the configuration for the target when CompanyId is unknown.
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { analyzeSnapshot } from "../../src/app/analyze.js";
import { collect } from "../../src/collect/run.js";
import type { Config } from "../../src/config/schema.js";
import { fakeToken, loadSnapshot, startEmulator, type Emulator, type SecretsReadMode, type SnapshotData } from "../../src/emulator/index.js";
import { CtsError } from "../../src/errors.js";
import { StaticTokenCredential } from "../../src/graph/auth.js";
import type { ServicePrincipal } from "../../src/snapshot/graph-types.js";
import { readFacet, readManifest } from "../../src/snapshot/store.js";
import { scenarioDir } from "../helpers/pair.js";

const S = "1fd6544e-e994-4de2-9f1b-787b51c7d325";
const T = "4a12efe6-aa14-4d03-8dff-88fc89e2e2ad";
const FABRIKAM = "c8c95753-f628-48e1-9fab-76c2d4cf624c";
const NORTHWIND = "3d8f2b61-9c4e-4a7b-8e15-6f0a2c9d7b44";

let emulator: Emulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

/** The healthy pair, optionally changed, served with the given secrets-read mode. */
async function serve(secretsRead: SecretsReadMode, change?: (s: SnapshotData) => void): Promise<Emulator> {
  const snapshot = await loadSnapshot(scenarioDir("healthy"));
  change?.(snapshot);
  emulator = await startEmulator({ snapshot, secretsRead });
  return emulator;
}

/** A second CTS configuration (no job, nothing assigned) beside Fabrikam. */
function addConfiguration(s: SnapshotData, displayName: string): void {
  const fabrikam = s.facets["source.syncServicePrincipals"]![0]!;
  const other: ServicePrincipal = { ...structuredClone(fabrikam), id: NORTHWIND, appId: "9a1b7c3d-2e4f-4a6b-8c0d-1e2f3a4b5c6e", displayName };
  s.facets["source.syncServicePrincipals"]!.push(other);
  s.facets["source.syncSecrets"]![NORTHWIND] = [{ key: "CompanyId", value: "7c3e9a15-2b8d-4f61-a0c4-5e9d8b7f6a21" }];
  s.facets["source.syncJobs"]![NORTHWIND] = [];
  s.facets["source.syncAssignments"]![NORTHWIND] = [];
}

async function diagnose(emu: Emulator, configuration?: string) {
  const tenant = (tenantId: string) => ({
    tenantId,
    cloud: "global" as const,
    graphEndpoint: emu.url,
    auth: { method: "access-token" as const, tokenEnv: "UNUSED" },
  });
  const config: Config = { source: tenant(S), target: tenant(T), ...(configuration ? { configuration } : {}) };
  const dir = await mkdtemp(path.join(tmpdir(), "secrets-"));
  const since = new Date((await readManifest(scenarioDir("healthy"))).window.since);
  await collect(config, path.join(dir, "snapshot"), {
    since,
    connectionTest: true,
    credentials: { source: new StaticTokenCredential(fakeToken(S)), target: new StaticTokenCredential(fakeToken(T)) },
  });
  const { report } = await analyzeSnapshot(path.join(dir, "snapshot"), dir, ["json"], "high");
  const result = (id: string) => report.results.find((r) => r.ruleId === id)!;
  return { snapshot: path.join(dir, "snapshot"), manifest: await readManifest(path.join(dir, "snapshot")), result, report };
}

const secretsGets = (emu: Emulator) =>
  emu.journal
    .filter((e) => e.method === "GET" && /\/synchronization\/secrets/.test(e.path))
    .map((e) => `${/\/beta\//.test(e.path) ? "beta" : "v1.0"} ${e.status}`);

describe("the secrets read", () => {
  it("asks beta first and records the version that answered", async () => {
    const emu = await serve("both");
    const { manifest, result } = await diagnose(emu);
    expect(secretsGets(emu)).toEqual(["beta 200"]);
    expect(manifest.facets["source.syncSecrets"]?.reads).toEqual({ [FABRIKAM]: { version: "beta" } });
    expect(result("configuration-missing").status).toBe("pass");
  });

  it("falls back to v1.0 when beta does not offer it", async () => {
    const emu = await serve("both");
    emu.addFaults([{ method: "GET", path: "/synchronization/secrets", status: 405, times: 1 }]);
    const { manifest, result } = await diagnose(emu);
    expect(secretsGets(emu)).toEqual(["beta 405", "v1.0 200"]);
    expect(manifest.facets["source.syncSecrets"]).toMatchObject({ status: "ok", reads: { [FABRIKAM]: { version: "v1.0" } } });
    expect(result("configuration-missing").status).toBe("pass");
  });

  it("a refusal on both versions is a missing permission, and says which", async () => {
    const emu = await serve("both");
    emu.addFaults([{ method: "GET", path: "/synchronization/secrets", status: 403, times: 2 }]);
    const { manifest, result } = await diagnose(emu);
    expect(secretsGets(emu)).toEqual(["beta 403", "v1.0 403"]);
    expect(manifest.facets["source.syncSecrets"]).toMatchObject({ status: "denied", error: { httpStatus: 403, code: "Authorization_RequestDenied" } });
    expect(result("notification-email-missing").reason).toContain("grant Synchronization.ReadWrite.All");
  });

  it("with neither version answering, still collects the configuration and names the cause", async () => {
    const emu = await serve("none");
    const { manifest, result } = await diagnose(emu);
    expect(secretsGets(emu)).toEqual(["beta 405", "v1.0 405"]);
    const entry = manifest.facets["source.syncSecrets"]!;
    expect(entry.status).toBe("failed");
    expect(entry.error).toMatchObject({ code: "NotOffered", httpStatus: 405 });
    expect(entry.reads?.[FABRIKAM]?.error?.message).toBe("Graph does not offer this read here (beta: 405 Request_BadRequest; v1.0: 405 Request_BadRequest)");
    for (const id of [
      "source.syncJobs",
      "source.syncSchemas",
      "source.syncAssignments",
      "source.groupMembers",
      "source.users",
      "source.phoneMethods",
      "source.provisioningLogs",
      "source.connectionTest",
    ]) {
      expect(manifest.facets[id]?.status, id).toBe("ok");
    }
    // SyncAll unknown: the assigned users were read, and the facet says that is all it holds.
    expect(manifest.facets["source.users"]?.filter).toBe("assigned-only");
    for (const id of ["notification-email-missing", "accidental-deletion-prevention-off", "configuration-missing"]) {
      expect(result(id).status, id).toBe("inconclusive");
      expect(result(id).reason, id).toContain("Graph does not offer this read here");
      expect(result(id).reason, id).not.toContain("grant");
    }
    expect(result("job-not-running").status).toBe("pass");
    expect(result("job-not-running").reason).toContain(
      `configuration for the target not confirmed: its secrets could not be read; its name "Fabrikam" (${FABRIKAM}) contains the target's "fabrikam"`,
    );
  });

  it("takes a secrets document without CompanyId as unknown, never as no configuration", async () => {
    const emu = await serve("both", (s) => {
      s.facets["source.syncSecrets"]![FABRIKAM] = s.facets["source.syncSecrets"]![FABRIKAM]!.filter((kv) => kv.key !== "CompanyId");
    });
    const { result, manifest } = await diagnose(emu);
    expect(result("configuration-missing").status).toBe("inconclusive");
    expect(result("configuration-missing").reason).toContain("its secrets have no CompanyId");
    expect(manifest.facets["source.syncJobs"]?.count).toBe(1);
    // SyncAll and SyncNotificationSettings were read: those rules run.
    expect(result("notification-email-missing").status).toBe("pass");
  });
});

describe("--configuration", () => {
  it.each([
    ["its service principal id", FABRIKAM],
    ["its displayName, in any case", "fabrikam"],
  ])("named by %s, confirms the configuration when the secrets cannot be read", async (_how, name) => {
    const emu = await serve("none", (s) => {
      addConfiguration(s, "Fabrikam sync");
    });
    const { snapshot, manifest, result } = await diagnose(emu, name);
    expect(manifest.configuration).toBe(name);
    expect(result("configuration-missing").status).toBe("pass");
    expect(result("job-not-running").status).toBe("pass");
    expect(result("job-not-running").reason).toBe("No problem found.");
    // Only the named configuration was collected.
    expect(Object.keys(await readFacet(snapshot, "source.syncJobs"))).toEqual([FABRIKAM]);
  });

  it("naming no configuration found is a one-line usage error listing those found", async () => {
    const emu = await serve("none");
    const err = await diagnose(emu, "Woodgrove").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CtsError);
    expect((err as CtsError).code).toBe("USAGE");
    expect((err as CtsError).message).toBe(
      `--configuration "Woodgrove" is not a cross-tenant synchronization configuration in the source (found: "Fabrikam" (${FABRIKAM}))`,
    );
  });
});

describe("the configuration for the target without CompanyId", () => {
  it("is the one named after the target organization; only it is collected", async () => {
    const emu = await serve("none", (s) => {
      addConfiguration(s, "Northwind");
    });
    const { snapshot, result } = await diagnose(emu);
    expect(Object.keys(await readFacet(snapshot, "source.syncJobs"))).toEqual([FABRIKAM]);
    expect(Object.keys(await readFacet(snapshot, "source.syncAssignments"))).toEqual([FABRIKAM]);
    expect(result("no-assignments").status).toBe("pass");
    expect(result("no-assignments").reason).toContain("not confirmed");
  });

  it("cannot be told among candidates that nothing names: every candidate is collected, the rules say why they cannot run", async () => {
    const emu = await serve("none", (s) => {
      addConfiguration(s, "Sync 2");
      s.facets["source.syncServicePrincipals"]![0]!.displayName = "Sync 1";
    });
    const { snapshot, manifest, result } = await diagnose(emu);
    expect(Object.keys(await readFacet(snapshot, "source.syncJobs")).sort()).toEqual([FABRIKAM, NORTHWIND].sort());
    expect(manifest.facets["source.connectionTest"]).toMatchObject({ status: "skipped", error: { code: "ConfigurationNotIdentified" } });
    expect(result("job-not-running").status).toBe("inconclusive");
    expect(result("job-not-running").reason).toContain("name it with --configuration");
    expect(result("configuration-missing").status).toBe("inconclusive");
  });
});
