// Issue 14 item 10: deep nesting, huge config values, YAML warnings, a UTF-8 BOM, a rule on uncollected logs, the emulator banner.
import { spawn } from "node:child_process";
import { cp, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { loadConfig } from "../../../src/config/load.js";
import { fakeToken, startEmulator, type Emulator } from "../../../src/emulator/index.js";
import type { Report } from "../../../src/report/model.js";
import type { Manifest } from "../../../src/snapshot/manifest.js";
import { redactSecrets } from "../../../src/snapshot/redact-secrets.js";
import { MAX_JSON_DEPTH } from "../../../src/snapshot/store.js";
import { packageRoot } from "../../../src/version.js";
import { runCli } from "../../helpers/cli.js";
import { scenarioDir } from "../../helpers/pair.js";

const S = "1fd6544e-e994-4de2-9f1b-787b51c7d325";
const T = "4a12efe6-aa14-4d03-8dff-88fc89e2e2ad";

let emulator: Emulator | undefined;
afterEach(async () => {
  vi.restoreAllMocks();
  await emulator?.close();
  emulator = undefined;
});

const tmp = (p: string) => mkdtemp(path.join(tmpdir(), p));
const nested = (depth: number) => "[".repeat(depth) + "]".repeat(depth);

async function copy(): Promise<string> {
  const dir = await tmp("small-");
  await cp(scenarioDir("contoso-fabrikam"), dir, { recursive: true });
  return dir;
}

/** Rewrites a JSON object file of a snapshot in place. */
async function editJson(file: string, change: (v: Record<string, unknown>) => void, prefix = ""): Promise<void> {
  const v = JSON.parse(await readFile(file, "utf8")) as Record<string, unknown>;
  change(v);
  await writeFile(file, prefix + JSON.stringify(v, null, 2));
}

describe("deeply nested JSON", () => {
  it(`a facet nested deeper than ${MAX_JSON_DEPTH} levels: emulate refuses it in one line, no stack overflow`, async () => {
    const dir = await copy();
    const file = path.join(dir, "target/authorizationPolicy.json");
    const text = (await readFile(file, "utf8")).replace(/^\{/, `{"deep": ${nested(20_000)},`);
    await writeFile(file, text);
    const r = await runCli(["emulate", dir]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(
      `cts-doctor: facet target.authorizationPolicy: target/authorizationPolicy.json nests deeper than ${MAX_JSON_DEPTH} levels; not read`,
    );
  });

  it("nesting at the limit is read", async () => {
    const dir = await copy();
    await editJson(path.join(dir, "target/authorizationPolicy.json"), (v) => (v.deep = JSON.parse(nested(MAX_JSON_DEPTH - 1))));
    emulator = await startEmulator({ snapshotDir: dir });
    expect(emulator.state.has("target.authorizationPolicy")).toBe(true);
  });

  it("a request body nested that deep gets 400 BadRequest, and the emulator keeps serving", async () => {
    emulator = await startEmulator({ snapshotDir: scenarioDir("contoso-fabrikam") });
    const headers = { authorization: `Bearer ${fakeToken(T)}`, "content-type": "application/json" };
    const url = `${emulator.url}/v1.0/policies/authorizationPolicy`;
    const patch = await fetch(url, { method: "PATCH", headers, body: `{"x": ${nested(20_000)}}` });
    expect(patch.status).toBe(400);
    expect(((await patch.json()) as { error: { code: string } }).error.code).toBe("BadRequest");
    const get = await fetch(url, { headers });
    expect(get.status).toBe(200);
  });
});

describe("config errors and warnings stay one short line", () => {
  const tenant = (tenantId: string) => ({ tenantId, auth: { method: "access-token", tokenEnv: "TOKEN" } });

  it("a 5000-character unknown key is shown cut to 80 characters", async () => {
    const dir = await tmp("cfg-");
    const key = "K".repeat(5000);
    await writeFile(path.join(dir, "c.json"), JSON.stringify({ source: { ...tenant(S), [key]: 1 }, target: tenant(T) }));
    const r = await runCli(["permissions", "--config", path.join(dir, "c.json")]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toContain(`unknown key "${"K".repeat(80)}… (5000 characters)"`);
    expect(r.stderr.length).toBeLessThan(300);
  });

  it("a 5000-character environment variable name is refused without echoing it", async () => {
    const dir = await tmp("cfg-");
    await writeFile(
      path.join(dir, "c.json"),
      JSON.stringify({ source: { tenantId: S, auth: { method: "access-token", tokenEnv: "E".repeat(5000) } }, target: tenant(T) }),
    );
    await expect(loadConfig(path.join(dir, "c.json"))).rejects.toMatchObject({
      message: `${path.join(dir, "c.json")}: source.auth.tokenEnv: must be an environment variable name (at most 128 characters)`,
    });
  });

  it("a YAML warning is one line on stderr, not Node's multi-line warning with a code frame", async () => {
    const dir = await tmp("cfg-");
    const file = path.join(dir, "c.yaml");
    await writeFile(file, `source:\n  tenantId: !custom ${S}\n  auth: { method: azure-cli }\ntarget:\n  tenantId: ${T}\n  auth: { method: azure-cli }\n`);
    const emitted = vi.spyOn(process, "emitWarning").mockImplementation(() => undefined);
    let stderr = "";
    vi.spyOn(process.stderr, "write").mockImplementation((c: string | Uint8Array) => ((stderr += String(c)), true));
    const config = await loadConfig(file);
    expect(config.source.tenantId).toBe(S);
    expect(emitted).not.toHaveBeenCalled();
    expect(stderr).toBe(`cts-doctor: warning: config ${file}: Unresolved tag: !custom at line 2, column 13\n`);
  });
});

describe("a UTF-8 BOM (Windows tools write one) is accepted", () => {
  it("in a JSON config", async () => {
    const dir = await tmp("cfg-");
    await writeFile(
      path.join(dir, "c.json"),
      "\uFEFF" + JSON.stringify({ source: { tenantId: S, auth: { method: "azure-cli" } }, target: { tenantId: T, auth: { method: "azure-cli" } } }),
    );
    expect((await loadConfig(path.join(dir, "c.json"))).target.tenantId).toBe(T);
  });

  it("in a JSON facet, an NDJSON facet and the manifest: analyze gives the same results as without", async () => {
    const dir = await copy();
    for (const f of ["manifest.json", "target/authorizationPolicy.json", "source/users.ndjson"]) {
      await writeFile(path.join(dir, f), "\uFEFF" + (await readFile(path.join(dir, f), "utf8")));
    }
    const withBom = await tmp("bom-out-");
    const plain = await tmp("plain-out-");
    const a = await runCli(["analyze", dir, "--out", withBom, "--format", "json"]);
    const b = await runCli(["analyze", scenarioDir("contoso-fabrikam"), "--out", plain, "--format", "json"]);
    expect(a.stderr).not.toContain("not valid JSON");
    expect(a.code).toBe(b.code);
    const statuses = async (d: string) =>
      (JSON.parse(await readFile(path.join(d, "report.json"), "utf8")) as Report).results.map((r) => `${r.ruleId}:${r.status}`);
    expect(await statuses(withBom)).toEqual(await statuses(plain));
  });
});

describe("guest-invitations-blocked without provisioning logs", () => {
  it("says the logs were not collected instead of '0 objects failed in the logs'", async () => {
    const dir = await copy();
    await editJson(path.join(dir, "manifest.json"), (m) => {
      (m as Manifest).facets["source.provisioningLogs"] = {
        status: "denied",
        permission: "AuditLog.Read.All",
        error: { code: "Authorization_RequestDenied", message: "Insufficient privileges", httpStatus: 403 },
      };
    });
    const out = await tmp("guest-out-");
    await runCli(["analyze", dir, "--out", out, "--format", "json"]);
    const report = JSON.parse(await readFile(path.join(out, "report.json"), "utf8")) as Report;
    const result = report.results.find((r) => r.ruleId === "guest-invitations-blocked")!;
    const messages = result.findings.map((f) => f.message).join("\n");
    expect(result.status).toBe("fail");
    expect(messages).toContain("the provisioning logs were not collected");
    expect(messages).not.toMatch(/0 object\(s\) failed/);
  });
});

describe("the emulator's banner", () => {
  it("survives the secret backstop; bearer credentials still do not", async () => {
    const bin = path.join(packageRoot, "dist", "src", "cli", "main.js");
    const stderr = await new Promise<string>((resolve) => {
      const child = spawn(process.execPath, [bin, "emulate", scenarioDir("contoso-fabrikam")]);
      let text = "";
      child.stderr.on("data", (d: Buffer) => {
        text += d.toString();
        if (text.includes("Press Ctrl-C")) child.kill("SIGINT");
      });
      child.on("close", () => {
        resolve(text);
      });
    });
    expect(stderr).toContain("with a tenant's path prefix any non-empty bearer token is accepted; without it, the token's tid picks the tenant");
    expect(stderr).not.toContain("[redacted]");
    expect(redactSecrets("Authorization: Bearer opaque-7f3a9c")).toBe("Authorization: Bearer [redacted]");
    expect(redactSecrets("Bearer abcdefghijklmnopqrstu")).toBe("Bearer [redacted]");
    expect(redactSecrets(`Bearer ${fakeToken(S)}`)).not.toContain(fakeToken(S));
  }, 30_000);
});
