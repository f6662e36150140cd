// Least privilege: `permissions` reads the token's roles and names the facet and permission missing; the emulator agrees.
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { collect } from "../../../src/collect/run.js";
import type { Config } from "../../../src/config/schema.js";
import { fakeToken, startEmulator } from "../../../src/emulator/index.js";
import { DEFAULT_ROLES } from "../../../src/emulator/token.js";
import { StaticTokenCredential } from "../../../src/graph/auth.js";
import { facetAccess, sideAccess, tokenPermissions } from "../../../src/permissions/table.js";
import { FACETS } from "../../../src/snapshot/facets.js";
import { readManifest } from "../../../src/snapshot/store.js";
import { emulatorPerTest } from "../../helpers/emulator-pair.js";
import { scenarioDir } from "../../helpers/pair.js";
import { runCli as cli } from "../../helpers/cli.js";

const S = "1fd6544e-e994-4de2-9f1b-787b51c7d325";
const T = "4a12efe6-aa14-4d03-8dff-88fc89e2e2ad";
const withoutAuditLog = DEFAULT_ROLES.filter((r) => r !== "AuditLog.Read.All");

const emulators = emulatorPerTest();

async function configFile(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), "perm-"));
  const file = path.join(dir, "pair.json");
  const tenant = (tenantId: string, env: string) => ({ tenantId, graphEndpoint: "http://127.0.0.1:9", auth: { method: "access-token", tokenEnv: env } });
  await writeFile(file, JSON.stringify({ source: tenant(S, "CTS_PERM_SRC"), target: tenant(T, "CTS_PERM_TGT") }));
  return file;
}

describe("permission table", () => {
  it("a permission is satisfied by itself or a documented higher one", () => {
    expect(facetAccess("source.partner", new Set(["Policy.ReadWrite.CrossTenantAccess"]))).toMatchObject({
      readable: true,
      grantedBy: "Policy.ReadWrite.CrossTenantAccess",
    });
    expect(facetAccess("source.authorizationPolicy", new Set(["Policy.ReadWrite.CrossTenantAccess"]))).toMatchObject({
      readable: false,
      missing: ["Policy.Read.All"],
    });
    expect(facetAccess("source.users", new Set(["directory.read.all"]))).toMatchObject({ readable: true });
    expect(facetAccess("source.provisioningLogs", new Set(["ProvisioningLog.Read.All"]))).toMatchObject({ readable: true });
  });

  it("names the one permission to add for provisioning logs when only AuditLog.Read.All is missing", () => {
    expect(facetAccess("source.provisioningLogs", new Set(withoutAuditLog))).toMatchObject({
      readable: false,
      missing: ["AuditLog.Read.All"],
      least: "AuditLog.Read.All + Directory.Read.All",
    });
  });

  it("reads application roles and delegated scopes", () => {
    expect(tokenPermissions({ roles: ["User.Read.All"] })).toEqual({ kind: "application", permissions: new Set(["User.Read.All"]) });
    expect(tokenPermissions({ scp: "Policy.Read.All  User.Read.All" })).toEqual({
      kind: "delegated",
      permissions: new Set(["Policy.Read.All", "User.Read.All"]),
    });
  });
});

describe("cts-doctor permissions", () => {
  it("on a token missing AuditLog.Read.All names the provisioning-log facet and the permission, exit 1", async () => {
    const r = await cli(["permissions", "--config", await configFile()], {
      CTS_PERM_SRC: fakeToken(S, { roles: withoutAuditLog }),
      CTS_PERM_TGT: fakeToken(T),
    });
    expect(r.code, r.stderr).toBe(1);
    const denied = r.stdout.split("\n").filter((l) => l.includes("DENIED"));
    // The logs and the outcomes of their objects (the same API, the same permission).
    expect(denied).toHaveLength(2);
    expect(denied[0]).toMatch(/source\.provisioningLogs\s+grant AuditLog\.Read\.All/);
    expect(denied[1]).toMatch(/source\.provisioningOutcomes\s+grant AuditLog\.Read\.All/);
    expect(r.stdout).toContain("application token, roles");
    // No token material in the output, only claim names.
    expect(r.stdout).not.toContain(fakeToken(S, { roles: withoutAuditLog }).split(".")[1]);
  });

  it("--json lists every facet per tenant; all readable with the default roles → exit 0", async () => {
    const r = await cli(["permissions", "--config", await configFile(), "--json", "--remediation"], { CTS_PERM_SRC: fakeToken(S), CTS_PERM_TGT: fakeToken(T) });
    expect(r.code, r.stderr).toBe(0);
    const json = JSON.parse(r.stdout) as {
      tenants: { side: string; facets: { facet: string; readable: boolean }[]; remediation: { permission: string; held: boolean }[] }[];
    };
    expect(json.tenants.map((t) => t.side)).toEqual(["source", "target"]);
    expect(json.tenants.flatMap((t) => t.facets.map((f) => f.facet)).sort()).toEqual(FACETS.map((f) => f.id).sort());
    expect(json.tenants.every((t) => t.facets.every((f) => f.readable))).toBe(true);
    const targetWrites = json.tenants[1]!.remediation.map((w) => w.permission);
    expect(targetWrites).toContain("Policy.ReadWrite.CrossTenantAccess");
    expect(json.tenants[1]!.remediation.find((w) => w.permission === "Policy.ReadWrite.CrossTenantAccess")?.held).toBe(false);
  });

  it("refuses a token for another tenant (exit 3) without printing it", async () => {
    const r = await cli(["permissions", "--config", await configFile()], { CTS_PERM_SRC: fakeToken(T), CTS_PERM_TGT: fakeToken(T) });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(`token is for tenant ${T}, not the configured ${S}`);
    expect(r.stdout).toBe("");
  });
});

