// `--configuration` and `configuration:` on the commands that collect, against an emulator that reads no secrets.
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { fakeToken, loadSnapshot, startEmulator, type Emulator } from "../../src/emulator/index.js";
import type { Report } from "../../src/report/model.js";
import { readManifest } from "../../src/snapshot/store.js";
import { runCli } from "../helpers/cli.js";
import { scenarioDir } from "../helpers/pair.js";

const S = "1fd6544e-e994-4de2-9f1b-787b51c7d325";
const T = "4a12efe6-aa14-4d03-8dff-88fc89e2e2ad";
const FABRIKAM = "c8c95753-f628-48e1-9fab-76c2d4cf624c";
const NORTHWIND = "3d8f2b61-9c4e-4a7b-8e15-6f0a2c9d7b44";
const env = { CTS_CFG_SRC: fakeToken(S), CTS_CFG_TGT: fakeToken(T) };

let emulator: Emulator;
let dir: string;
let since: string;
let until: string;
beforeEach(async () => {
  emulator = await startEmulator({ snapshotDir: scenarioDir("healthy"), secretsRead: "none" });
  dir = await mkdtemp(path.join(tmpdir(), "configuration-"));
  ({ since, until } = (await readManifest(scenarioDir("healthy"))).window);
});
afterEach(() => emulator.close());

async function configFile(extra = ""): Promise<string> {
  const file = path.join(dir, "pair.yaml");
  const block = (id: string, token: string) => `{ tenantId: ${id}, graphEndpoint: "${emulator.url}", auth: { method: access-token, tokenEnv: ${token} } }`;
  await writeFile(file, [`source: ${block(S, "CTS_CFG_SRC")}`, `target: ${block(T, "CTS_CFG_TGT")}`, extra, ""].join("\n"));
  return file;
}

const resultOf = async (out: string, id: string) =>
  (JSON.parse(await readFile(path.join(out, "report.json"), "utf8")) as Report).results.find((r) => r.ruleId === id)!;

describe("--configuration", () => {
  it("diagnose: without it CompanyId is unknown; with the service principal id the configuration is confirmed", async () => {
    const config = await configFile();
    const plain = path.join(dir, "plain");
    expect((await runCli(["diagnose", "--config", config, "--out", plain, "--format", "json", "--since", since, "--until", until, "--quiet"], env)).code).toBe(
      4,
    );
    // Exit 4: rules that need the secrets (CompanyId, SyncAll, notifications) are inconclusive, and that is not green.
    expect((await resultOf(plain, "configuration-missing")).status).toBe("inconclusive");
    const named = path.join(dir, "named");
    expect(
      (
        await runCli(
          [
            "diagnose",
            "--config",
            config,
            "--out",
            named,
            "--format",
            "json",
            "--since",
            since,
            "--until",
            until,
            "--quiet",
            "--configuration",
            FABRIKAM,
            "--allow-inconclusive",
          ],
          env,
        )
      ).code,
    ).toBe(0);
    expect((await resultOf(named, "configuration-missing")).status).toBe("pass");
    expect((await resultOf(named, "job-not-running")).reason).toBe("No problem found.");
  });

  it("collect: configuration: in the config file, by displayName, is recorded in the manifest", async () => {
    const config = await configFile("configuration: Fabrikam");
    const out = path.join(dir, "snap");
    expect((await runCli(["collect", "--config", config, "--out", out, "--since", since, "--until", until, "--quiet", "--allow-inconclusive"], env)).code).toBe(
      0,
    );
    expect((await readManifest(out)).configuration).toBe("Fabrikam");
  });

  it("a name that is no configuration is a one-line usage error (exit 2)", async () => {
    const config = await configFile();
    const r = await runCli(
      ["collect", "--config", config, "--out", path.join(dir, "x"), "--since", since, "--until", until, "--quiet", "--configuration", "Woodgrove"],
      env,
    );
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toContain(
      `--configuration "Woodgrove" is not a cross-tenant synchronization configuration in the source (found: "Fabrikam" (${FABRIKAM}))`,
    );
  });

  it("check: applies to a one-pair config, and is refused for many pairs", async () => {
    const one = await configFile();
    const out = path.join(dir, "check");
    // The scenario's own window: its job is judged as of then, not today (job-not-synced-recently).
    const r = await runCli(
      [
        "check",
        "--config",
        one,
        "--out",
        out,
        "--format",
        "json",
        "--since",
        since,
        "--until",
        until,
        "--no-record-history",
        "--quiet",
        "--configuration",
        "fabrikam",
        "--allow-inconclusive",
      ],
      env,
    );
    expect(r.code, r.stderr).toBe(0);
    expect((await resultOf(path.join(out, "default"), "configuration-missing")).status).toBe("pass");
    const many = path.join(dir, "pairs.yaml");
    const block = (id: string, token: string) => `{ tenantId: ${id}, graphEndpoint: "${emulator.url}", auth: { method: access-token, tokenEnv: ${token} } }`;
    await writeFile(
      many,
      [
        "tenants:",
        `  a: ${block(S, "CTS_CFG_SRC")}`,
        `  b: ${block(T, "CTS_CFG_TGT")}`,
        "pairs:",
        "  - { name: one, source: a, target: b, configuration: Fabrikam }",
        "  - { name: two, source: a, target: b }",
        "",
      ].join("\n"),
    );
    const refused = await runCli(["check", "--config", many, "--out", path.join(dir, "many"), "--configuration", "Fabrikam"], env);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("--configuration names one pair's configuration");
  });

  it("trace-user --config: the named configuration is traced without the caveat", async () => {
    const config = await configFile();
    const unnamed = await runCli(["trace-user", "adele@contoso.com", "--config", config, "--format", "json", "--quiet"], env);
    const named = await runCli(["trace-user", "adele@contoso.com", "--config", config, "--format", "json", "--quiet", "--configuration", FABRIKAM], env);
    expect(unnamed.stdout, unnamed.stderr).toContain("configuration for the target not confirmed");
    expect(named.stdout).not.toContain("not confirmed");
    expect(named.stdout).toContain(FABRIKAM);
  });

  it("trace-user --config: of two configurations, the one named after the target organization is traced", async () => {
    await emulator.close();
    const snapshot = await loadSnapshot(scenarioDir("healthy"));
    const other = { ...structuredClone(snapshot.facets["source.syncServicePrincipals"]![0]!), id: NORTHWIND, displayName: "Northwind" };
    snapshot.facets["source.syncServicePrincipals"]!.push(other);
    emulator = await startEmulator({ snapshot, secretsRead: "none" });
    const r = await runCli(["trace-user", "adele@contoso.com", "--config", await configFile(), "--format", "json", "--quiet"], env);
    expect(r.stdout).toContain(`its name \\"Fabrikam\\" (${FABRIKAM}) contains the target's \\"fabrikam\\"`);
    expect(r.stdout).not.toContain("could not be identified");
  });
});
