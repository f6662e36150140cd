// The built `trace-user` command: snapshot and live (against the emulator) modes, formats, exit codes, usage errors.
import { spawn } from "node:child_process";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { fakeToken, startEmulator, type Emulator } from "../../src/emulator/index.js";
import { packageRoot } from "../../src/version.js";
import { scenarioDir } from "../helpers/pair.js";

const bin = path.join(packageRoot, "dist", "src", "cli", "main.js");
const S = "1fd6544e-e994-4de2-9f1b-787b51c7d325";
const T = "4a12efe6-aa14-4d03-8dff-88fc89e2e2ad";

/** Asynchronous, so an emulator in this process keeps answering while the CLI runs. */
function cli(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { env: { ...process.env, ...env } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("close", (code) => {
      resolve({ code, stdout, stderr });
    });
  });
}

let emulator: Emulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

describe("cts-doctor trace-user", () => {
  it("traces from a snapshot as JSON, exit 0 for a healthy user", async () => {
    const r = await cli(["trace-user", "meganb@contoso.com", scenarioDir("healthy"), "--format", "json"]);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as {
      user: { id: string; userPrincipalName: string };
      links: { name: string; status: string }[];
      verdict: { status: string; ruleIds: string[]; message: string };
    };
    expect(out.user).toMatchObject({ id: "2c1d4c1e-6b0a-4c3f-9d7a-1e2f3a4b5c6d", userPrincipalName: "meganb@contoso.com" });
    expect(out.links).toHaveLength(8);
    expect(out.verdict.status).toBe("ok");
  });

  it("traces live through a config file, exit 1 when blocked, text by default", async () => {
    emulator = await startEmulator({ snapshotDir: scenarioDir("trace-cases") });
    const dir = await mkdtemp(path.join(tmpdir(), "trace-"));
    const config = path.join(dir, "pair.json");
    const tenant = (tenantId: string, env: string) => ({ tenantId, graphEndpoint: emulator!.url, auth: { method: "access-token", tokenEnv: env } });
    await writeFile(config, JSON.stringify({ source: tenant(S, "TRACE_SRC"), target: tenant(T, "TRACE_TGT") }));
    const r = await cli(["trace-user", "irvins@contoso.com", "--config", config], { TRACE_SRC: fakeToken(S), TRACE_TGT: fakeToken(T) });
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toContain("[BLOCKED] scope  (nested-group-assignment)");
    expect(r.stdout).toContain("Verdict: BLOCKED");
    expect(r.stderr).toMatch(/Graph requests: source \d+, target \d+/);
    // Read-only: nothing but GETs (and the $batch envelope of GETs).
    expect(emulator.journal.filter((j) => j.method !== "GET" && !j.path.includes("$batch"))).toEqual([]);
  });

  it("writes one self-contained HTML page with a hash-pinned script and style, the pair's ids, and escaped data", async () => {
    const r = await cli(["trace-user", "isaiahl@contoso.com", scenarioDir("trace-cases"), "--format", "html"]);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toMatch(
      /<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'sha256-[A-Za-z0-9+/=]+'; style-src 'sha256-[A-Za-z0-9+/=]+'/,
    );
    expect(r.stdout.match(/<script\b/g)).toHaveLength(1);
    expect(r.stdout).toMatch(/<dt>Source tenant<\/dt><dd>.*<code>[0-9a-f-]{36}<\/code>/);
    expect(r.stdout).toMatch(/<dt>Generated<\/dt><dd><time datetime="\d{4}-/);
    expect(r.stdout).toContain("Filter external users.department EQUALS &#39;Sales&#39;");
  });

  it("needs exactly one of --config and a snapshot", async () => {
    const r = await cli(["trace-user", "meganb@contoso.com"]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe("cts-doctor: trace-user needs either --config FILE (live) or a SNAPSHOT_DIR, not both");
  });
});
