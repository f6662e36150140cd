// Secrets never leave memory: the whole pipeline with known fake tokens, then every byte written is searched for them.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtemp, readdir, readFile, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { fakeToken, startEmulator, type Emulator } from "../../../src/emulator/index.js";
import { redactSecrets } from "../../../src/snapshot/redact-secrets.js";
import { readManifest } from "../../../src/snapshot/store.js";
import { scenarioDir } from "../../helpers/pair.js";
import { runCli as cli } from "../../helpers/cli.js";

const S = "1fd6544e-e994-4de2-9f1b-787b51c7d325";
const T = "4a12efe6-aa14-4d03-8dff-88fc89e2e2ad";
// Signed-looking tokens with a recognisable signature; the emulator only reads the payload.
const SOURCE_TOKEN = `${fakeToken(S, { appid: "5d3c2b1a-7e6f-4a2b-9c8d-1e0f2a3b4c5d" })}c2lnbmF0dXJlLXNvdXJjZS1GQUtFU0VDUkVU`;
const TARGET_TOKEN = `${fakeToken(T)}c2lnbmF0dXJlLXRhcmdldC1GQUtFU0VDUkVU`;

/** Fragments that must appear nowhere: whole tokens, their payloads and signatures. */
const needles = (token: string) => [token, token.split(".")[1]!, token.split(".")[2]!];
const SECRETS = [...needles(SOURCE_TOKEN), ...needles(TARGET_TOKEN)];

let emulator: Emulator | undefined;
let hostile: Server | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
  await new Promise<void>((r) => {
    if (!hostile) {
      r();
      return;
    }
    hostile.close(() => {
      r();
    });
  });
  hostile?.closeAllConnections();
  hostile = undefined;
});

async function writeConfig(dir: string, sourceEndpoint: string, targetEndpoint: string): Promise<string> {
  const file = path.join(dir, "pair.json");
  const tenant = (tenantId: string, graphEndpoint: string, env: string) => ({ tenantId, graphEndpoint, auth: { method: "access-token", tokenEnv: env } });
  await writeFile(file, JSON.stringify({ source: tenant(S, sourceEndpoint, "CTS_SECRET_SRC"), target: tenant(T, targetEndpoint, "CTS_SECRET_TGT") }));
  return file;
}

