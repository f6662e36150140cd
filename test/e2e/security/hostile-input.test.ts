// Hostile input: tenant data built to break reports and filters, hand-edited snapshots and configs that must fail in one line.
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { cp, mkdir, mkdtemp, open, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { parse as parseCsv } from "csv-parse/sync";
import { afterEach, describe, expect, it } from "vitest";
import { analyzeSnapshot } from "../../../src/app/analyze.js";
import { collect } from "../../../src/collect/run.js";
import { fakeToken, startEmulator, type Emulator } from "../../../src/emulator/index.js";
import { StaticTokenCredential } from "../../../src/graph/auth.js";
import { GraphApi } from "../../../src/graph/client.js";
import { buildQuery, odataString, segment } from "../../../src/graph/odata.js";
import type { User } from "../../../src/snapshot/graph-types.js";
import type { Manifest } from "../../../src/snapshot/manifest.js";
import { readManifest } from "../../../src/snapshot/store.js";
import { REPORT_FORMATS } from "../../../src/report/write.js";
import { baseData, OBRIEN_UPN, SOURCE, TARGET, writeSnapshot } from "../../emulator/helpers.js";
import { scenarioDir } from "../../helpers/pair.js";
import { runCli as cli } from "../../helpers/cli.js";

const HOSTILE = [
  "<script>alert(1)</script>",
  '"><img src=x onerror=alert(1)>',
  '=HYPERLINK("http://evil.example","x")',
  "+SUM(1,2)",
  "-2+3",
  "@cmd",
  "\tTabbed",
  "\u202Egnp.exe\u202C RTL override",
  "zero\u200Bwidth\u200Djoin\uFEFF",
  "{{constructor.constructor('alert(1)')()}}",
  "x".repeat(100_000),
];

let emulator: Emulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

describe("tenant data built to break reports", () => {
  it("markup, formula prefixes, RTL and zero-width characters and 100k-character names survive intact in JSON and inert everywhere else", async () => {
    const data = baseData();
    const users = data["source.users"].map((u, i): User => ({
      ...u,
      displayName: HOSTILE[i % HOSTILE.length]!,
      userPrincipalName: `${HOSTILE[(i + 3) % HOSTILE.length]!.slice(0, 40)}@contoso.com`,
    }));
    const members = Object.fromEntries(
      Object.entries(data["source.groupMembers"]).map(([g, list]) => [
        g,
        list.map((m) => ({ ...m, displayName: users.find((u) => u.id === m.id)?.displayName ?? HOSTILE[0] })),
      ]),
    );
    const snapshot = await writeSnapshot({
      data: {
        "source.users": users,
        "source.groupMembers": members,
        "source.syncServicePrincipals": [{ ...data["source.syncServicePrincipals"][0]!, displayName: HOSTILE[2]! }],
      },
    });
    emulator = await startEmulator({ snapshotDir: snapshot });
    const dir = await mkdtemp(path.join(tmpdir(), "hostile-"));
    const config = (id: string) => ({
      tenantId: id,
      cloud: "global" as const,
      graphEndpoint: emulator!.url,
      auth: { method: "access-token" as const, tokenEnv: "UNUSED" },
    });
    await collect({ source: config(SOURCE), target: config(TARGET) }, path.join(dir, "snapshot"), {
      since: new Date("2025-03-01T00:00:00Z"),
      connectionTest: false,
      credentials: { source: new StaticTokenCredential(fakeToken(SOURCE)), target: new StaticTokenCredential(fakeToken(TARGET)) },
    });
    const { report } = await analyzeSnapshot(path.join(dir, "snapshot"), dir, [...REPORT_FORMATS], "high");
    const names = report.results.flatMap((r) => r.findings.flatMap((f) => f.objects.map((o) => o.displayName)));
    const shown = HOSTILE.filter((h) => names.includes(h));
    expect(shown.length, "hostile names reach the findings").toBeGreaterThan(0);

    const json = JSON.parse(await readFile(path.join(dir, "report.json"), "utf8")) as typeof report;
    expect(json.results.flatMap((r) => r.findings.flatMap((f) => f.objects.map((o) => o.displayName)))).toEqual(names);

    const html = await readFile(path.join(dir, "report.html"), "utf8");
    expect(html).not.toContain("<script>alert(1)</script>");
    expect(html).not.toContain("<img src=x onerror");
    expect(html).not.toMatch(/\{\{constructor/);

    for (const file of ["findings.csv", "results.csv"]) {
      const rows = parseCsv(await readFile(path.join(dir, file), "utf8"), { bom: true, relax_column_count: true });
      for (const cell of rows.flat()) expect(cell, `${file} cell`).not.toMatch(/^[=+\-@\t\r\n\0＝＋－＠]/);
    }
    const md = await readFile(path.join(dir, "report.md"), "utf8");
    const sarif = await readFile(path.join(dir, "report.sarif"), "utf8");
    expect(md).not.toContain("<script>alert(1)</script>");
    expect(() => JSON.parse(sarif)).not.toThrow();
    const junit = await readFile(path.join(dir, "report.junit.xml"), "utf8");
    expect(junit).not.toContain("<script>");
    expect(junit).not.toContain("<img");
  });

  it("UPNs with ' and #EXT# work inside $filter and as a path segment", async () => {
    const snapshot = await writeSnapshot();
    emulator = await startEmulator({ snapshotDir: snapshot });
    const api = new GraphApi({
      baseUrl: emulator.url,
      credential: new StaticTokenCredential(fakeToken(TARGET)),
      scope: "https://graph.microsoft.com/.default",
    });
    const filtered = await api.list<User>(
      `/users${buildQuery({ $filter: `userPrincipalName eq ${odataString(OBRIEN_UPN)}`, $select: ["id", "userPrincipalName"] })}`,
    );
    expect(filtered.map((u) => u.userPrincipalName)).toEqual([OBRIEN_UPN]);
    const byKey = await api.get<User>(`/users/${segment(OBRIEN_UPN)}${buildQuery({ $select: ["id", "userPrincipalName"] })}`);
    expect(byKey.userPrincipalName).toBe(OBRIEN_UPN);
    const injected = await api.list<User>(`/users${buildQuery({ $filter: `userPrincipalName eq ${odataString("x' or userType eq 'Guest")}` })}`);
    expect(injected).toEqual([]);
  });
});

async function fingerprint(dir: string): Promise<string> {
  const hash = createHash("sha256");
  const entries = (await readdir(dir, { recursive: true, withFileTypes: true }))
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
  for (const file of entries) {
    hash.update(file);
    // Only the first MiB: a sparse multi-gigabyte file is not read whole here either.
    const handle = await open(file, "r");
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(1 << 20), 0, 1 << 20, 0);
    await handle.close();
    hash.update(buffer.subarray(0, bytesRead));
  }
  return hash.digest("hex");
}

function expectOneLine(r: { code: number; stdout: string; stderr: string }, text: string | RegExp): void {
  expect(r.code, r.stderr).toBe(2);
  const lines = r.stderr.trim().split("\n");
  expect(lines, r.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^cts-doctor: /);
  expect(lines[0]).toMatch(text);
  expect(r.stdout).toBe("");
}

type Edit = (dir: string) => Promise<void>;
const rewriteJson =
  (file: string, change: (v: unknown) => unknown): Edit =>
  async (dir) => {
    const p = path.join(dir, file);
    await writeFile(p, JSON.stringify(change(JSON.parse(await readFile(p, "utf8")))));
  };
/** rewriteJson for manifest.json, which the tests start from as the valid manifest collect wrote. */
const rewriteManifest = (change: (m: Manifest) => unknown): Edit => rewriteJson("manifest.json", (m) => change(m as Manifest));

describe("hand-edited snapshots: one line, exit 2, nothing written", () => {
  const cases: [string, Edit, RegExp][] = [
    [
      "invalid JSON in a facet",
      async (d) => writeFile(path.join(d, "source/partner.json"), '{"tenantId": '),
      /facet source\.partner: source\/partner\.json is not valid JSON/,
    ],
    [
      "invalid JSON on an NDJSON line",
      async (d) => writeFile(path.join(d, "source/users.ndjson"), '{"id":"a"}\n{oops\n'),
      /users\.ndjson line 2 is not valid JSON/,
    ],
    [
      "an array where a map is expected",
      rewriteJson("source/syncSecrets.json", () => [1, 2]),
      /facet source\.syncSecrets: .* wrong shape at the top level: expected record, got an array/,
    ],
    [
      "a string where an array is expected",
      rewriteJson("target/organization.json", () => "Fabrikam"),
      /facet target\.organization: .* expected array, got a string/,
    ],
    [
      "a number where an id string is expected",
      rewriteJson("source/syncServicePrincipals.json", (v) => [{ ...(v as Record<string, unknown>[])[0], id: 42 }]),
      /at 0\.id: expected string, got a number/,
    ],
    [
      "a key/value pair with a non-string value",
      rewriteJson("source/syncSecrets.json", (v) => Object.fromEntries(Object.keys(v as object).map((k) => [k, [{ key: "CompanyId", value: null }]]))),
      /\.0\.value: expected string, got null/,
    ],
    [
      "an NDJSON line that is not an object",
      async (d) => writeFile(path.join(d, "target/users.ndjson"), '"just a string"\n'),
      /facet target\.users: .* line 1: item at the top level: expected object, got a string/,
    ],
    [
      "a facet listed ok whose file is missing",
      async (d) => rm(path.join(d, "source/syncJobs.json")),
      /facet source\.syncJobs: source\/syncJobs\.json is missing/,
    ],
    [
      "a facet file replaced by a folder",
      async (d) => {
        await rm(path.join(d, "target/deletedUsers.json"));
        await mkdir(path.join(d, "target/deletedUsers.json"));
      },
      /deletedUsers\.json is a folder/,
    ],
    ["a schema version from the future", rewriteManifest((m) => ({ ...m, schemaVersion: 7 })), /schema version 7.*upgrade cts-doctor/],
    [
      "a manifest with wrong types",
      rewriteManifest((m) => ({ ...m, facets: { ...m.facets, "source.partner": { status: "perhaps" } } })),
      /manifest\.json is invalid at facets\.source\.partner\.status/,
    ],
    [
      "a manifest naming an unknown facet",
      rewriteManifest((m) => ({ ...m, facets: { ...m.facets, "source.passwords": { status: "ok" } } })),
      /unknown facet "source\.passwords"/,
    ],
    ["a manifest that is not an object", async (d) => writeFile(path.join(d, "manifest.json"), "[]"), /manifest\.json is invalid/],
    [
      "a multi-gigabyte JSON facet",
      async (d) => {
        const h = await open(path.join(d, "target/deletedUsers.json"), "w");
        await h.truncate(3 * 1024 ** 3);
        await h.close();
      },
      /deletedUsers\.json is 3072 MiB, more than the 256 MiB cts-doctor reads; not read/,
    ],
    [
      "a multi-gigabyte NDJSON facet kept in memory",
      async (d) => {
        const h = await open(path.join(d, "source/users.ndjson"), "w");
        await h.truncate(3 * 1024 ** 3);
        await h.close();
      },
      /users\.ndjson is 3072 MiB, more than the 2048 MiB/,
    ],
    // Provisioning logs are streamed into a summary whatever their size, but one line must still fit in memory.
    [
      "a multi-gigabyte streamed facet with no line break",
      async (d) => {
        const h = await open(path.join(d, "source/provisioningLogs.ndjson"), "w");
        await h.truncate(3 * 1024 ** 3);
        await h.close();
      },
      /provisioningLogs\.ndjson: a line is longer than 64 MiB; not read/,
    ],
  ];

  it.each(cases)("%s", async (_name, edit, message) => {
    const dir = await mkdtemp(path.join(tmpdir(), "edited-"));
    await cp(scenarioDir("contoso-fabrikam"), dir, { recursive: true });
    await edit(dir);
    const before = await fingerprint(dir);
    const out = path.join(await mkdtemp(path.join(tmpdir(), "edited-out-")), "reports");
    const r = await cli(["analyze", dir, "--out", out]);
    expectOneLine(r, message);
    expect(existsSync(out), "no report folder").toBe(false);
    expect(await fingerprint(dir)).toBe(before);
    await rm(dir, { recursive: true, force: true });
  });

  it("facets missing from the manifest are not an error: their rules are inconclusive, none pass", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "edited-"));
    await cp(scenarioDir("contoso-fabrikam"), dir, { recursive: true });
    await rewriteManifest((m) => {
      delete m.facets["source.partner"];
      delete m.facets["target.identitySynchronization"];
      return m;
    })(dir);
    const { report } = await analyzeSnapshot(dir, await mkdtemp(path.join(tmpdir(), "edited-out-")), ["json"], "high");
    const partnerRules = report.results.filter((r) => r.missing?.some((m) => m.facet === "source.partner" || m.facet === "target.identitySynchronization"));
    expect(partnerRules.length).toBeGreaterThan(0);
    expect(partnerRules.every((r) => r.status === "inconclusive")).toBe(true);
    expect((await readManifest(dir)).facets["source.partner"]).toBeUndefined();
  });
});

