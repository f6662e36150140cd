// Symlinks: never followed when writing a snapshot, refused when reading one, and no file's contents quoted in an error.
import { execFileSync } from "node:child_process";
import { cp, mkdir, mkdtemp, readFile, rename, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { collect } from "../../../src/collect/run.js";
import type { Config } from "../../../src/config/schema.js";
import { loadConfig } from "../../../src/config/load.js";
import { fakeToken, startEmulator, type Emulator } from "../../../src/emulator/index.js";
import { StaticTokenCredential } from "../../../src/graph/auth.js";
import { NdjsonWriter, readManifest } from "../../../src/snapshot/store.js";
import { loadWaivers } from "../../../src/waivers/waivers.js";
import { runCli } from "../../helpers/cli.js";
import { scenarioDir } from "../../helpers/pair.js";

const S = "1fd6544e-e994-4de2-9f1b-787b51c7d325";
const T = "4a12efe6-aa14-4d03-8dff-88fc89e2e2ad";
/** Stands for the contents of a file the link points to (~/.ssh/id_rsa, /etc/shadow). */
const PRIVATE = "PRIVATE-KEY-CONTENTS-do-not-print";

let emulator: Emulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

const tmp = (p: string) => mkdtemp(path.join(tmpdir(), p));

async function copy(): Promise<string> {
  const dir = await tmp("links-");
  await cp(scenarioDir("contoso-fabrikam"), dir, { recursive: true });
  return dir;
}

/** A file outside the snapshot: a copy of the facet (so only the link is wrong), or private text. */
async function outside(name: string, text: string): Promise<string> {
  const file = path.join(await tmp("elsewhere-"), name);
  await writeFile(file, text);
  return file;
}

async function analyze(dir: string) {
  return runCli(["analyze", dir, "--out", await tmp("links-out-")]);
}

function expectRefused(r: { code: number; stderr: string; stdout: string }, text: RegExp | string) {
  expect(r.code, r.stderr).toBe(2);
  expect(r.stderr.trim().split("\n")).toHaveLength(1);
  expect(r.stderr).toMatch(text);
  expect(r.stderr).not.toContain(PRIVATE);
}

describe("writing a snapshot never follows a symlink", () => {
  it("a planted users.ndjson.partial symlink in --out: the file it points to is untouched, the facet is collected", async () => {
    emulator = await startEmulator({ snapshotDir: scenarioDir("contoso-fabrikam") });
    const dir = await tmp("links-out-");
    const victim = await outside("victim.txt", PRIVATE);
    await mkdir(path.join(dir, "source"), { recursive: true });
    await symlink(victim, path.join(dir, "source/users.ndjson.partial"));
    const window = (await readManifest(scenarioDir("contoso-fabrikam"))).window;
    const tenant = (tenantId: string) => ({
      tenantId,
      cloud: "global" as const,
      graphEndpoint: emulator!.url,
      auth: { method: "access-token" as const, tokenEnv: "UNUSED" },
    });
    const config: Config = { source: tenant(S), target: tenant(T) };
    const result = await collect(config, dir, {
      since: new Date(window.since),
      until: new Date(window.until),
      connectionTest: false,
      credentials: { source: new StaticTokenCredential(fakeToken(S)), target: new StaticTokenCredential(fakeToken(T)) },
    });
    expect(await readFile(victim, "utf8")).toBe(PRIVATE);
    expect(result.manifest.facets["source.users"]?.status).toBe("ok");
    expect((await readFile(path.join(dir, "source/users.ndjson"), "utf8")).length).toBeGreaterThan(0);
  }, 60_000);

  it("resuming over a planted partial symlink: the link goes, its target is untouched", async () => {
    const dir = await tmp("links-resume-");
    const victim = await outside("victim.txt", `${PRIVATE}\n`);
    await symlink(victim, path.join(dir, "users.ndjson.partial"));
    const writer = await NdjsonWriter.open(path.join(dir, "users.ndjson"), { resume: true });
    expect(await writer.keep(1)).toBe(false);
    await writer.write([{ id: "a" }]);
    await writer.commit();
    expect(await readFile(victim, "utf8")).toBe(`${PRIVATE}\n`);
    expect(await readFile(path.join(dir, "users.ndjson"), "utf8")).toBe('{"id":"a"}\n');
  });
});

describe("reading a snapshot refuses symlinks", () => {
  it("a facet that is a symlink (to a valid copy elsewhere) is refused by analyze and emulate", async () => {
    const dir = await copy();
    const file = path.join(dir, "source/users.ndjson");
    const elsewhere = await outside("users.ndjson", await readFile(file, "utf8"));
    await rename(file, `${file}.moved`);
    await symlink(elsewhere, file);
    expectRefused(await analyze(dir), /^cts-doctor: users\.ndjson is a symbolic link; not read$/m);
    await expect(startEmulator({ snapshotDir: dir })).rejects.toMatchObject({
      code: "SNAPSHOT_INVALID",
      message: expect.stringContaining("is a symbolic link; not read"),
    });
  });

  it("a JSON facet symlinked to a private file: refused, its contents never quoted", async () => {
    const dir = await copy();
    const file = path.join(dir, "source/partner.json");
    await rename(file, `${file}.moved`);
    await symlink(await outside("id_rsa", PRIVATE), file);
    expectRefused(await analyze(dir), "facet source.partner: source/partner.json is a symbolic link; not read");
  });

  it("a symlinked sub-folder (target/ → elsewhere) is refused", async () => {
    const dir = await copy();
    const elsewhere = await tmp("elsewhere-");
    await cp(path.join(dir, "target"), path.join(elsewhere, "target"), { recursive: true });
    await rename(path.join(dir, "target"), path.join(dir, "target.moved"));
    await symlink(path.join(elsewhere, "target"), path.join(dir, "target"));
    expectRefused(await analyze(dir), /resolves outside its folder; not read/);
  });

  it("a manifest that is a symlink is refused", async () => {
    const dir = await copy();
    const manifest = path.join(dir, "manifest.json");
    const elsewhere = await outside("manifest.json", await readFile(manifest, "utf8"));
    await rename(manifest, `${manifest}.moved`);
    await symlink(elsewhere, manifest);
    expectRefused(await analyze(dir), `is not a snapshot: manifest.json is a symbolic link; not read`);
  });

  it("a facet that is not JSON: the error gives a position, never the file's first characters", async () => {
    const dir = await copy();
    await writeFile(path.join(dir, "source/partner.json"), `${PRIVATE}\n`);
    expectRefused(await analyze(dir), /facet source\.partner: source\/partner\.json is not valid JSON: invalid JSON/);
    await writeFile(path.join(dir, "manifest.json"), PRIVATE);
    expectRefused(await analyze(dir), /manifest\.json is not valid JSON: invalid JSON$/m);
  });
});

describe("config, pairs and waivers files", () => {
  const config = JSON.stringify({ source: { tenantId: S, auth: { method: "azure-cli" } }, target: { tenantId: T, auth: { method: "azure-cli" } } });

  it("a symlink out of the file's folder is refused; one inside it (a Kubernetes mount) is read", async () => {
    const dir = await tmp("cfg-");
    await symlink(await outside("real.json", config), path.join(dir, "pair.json"));
    const r = await runCli(["permissions", "--config", path.join(dir, "pair.json")]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(`cts-doctor: config ${path.join(dir, "pair.json")}: resolves outside its folder; not read`);

    await mkdir(path.join(dir, "..data"));
    await writeFile(path.join(dir, "..data", "inside.json"), config);
    await symlink(path.join(dir, "..data", "inside.json"), path.join(dir, "inside.json"));
    expect((await loadConfig(path.join(dir, "inside.json"))).source.tenantId).toBe(S);
  });

  it("waivers symlinked to a private file: refused without quoting it", async () => {
    const dir = await tmp("waivers-");
    await symlink(await outside("id_rsa", PRIVATE), path.join(dir, "waivers.yaml"));
    await expect(loadWaivers(path.join(dir, "waivers.yaml"))).rejects.toMatchObject({
      code: "CONFIG_NOT_FOUND",
      message: expect.not.stringContaining(PRIVATE),
    });
  });

  it("a config that is not JSON: never quoted", async () => {
    const dir = await tmp("cfg-");
    await writeFile(path.join(dir, "pair.json"), PRIVATE);
    const r = await runCli(["permissions", "--config", path.join(dir, "pair.json")]);
    expectRefused(r, /not valid JSON: invalid JSON$/m);
  });

  it("a FIFO named as the config is refused at once instead of blocking", async () => {
    const dir = await tmp("cfg-");
    const fifo = path.join(dir, "pair.yaml");
    execFileSync("mkfifo", [fifo]);
    await expect(loadConfig(fifo)).rejects.toMatchObject({ code: "CONFIG_NOT_FOUND", message: `config ${fifo}: is not a regular file; not read` });
  });
});