describe("the emulator enforcing roles agrees with the table", () => {
  const config = (url: string): Config => {
    const tenant = (tenantId: string) => ({
      tenantId,
      cloud: "global" as const,
      graphEndpoint: url,
      auth: { method: "access-token" as const, tokenEnv: "UNUSED" },
    });
    return { source: tenant(S), target: tenant(T) };
  };

  it.each([
    ["without AuditLog.Read.All", withoutAuditLog],
    ["with Policy.Read.All and User.Read.All only", ["Policy.Read.All", "User.Read.All"]],
    [
      "with higher-privileged alternatives only",
      ["Policy.ReadWrite.CrossTenantAccess", "Directory.Read.All", "Application.ReadWrite.All", "Synchronization.ReadWrite.All", "ProvisioningLog.Read.All"],
    ],
  ])("a source token %s: exactly the facets predicted unreadable are not collected", async (_name, roles) => {
    const emulator = (emulators.current = await startEmulator({ snapshotDir: scenarioDir("contoso-fabrikam"), enforceRoles: true }));
    const dir = await mkdtemp(path.join(tmpdir(), "perm-collect-"));
    const window = (await readManifest(scenarioDir("contoso-fabrikam"))).window;
    await collect(config(emulator.url), dir, {
      since: new Date(window.since),
      connectionTest: true,
      credentials: { source: new StaticTokenCredential(fakeToken(S, { roles })), target: new StaticTokenCredential(fakeToken(T)) },
      retry: { maxRetries: 1, baseDelayMs: 5 },
    });
    const manifest = await readManifest(dir);
    for (const access of sideAccess("source", new Set(roles))) {
      const entry = manifest.facets[access.facet]!;
      if (access.readable) expect(entry.status === "ok" || entry.error?.code === "DependencyFailed", `${access.facet}: ${entry.status}`).toBe(true);
      else expect(entry.status, access.facet).not.toBe("ok");
      if (entry.status === "denied") expect(access.readable, access.facet).toBe(false);
    }
    if (
      !roles.includes("AuditLog.Read.All") &&
      !roles.includes("ProvisioningLog.Read.All") &&
      manifest.facets["source.syncServicePrincipals"]?.status === "ok"
    ) {
      expect(manifest.facets["source.provisioningLogs"]).toMatchObject({ status: "denied", error: { code: "Authorization_RequestDenied" } });
    }
  });
});

describe("permissions --remediation with a separate remediation credential", () => {
  it("checks the write permissions on the remediation token, not the read-only one", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "perm-"));
    const file = path.join(dir, "pair.json");
    const tenant = (tenantId: string, env: string) => ({
      tenantId,
      graphEndpoint: "http://127.0.0.1:9",
      auth: { method: "access-token", tokenEnv: env },
      remediation: { auth: { method: "access-token", tokenEnv: `${env}_WRITE` } },
    });
    await writeFile(file, JSON.stringify({ source: tenant(S, "CTS_PERM_SRC"), target: tenant(T, "CTS_PERM_TGT") }));
    const env = {
      CTS_PERM_SRC: fakeToken(S, { roles: DEFAULT_ROLES }),
      CTS_PERM_TGT: fakeToken(T, { roles: DEFAULT_ROLES }),
      CTS_PERM_SRC_WRITE: fakeToken(S, { roles: ["Policy.ReadWrite.CrossTenantAccess", "Synchronization.ReadWrite.All"] }),
      CTS_PERM_TGT_WRITE: fakeToken(T, { roles: ["Policy.ReadWrite.CrossTenantAccess"] }),
    };
    const r = await cli(["permissions", "--config", file, "--remediation", "--json"], env);
    const tenants = (JSON.parse(r.stdout) as { tenants: { side: string; remediation: { permission: string; held?: boolean }[] }[] }).tenants;
    const held = (side: string, permission: string) => tenants.find((t) => t.side === side)?.remediation.find((w) => w.permission === permission)?.held;
    expect(held("source", "Policy.ReadWrite.CrossTenantAccess")).toBe(true);
    expect(held("source", "Synchronization.ReadWrite.All")).toBe(true);
    expect(held("target", "Policy.ReadWrite.CrossTenantAccess")).toBe(true);
    expect(held("source", "UserAuthMethod-Phone.ReadWrite.All")).toBe(false);
    // A remediation token for the wrong tenant is refused.
    const wrong = await cli(["permissions", "--config", file, "--remediation"], { ...env, CTS_PERM_TGT_WRITE: fakeToken(S) });
    expect(wrong.code).toBe(3);
    expect(wrong.stderr).toContain("remediation token is for tenant");
  });
});