describe("malformed configs: one line, exit 2, nothing written", () => {
  const tenant = (id: string) => ({ tenantId: id, auth: { method: "azure-cli" } });
  const good = { source: tenant(SOURCE), target: tenant(TARGET) };
  const cases: [string, string, string, RegExp][] = [
    ["YAML that does not parse", "c.yaml", "source: [unclosed\n", /not valid YAML/],
    ["JSON that does not parse", "c.json", "{ source: ", /not valid JSON/],
    ["a list instead of a mapping", "c.json", "[]", /must be a mapping with source and target/],
    ["a number where a string is expected", "c.json", JSON.stringify({ ...good, source: { ...good.source, tenantId: 42 } }), /source\.tenantId/],
    ["an unknown key", "c.json", JSON.stringify({ ...good, extra: true }), /unknown key "extra"/],
    [
      "an inline secret",
      "c.json",
      JSON.stringify({ ...good, source: { ...good.source, auth: { method: "client-secret", clientId: SOURCE, clientSecret: "s3cr3t-FAKE" } } }),
      /source\.auth\.clientSecret is not allowed/,
    ],
    [
      "the same tenant twice",
      "c.json",
      JSON.stringify({ source: tenant(SOURCE), target: tenant(SOURCE.toUpperCase()) }),
      /source and target must be different tenants/,
    ],
    [
      "an endpoint with a version",
      "c.json",
      JSON.stringify({ ...good, target: { ...good.target, graphEndpoint: "https://graph.microsoft.com/v1.0" } }),
      /must not include the version/,
    ],
    ["a timeout out of range", "c.json", JSON.stringify({ ...good, collection: { timeoutSeconds: -1 } }), /collection\.timeoutSeconds/],
    [
      "hostile text in a value",
      "c.yaml",
      `source:\n  tenantId: "<script>\u202E=cmd"\n  auth: { method: azure-cli }\ntarget:\n  tenantId: ${TARGET}\n  auth: { method: azure-cli }\n`,
      /source\.tenantId: must be a tenant id GUID/,
    ],
  ];

  it.each(cases)("%s", async (_name, file, text, message) => {
    const dir = await mkdtemp(path.join(tmpdir(), "badcfg-"));
    await writeFile(path.join(dir, file), text);
    const out = path.join(dir, "out");
    const r = await cli(["diagnose", "--config", path.join(dir, file), "--out", out]);
    expectOneLine(r, message);
    expect(r.stderr).not.toContain("s3cr3t-FAKE");
    expect(existsSync(out)).toBe(false);
  });
});
