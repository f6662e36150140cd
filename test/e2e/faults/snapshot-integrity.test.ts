// A snapshot torn by two writers: NDJSON line counts must match the manifest and ids must be unique, or analyze refuses.
import { appendFile, cp, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { startEmulator } from "../../../src/emulator/index.js";
import { loadPair } from "../../../src/model/pair.js";
import { readManifest } from "../../../src/snapshot/store.js";
import { runCli } from "../../helpers/cli.js";
import { scenarioDir } from "../../helpers/pair.js";

async function copy(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), "torn-"));
  await cp(scenarioDir("contoso-fabrikam"), dir, { recursive: true });
  return dir;
}

const lines = async (file: string) => (await readFile(file, "utf8")).split("\n").filter((l) => l.trim());

/** What a second collector appending to the same file leaves: some lines twice, the manifest counting one run's. */
async function duplicateLines(dir: string, file: string, n: number): Promise<void> {
  const all = await lines(path.join(dir, file));
  await appendFile(path.join(dir, file), all.slice(0, n).join("\n") + "\n");
}

async function setCount(dir: string, id: string, count: number): Promise<void> {
  const m = JSON.parse(await readFile(path.join(dir, "manifest.json"), "utf8"));
  m.facets[id].count = count;
  await writeFile(path.join(dir, "manifest.json"), JSON.stringify(m));
}

async function analyze(dir: string) {
  return runCli(["analyze", dir, "--out", await mkdtemp(path.join(tmpdir(), "torn-out-"))]);
}

describe("analyze checks NDJSON facets against the manifest", () => {
  it("the scenario's manifest records each NDJSON facet's line count (what the check compares)", async () => {
    const dir = scenarioDir("contoso-fabrikam");
    const m = await readManifest(dir);
    for (const id of ["source.users", "source.phoneMethods", "source.provisioningLogs", "target.users"] as const) {
      expect(m.facets[id]?.count, id).toBe((await lines(path.join(dir, m.facets[id]!.file!))).length);
    }
  });

  it.each([
    ["source.users", "source/users.ndjson"],
    ["target.users", "target/users.ndjson"],
    ["source.phoneMethods", "source/phoneMethods.ndjson"],
    ["source.provisioningLogs", "source/provisioningLogs.ndjson"],
  ])("%s holding fewer lines than the manifest counted (replaced by another run): one line, exit 2, no report", async (id, file) => {
    const dir = await copy();
    const all = await lines(path.join(dir, file));
    await writeFile(path.join(dir, file), all.slice(0, -1).join("\n") + "\n");
    const r = await analyze(dir);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toContain(
      `cts-doctor: facet ${id}: ${file} holds ${all.length - 1} items but the manifest recorded ${all.length} (written by two runs at once, or edited); collect again`,
    );
    expect(r.stdout).toBe("");
  });

  it.each([
    ["source.users", "source/users.ndjson", "id"],
    ["target.users", "target/users.ndjson", "id"],
    ["source.phoneMethods", "source/phoneMethods.ndjson", "userId"],
  ])("%s with its first line written twice (two collectors): refused as a duplicate %s", async (id, file, key) => {
    const dir = await copy();
    const before = (await lines(path.join(dir, file))).length;
    await duplicateLines(dir, file, 1);
    const first = JSON.parse((await lines(path.join(dir, file)))[0]!)[key] as string;
    const r = await analyze(dir);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(
      `cts-doctor: facet ${id}: ${file} line ${before + 1}: ${key} ${first} appears twice (written by two runs at once, or edited); collect again`,
    );
  });

  it("provisioning-log lines written twice: refused by the count (log ids are not kept, at 1M entries)", async () => {
    const dir = await copy();
    const file = "source/provisioningLogs.ndjson";
    const before = (await lines(path.join(dir, file))).length;
    await duplicateLines(dir, file, 2);
    const r = await analyze(dir);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(
      `cts-doctor: facet source.provisioningLogs: ${file} holds ${before + 2} items but the manifest recorded ${before} (written by two runs at once, or edited); collect again`,
    );
  });

  it("a duplicated user whose count was made to match is still refused (duplicate id)", async () => {
    const dir = await copy();
    const file = "source/users.ndjson";
    const before = (await lines(path.join(dir, file))).length;
    await duplicateLines(dir, file, 1);
    await setCount(dir, "source.users", before + 1);
    const firstId = JSON.parse((await lines(path.join(dir, file)))[0]!).id as string;
    const r = await analyze(dir);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(
      `cts-doctor: facet source.users: ${file} line ${before + 1}: id ${firstId} appears twice (written by two runs at once, or edited); collect again`,
    );
  });

  it("a torn facet is refused by loadPair and by the emulator alike (one snapshot reader)", async () => {
    const dir = await copy();
    await duplicateLines(dir, "source/provisioningLogs.ndjson", 2);
    await expect(loadPair(dir)).rejects.toMatchObject({ code: "SNAPSHOT_INVALID", message: expect.stringContaining("but the manifest recorded") });
    await expect(startEmulator({ snapshotDir: dir })).rejects.toMatchObject({
      code: "SNAPSHOT_INVALID",
      message: expect.stringContaining("but the manifest recorded"),
    });
  });

  it("a line cut in half by a second writer is refused in one line", async () => {
    const dir = await copy();
    await appendFile(path.join(dir, "source/users.ndjson"), '{"id":"2f7c5b1e-0000-4000-8000-0000000000aa","displayName":"Tor');
    const r = await analyze(dir);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(/users\.ndjson line \d+ is not valid JSON: (invalid JSON|ends before)/);
  });
});