async function everyFile(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

async function expectNoSecret(files: string[], streams: string[]): Promise<void> {
  for (const file of files) {
    const bytes = await readFile(file, "latin1");
    for (const s of SECRETS) expect(bytes.includes(s), `${file} holds a secret`).toBe(false);
  }
  for (const text of streams) for (const s of SECRETS) expect(text.includes(s), "output holds a secret").toBe(false);
}

const env = { CTS_SECRET_SRC: SOURCE_TOKEN, CTS_SECRET_TGT: TARGET_TOKEN };

describe("no secret in any output", () => {
  it("diagnose --debug with every format: no token in any file, stdout or stderr; files are owner-only; debug lines carry no query values", async () => {
    emulator = await startEmulator({ snapshotDir: scenarioDir("contoso-fabrikam") });
    const dir = await mkdtemp(path.join(tmpdir(), "secrets-"));
    const out = path.join(dir, "out");
    const { since, until } = (await readManifest(scenarioDir("contoso-fabrikam"))).window;
    const config = await writeConfig(dir, emulator.url, emulator.url);
    const r = await cli(
      ["diagnose", "--config", config, "--out", out, "--format", "json,html,csv,md,sarif,junit", "--debug", "--since", since, "--until", until],
      env,
    );
    expect([0, 1], r.stderr).toContain(r.code);
    expect(emulator.journal.every((j) => j.hasBearer)).toBe(true); // the tokens really were used
    const files = await everyFile(out);
    expect(files.length).toBeGreaterThan(20);
    await expectNoSecret(files, [r.stdout, r.stderr]);
    for (const file of files) expect(((await stat(file)).mode & 0o777).toString(8), file).toBe("600");
    for (const folder of [out, path.join(out, "snapshot"), path.join(out, "snapshot", "source")])
      expect(((await stat(folder)).mode & 0o777).toString(8), folder).toBe("700");
    const debug = r.stderr.split("\n").filter((l) => l.startsWith("[debug]"));
    expect(debug.length).toBeGreaterThan(10);
    expect(debug.some((l) => l.includes("$filter=…"))).toBe(true);
    expect(debug.filter((l) => /applicationTemplateId|518e5f48|servicePrincipal%2Fid|skiptoken=[^…]/i.test(l))).toEqual([]);
  });

  it("a server that echoes the bearer token in its error messages: redacted in the manifest, the report and stderr", async () => {
    // Not the emulator: a deliberately hostile Graph-compatible server on loopback.
    hostile = createServer((req, res) => {
      res.writeHead(403, { "Content-Type": "application/json" });
      res.end(
        JSON.stringify({
          error: {
            code: "Authorization_RequestDenied",
            message: `denied for ${req.headers.authorization} (client_secret=${req.headers.authorization?.slice(7)})`,
          },
        }),
      );
    });
    await new Promise<void>((r) =>
      hostile!.listen(0, "127.0.0.1", () => {
        r();
      }),
    );
    const url = `http://127.0.0.1:${(hostile.address() as AddressInfo).port}`;
    const dir = await mkdtemp(path.join(tmpdir(), "secrets-hostile-"));
    const out = path.join(dir, "out");
    const r = await cli(["diagnose", "--config", await writeConfig(dir, url, url), "--out", out, "--format", "json,html,csv,md,sarif,junit", "--debug"], env);
    expect([0, 1, 3, 4], r.stderr).toContain(r.code);
    const manifest = await readManifest(path.join(out, "snapshot"));
    expect(manifest.facets["source.organization"]?.error?.message).toContain("[redacted");
    await expectNoSecret(await everyFile(out), [r.stdout, r.stderr]);
  });

  it("a one-line error never carries a token, even with --debug", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "secrets-err-"));
    // The token file holds a token for the wrong tenant: the refusal names tenants, never the token.
    const tokenFile = path.join(dir, "token.txt");
    await writeFile(tokenFile, `${fakeToken(T)}c2lnbmF0dXJlLXdyb25nLUZBS0VTRUNSRVQ`, { mode: 0o600 });
    const config = path.join(dir, "pair.json");
    const tenant = (tenantId: string) => ({ tenantId, graphEndpoint: "http://127.0.0.1:9", auth: { method: "access-token", tokenFile } });
    await writeFile(config, JSON.stringify({ source: tenant(S), target: tenant(T) }));
    const r = await cli(["collect", "--config", config, "--out", path.join(dir, "snap"), "--debug"], {});
    expect(r.code).toBe(3);
    expect(r.stderr).toContain("not the configured");
    expect(r.stderr).not.toContain("c2lnbmF0dXJlLXdyb25nLUZBS0VTRUNSRVQ");
    expect(r.stderr).not.toContain(fakeToken(T).split(".")[1]!);
  });

  it("the redaction backstop covers JWTs, bearer headers and named secrets", () => {
    expect(redactSecrets(`Authorization: Bearer ${SOURCE_TOKEN}`)).toBe("Authorization: Bearer [redacted]");
    expect(redactSecrets(`token ${TARGET_TOKEN} end`)).toBe("token [redacted-token] end");
    expect(redactSecrets("client_secret=abc&client_assertion=eyJx.eyJy.z&scope=x")).toBe("client_secret=[redacted]&client_assertion=[redacted]&scope=x");
    expect(redactSecrets('{"password": "hunter2"}')).toBe('{"password": "[redacted]"}');
    expect(redactSecrets("nothing to see: user@contoso.com, Retry-After 3")).toBe("nothing to see: user@contoso.com, Retry-After 3");
  });
});
