// `--output json` of every command that prints results, validated against its schema in docs/schemas; other shapes parse.
import { readFileSync } from "node:fs";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import Ajv from "ajv";
import { parse as parseCsv } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { fakeToken, startEmulator, type Emulator } from "../../src/emulator/index.js";
import { packageRoot } from "../../src/version.js";
import { runCli } from "../helpers/cli.js";
import { scenarioDir } from "../helpers/pair.js";

const S = "1fd6544e-e994-4de2-9f1b-787b51c7d325";
const T = "4a12efe6-aa14-4d03-8dff-88fc89e2e2ad";
const ajv = new Ajv.default({ allErrors: true, strict: false });
const schema = (name: string) => JSON.parse(readFileSync(path.join(packageRoot, "docs", "schemas", `${name}.schema.json`), "utf8")) as object;
const tmp = () => mkdtemp(path.join(tmpdir(), "cli-out-"));

const compiled = new Map<string, ReturnType<typeof ajv.compile>>();
function expectValid(name: string, stdout: string) {
  if (!compiled.has(name)) compiled.set(name, ajv.compile(schema(name)));
  const validate = compiled.get(name)!;
  const doc = JSON.parse(stdout) as unknown;
  expect(validate(doc), JSON.stringify(validate.errors)).toBe(true);
  return doc as Record<string, unknown>;
}

let emulator: Emulator;
let dir: string;
let pairConfig: string;
let pairsConfig: string;
beforeAll(async () => {
  emulator = await startEmulator({ snapshotDir: scenarioDir("contoso-fabrikam") });
  dir = await tmp();
  const tenant = (id: string, env: string) => ({ tenantId: id, graphEndpoint: emulator.url, auth: { method: "access-token", tokenEnv: env } });
  pairConfig = path.join(dir, "pair.json");
  await writeFile(pairConfig, JSON.stringify({ source: tenant(S, "CTS_OUT_SRC"), target: tenant(T, "CTS_OUT_TGT") }));
  pairsConfig = path.join(dir, "pairs.json");
  await writeFile(
    pairsConfig,
    JSON.stringify({
      tenants: { contoso: tenant(S, "CTS_OUT_SRC"), fabrikam: tenant(T, "CTS_OUT_TGT") },
      pairs: [{ name: "hub", source: "contoso", target: "fabrikam" }],
      collection: { since: "2020-01-01T00:00:00Z" },
    }),
  );
  vi.stubEnv("CTS_OUT_SRC", fakeToken(S));
  vi.stubEnv("CTS_OUT_TGT", fakeToken(T));
});
afterAll(async () => {
  await emulator.close();
  vi.unstubAllEnvs();
});

describe("--output json matches docs/schemas", () => {
  it("analyze: the files written and every rule's verdict", async () => {
    const r = await runCli(["analyze", scenarioDir("contoso-fabrikam"), "--out", await tmp(), "--format", "json", "-o", "json", "--quiet"]);
    expect(r.code, r.stderr).toBe(1);
    const doc = expectValid("analysis", r.stdout) as { results: { ruleId: string; status: string }[]; exitCode: number };
    expect(doc.exitCode).toBe(1);
    expect(doc.results.find((x) => x.ruleId === "target-inbound-sync-disabled")?.status).toBe("fail");
  });

  it("diagnose against the emulator, in the scenario's own window, finds what the demo finds (the README walkthrough)", async () => {
    const w = { since: "2025-02-25T11:00:00Z", until: "2025-03-04T11:00:00Z" };
    const r = await runCli([
      "diagnose",
      "--config",
      pairConfig,
      "--out",
      await tmp(),
      "--format",
      "json",
      "--since",
      w.since,
      "--until",
      w.until,
      "-o",
      "json",
      "--quiet",
    ]);
    expect(r.code, r.stderr).toBe(1);
    const doc = expectValid("analysis", r.stdout) as { window: { since: string; until: string }; results: { ruleId: string; status: string }[] };
    expect(doc.window).toEqual({ since: new Date(w.since).toISOString(), until: new Date(w.until).toISOString() });
    const demoOut = await tmp();
    await runCli(["demo", "--out", demoOut, "--format", "json", "--quiet"]);
    const demo = JSON.parse(readFileSync(path.join(demoOut, "report.json"), "utf8")) as { results: { ruleId: string; status: string }[] };
    const statuses = (rs: { ruleId: string; status: string }[]) => Object.fromEntries(rs.map((x) => [x.ruleId, x.status]));
    expect(statuses(doc.results)).toEqual(statuses(demo.results));
  });

  it("check and history", async () => {
    const out = await tmp();
    const r = await runCli(["check", "--config", pairsConfig, "--out", out, "--format", "json", "-o", "json", "--quiet"]);
    expect(r.code, r.stderr).toBe(1);
    expectValid("check", r.stdout);
    const h = await runCli(["history", "--out", out, "-o", "json"]);
    expect(h.code, h.stderr).toBe(0);
    expect((expectValid("history", h.stdout) as { runs: unknown[] }).runs).toHaveLength(1);
    const csv = await runCli(["history", "--out", out, "-o", "csv"]);
    expect(parseCsv(csv.stdout, { columns: true })).toMatchObject([{ pair: "hub" }]);
  });

  it("rules list and rules show, and the table, csv and md shapes of the same rows", async () => {
    const list = await runCli(["rules", "list", "-o", "json"]);
    const rows = expectValid("rules-list", list.stdout) as unknown as { id: string }[];
    expectValid("rules-show", (await runCli(["rules", "show", rows[0]!.id, "--output", "json"])).stdout);
    const csv = parseCsv<{ id: string }>((await runCli(["rules", "list", "-o", "csv"])).stdout, { columns: true });
    expect(csv.map((r) => r.id)).toEqual(rows.map((r) => r.id));
    const md = (await runCli(["rules", "list", "-o", "md"])).stdout.trim().split("\n");
    expect(md[0]).toBe("| id | severity | side | area | title |");
    expect(md).toHaveLength(rows.length + 2);
    const table = (await runCli(["rules", "list", "-o", "table"])).stdout.trim().split("\n");
    expect(table[0]).toMatch(/^id\s+severity\s+side\s+area\s+title$/);
  });

  it("permissions", async () => {
    const r = await runCli(["permissions", "--config", pairConfig, "-o", "json"]);
    expect(r.stderr).toBe("");
    expectValid("permissions", r.stdout);
  });

  it("trace-user, from a snapshot", async () => {
    const r = await runCli(["trace-user", "adele@contoso.com", scenarioDir("contoso-fabrikam"), "-o", "json"]);
    expect(r.code, r.stderr).toBe(1);
    expect(expectValid("trace-user", r.stdout)["query"]).toBe("adele@contoso.com");
  });

  it("export pending-acceptance", async () => {
    const out = path.join(await tmp(), "pending.csv");
    const r = await runCli(["export", "pending-acceptance", scenarioDir("contoso-fabrikam"), "--out", out, "-o", "json", "--quiet"]);
    expect(r.code, r.stderr).toBe(0);
    const doc = expectValid("export", r.stdout) as { file: string; count: number; rows: unknown[] };
    expect(doc).toMatchObject({ file: out, count: doc.rows.length });
  });

  it("init", async () => {
    const file = path.join(await tmp(), "cts-doctor.yaml");
    const r = await runCli(["init", file, "-o", "json", "--quiet"]);
    expect(r.code, r.stderr).toBe(0);
    expectValid("init", r.stdout);
  });
});
