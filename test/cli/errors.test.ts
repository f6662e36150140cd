// Issue 18.8 through the built CLI: each bad input exits with its documented code and one line, never a stack or a hang.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { packageRoot } from "../../src/version.js";
import { expectOneLineError, spawnCli } from "../helpers/cli.js";
import { scenarioDir } from "../helpers/pair.js";

const bin = path.join(packageRoot, "dist", "src", "cli", "main.js");
const S = "1fd6544e-e994-4de2-9f1b-787b51c7d325";
const T = "4a12efe6-aa14-4d03-8dff-88fc89e2e2ad";
const tmp = () => mkdtemp(path.join(tmpdir(), "cli-err-"));

const cli = (args: string[], timeout = 30_000) => spawnCli(args, { CTS_ERR_TOKEN: "x" }, timeout);
const expectOneLine = expectOneLineError;

/** A pair config whose endpoints are `endpoint` (a closed loopback port by default). */
async function pairConfig(endpoint = "http://127.0.0.1:9", collection?: object) {
  const file = path.join(await tmp(), "pair.json");
  const tenant = (id: string) => ({ tenantId: id, graphEndpoint: `${endpoint}/${id}`, auth: { method: "access-token", tokenEnv: "CTS_ERR_TOKEN" } });
  await writeFile(file, JSON.stringify({ source: tenant(S), target: tenant(T), ...(collection ? { collection } : {}) }));
  return file;
}

describe("issue 18.8: errors a user meets first", () => {
  it("--concurrency and --timeout on the command line are refused like the same values in the config, before anything is written", async () => {
    const out = path.join(await tmp(), "snap");
    expectOneLine(cli(["collect", "--config", await pairConfig(), "--out", out, "--concurrency=-3"]), 2, "--concurrency: Too small: expected number to be >=1");
    expect(existsSync(out)).toBe(false);
    expectOneLine(cli(["collect", "--config", await pairConfig(), "--out", out, "--concurrency", "17"]), 2, "--concurrency: Too big");
    expectOneLine(cli(["diagnose", "--config", await pairConfig(), "--out", out, "--timeout", "0"]), 2, "--timeout: Too small");
    // The config's own message for the same value, for comparison.
    expectOneLine(
      cli(["collect", "--config", await pairConfig(undefined, { concurrency: -3 }), "--out", out]),
      2,
      "collection.concurrency: Too small: expected number to be >=1",
    );
  });

  it("an unreachable endpoint: once per tenant, with the URL and connection refused, no permission hint and no report", async () => {
    const out = await tmp();
    const r = cli(["diagnose", "--config", await pairConfig(), "--out", out]);
    expectOneLine(r, 3, `source tenant ${S} at http://127.0.0.1:9/${S}: connection refused; target tenant ${T} at http://127.0.0.1:9/${T}: connection refused`);
    expect(r.stderr).not.toMatch(/permission|Read\.All/i);
    expect(existsSync(path.join(out, "report.json"))).toBe(false);
    expect(existsSync(path.join(out, "report.html"))).toBe(false);
  });

  it("--out under /proc or a read-only place fails fast", async () => {
    const started = Date.now();
    expectOneLine(cli(["analyze", scenarioDir("healthy"), "--out", "/proc/cts-doctor-out"], 10_000), 2, "--out /proc/cts-doctor-out: cannot write there");
    expectOneLine(cli(["export", "pending-acceptance", scenarioDir("healthy"), "--out", "/proc/x/pending.csv"], 10_000), 2, "cannot write there");
    const file = path.join(await tmp(), "a-file");
    await writeFile(file, "");
    expectOneLine(cli(["analyze", scenarioDir("healthy"), "--out", path.join(file, "sub")]), 2, "a file is in the way of a folder");
    expect(Date.now() - started).toBeLessThan(20_000);
  });

  it("--since beyond the 30 days Graph keeps is refused with the reason", async () => {
    const config = await pairConfig();
    expectOneLine(cli(["collect", "--config", config, "--out", await tmp(), "--since", "31d"]), 2, "Microsoft Graph keeps provisioning logs 30 days");
    expectOneLine(
      cli(["diagnose", "--config", config, "--out", await tmp(), "--since", "2020-01-01"]),
      2,
      "--since: 2020-01-01 is more than 30 days before now",
    );
    expectOneLine(
      cli(["collect", "--config", config, "--out", await tmp(), "--since", "2025-01-01T00:00:00Z", "--until", "2025-03-04T11:00:00Z"]),
      2,
      "more than 30 days before 2025-03-04T11:00:00Z",
    );
  });

  it("a port out of range or in use and a --history that is not a database are usage errors", async () => {
    expectOneLine(cli(["emulate", scenarioDir("healthy"), "--port", "99999"]), 2, "--port: must be a whole number from 0 to 65535");
    const server = createServer();
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    const port = (server.address() as { port: number }).port;
    try {
      expectOneLine(cli(["emulate", scenarioDir("healthy"), "--port", String(port)]), 2, `--port ${port}: already in use`);
    } finally {
      server.close();
    }
    const notDb = path.join(await tmp(), "history.sqlite");
    await writeFile(notDb, "this is not SQLite\n".repeat(10));
    expectOneLine(cli(["history", "--history", notDb]), 2, `--history ${notDb}: not a cts-doctor history database`);
  });

  it("trace-user of an unknown user says so", () => {
    expectOneLine(cli(["trace-user", "nobody@contoso.com", scenarioDir("contoso-fabrikam")]), 2, 'no user matches "nobody@contoso.com"');
  });

  it("EPIPE (| head) exits quietly", async () => {
    const child = spawn(process.execPath, [bin, "rules", "list", "-o", "json"], { stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += String(d)));
    // Read nothing, close at once: the CLI's writes meet a closed pipe.
    child.stdout.destroy();
    const [code] = (await once(child, "exit")) as [number];
    expect(stderr).toBe("");
    expect(code).toBe(0);
  });

  it("typos get a suggestion and invalid values list the allowed ones", () => {
    expectOneLine(cli(["rules", "list", "--outptu", "json"]), 2, "Unknown argument: outptu (did you mean --output?)");
    expectOneLine(cli(["rules", "lst"]), 2, 'action: "lst" is not one of list, show, docs (did you mean "list"?)');
    expectOneLine(cli(["rules", "show", "job-quarantine"]), 2, 'unknown rule "job-quarantine" (did you mean "job-quarantined"?)');
    expectOneLine(cli(["rules", "list", "-o", "xml"]), 2, '--output: "xml" is not one of json, text, table, csv, md');
  });

  it("init writes a config with secrets only as references, lists the permissions, and refuses to overwrite without --force", async () => {
    const file = path.join(await tmp(), "pair.yaml");
    const r = cli(["init", file, "--source-tenant", S, "--target-tenant", T, "--source-client-id", S, "--target-client-id", T]);
    expect(r.code, r.stderr).toBe(0);
    const text = await readFile(file, "utf8");
    expect(text).toContain("secretEnv: CTS_SOURCE_SECRET");
    expect(text).not.toMatch(/clientSecret|password/i);
    expect(r.stdout).toContain("Synchronization.Read.All");
    expectOneLine(cli(["init", file]), 2, "exists; pass --force to overwrite it");
    expect(cli(["init", file, "--force"]).code).toBe(0);
    expect(cli(["-V"]).stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    expect(cli(["completion"]).stdout).toContain("cts-doctor");
  });
});
