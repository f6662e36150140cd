// An opaque (non-JWT) bearer token echoed in Graph error messages never reaches a byte the tool writes.
import { mkdtemp, readdir, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { parseFault, startEmulator, type Emulator } from "../../../src/emulator/index.js";
import { runCli } from "../../helpers/cli.js";
import { scenarioDir } from "../../helpers/pair.js";
import { S, SCENARIO, T } from "./fault-run.js";

let emulator: Emulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

// Opaque tokens: no JWT shape, no "Bearer" or "access_token=" around them, so only the exact values can catch them.
const TOKENS = { CTS_ECHO_SRC: "opq7f3a9c1e5b2d4f60a8e1c3b5d7f9a2c4src", CTS_ECHO_TGT: "opq0d9e8c7b6a5f4e3d2c1b0a9f8e7d6c5tgt" };
const FAULTS = [
  "GET /organization 500 sticky echo-token",
  "GET /auditLogs/provisioning 403 sticky echo-token",
  "GET /authentication/phoneMethods 403 batch sticky echo-token",
  "GET /subscribedSkus 503 times=1 retry-after=0 echo-token",
];

async function everyByte(dir: string): Promise<{ file: string; text: string }[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files = entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
  return Promise.all(files.map(async (file) => ({ file, text: (await readFile(file)).toString("latin1") })));
}

async function setup(): Promise<{ dir: string; config: string }> {
  emulator = await startEmulator({ snapshotDir: scenarioDir(SCENARIO), faults: FAULTS.map(parseFault) });
  const dir = await mkdtemp(path.join(tmpdir(), "token-echo-"));
  const config = path.join(dir, "pair.json");
  // A per-tenant path prefix: the emulator then accepts any bearer token, opaque ones included.
  const tenant = (tenantId: string, tokenEnv: string) => ({
    tenantId,
    graphEndpoint: `${emulator!.url}/${tenantId}`,
    auth: { method: "access-token", tokenEnv },
  });
  await writeFile(
    config,
    JSON.stringify({ source: tenant(S, "CTS_ECHO_SRC"), target: tenant(T, "CTS_ECHO_TGT"), collection: { since: "2020-01-01T00:00:00Z" } }),
  );
  return { dir, config };
}

function expectNoToken(texts: { file: string; text: string }[]): void {
  for (const { file, text } of texts) for (const token of Object.values(TOKENS)) expect(text.includes(token), `${token} in ${file}`).toBe(false);
}

describe("a server that echoes the bearer token in its error messages", () => {
  it("diagnose: the server really echoed it, and no report, snapshot file or stream line holds it", async () => {
    const { dir, config } = await setup();
    const out = path.join(dir, "out");
    const run = await runCli(["diagnose", "--config", config, "--out", out, "--format", "json,html,csv,md,sarif,junit", "--debug"], TOKENS);
    expect(run.stderr).not.toMatch(/internal error/);
    const files = await everyByte(out);
    expect(files.map((f) => path.basename(f.file))).toEqual(expect.arrayContaining(["report.json", "report.html", "report.sarif", "manifest.json"]));
    const manifest = files.find((f) => f.file.endsWith("manifest.json"))!.text;
    expect(manifest).toContain("Token presented: [redacted-token]");
    expectNoToken([...files, { file: "stdout", text: run.stdout }, { file: "stderr", text: run.stderr }]);
  }, 60_000);

  it("check: the pair's reports, the summary and the history hold no token either", async () => {
    const { dir, config } = await setup();
    const out = path.join(dir, "check");
    const run = await runCli(["check", "--config", config, "--out", out, "--format", "json,html,csv,md,sarif,junit"], TOKENS);
    expect(run.stderr).not.toMatch(/internal error/);
    const files = await everyByte(out);
    expect(files.some((f) => f.file.endsWith("history.sqlite"))).toBe(true);
    expectNoToken([...files, { file: "stdout", text: run.stdout }, { file: "stderr", text: run.stderr }]);
  }, 60_000);
});
