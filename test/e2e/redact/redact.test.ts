// --redact end to end: same analysis on the redacted snapshot, nothing personal in any output, keys, emulator round trip.
import { cp, mkdtemp, readdir, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { analyzeSnapshot } from "../../../src/app/analyze.js";
import { listScenarios } from "../../../src/cli/scenarios.js";
import { REDACT_KEY_ENV } from "../../../src/cli/redact.js";
import { fakeToken, startEmulator } from "../../../src/emulator/index.js";
import type { Report } from "../../../src/report/model.js";
import { REPORT_FORMATS } from "../../../src/report/write.js";
import { FACETS } from "../../../src/snapshot/facets.js";
import { redactSnapshot } from "../../../src/snapshot/redact.js";
import { readFacet, readManifest } from "../../../src/snapshot/store.js";
import { scenarioDir } from "../../helpers/pair.js";
import { runCli as cli } from "../../helpers/cli.js";
import { withEmulatorPair } from "../../helpers/emulator-pair.js";

const SCENARIO = scenarioDir("contoso-fabrikam");
const KEY = Buffer.from("00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff", "hex");
const OTHER_KEY = Buffer.from("ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100", "hex");
const scenarios = await listScenarios();
const tmp = (prefix: string) => mkdtemp(path.join(tmpdir(), `redact-${prefix}-`));

/** Every file under `dir` (relative path → bytes as text). */
async function filesOf(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const full = path.join(entry.parentPath, entry.name);
    out.set(path.relative(dir, full), await readFile(full, "utf8"));
  }
  return out;
}

/** The scenario's personal values: UPNs, addresses, display names, user/group ids and phone numbers. */
async function scenarioOriginals(): Promise<string[]> {
  const values = new Set<string>();
  const addUser = (u: Record<string, unknown>) => {
    for (const k of ["userPrincipalName", "mail", "displayName"]) if (typeof u[k] === "string" && u[k]) values.add(u[k]);
    for (const m of (u["otherMails"] as string[] | undefined) ?? []) values.add(m);
    const id = u["id"] as string;
    values.add(id);
    values.add(id.replace(/-/g, ""));
  };
  for (const id of ["source.users", "target.users", "target.deletedUsers"] as const) for (const u of await readFacet(SCENARIO, id)) addUser(u);
  for (const [groupId, members] of Object.entries(await readFacet(SCENARIO, "source.groupMembers"))) {
    values.add(groupId);
    for (const m of members) addUser(m);
  }
  for (const list of Object.values(await readFacet(SCENARIO, "source.syncAssignments"))) {
    for (const a of list) {
      values.add(a.principalId);
      if (a.principalDisplayName) values.add(a.principalDisplayName);
    }
  }
  for (const p of await readFacet(SCENARIO, "source.phoneMethods")) {
    for (const m of p.value) if (m.phoneNumber) values.add(m.phoneNumber.replace(/^\+\d+\s*/, ""));
  }
  values.add("idadmins@contoso.com");
  return [...values];
}

/** Per rule: status, and the sides and count of its findings. */
function outcome(report: Report) {
  return Object.fromEntries(
    report.results.map((r) => [
      r.ruleId,
      {
        status: r.status,
        sides: r.findings.map((f) => f.side).sort(),
        findings: r.findings.length,
        objects: r.findings.reduce((n, f) => n + f.objects.length, 0),
      },
    ]),
  );
}

let redacted: string;
let originals: string[];
beforeAll(async () => {
  redacted = await tmp("snap");
  await redactSnapshot(SCENARIO, redacted, KEY);
  originals = await scenarioOriginals();
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe("redactSnapshot", () => {
  it("writes a complete snapshot marked redacted, with the same facets and counts", async () => {
    const original = await readManifest(SCENARIO);
    const copy = await readManifest(redacted);
    expect(copy.redacted).toBe(true);
    expect(copy.source).toEqual(original.source);
    expect(copy.target).toEqual(original.target);
    for (const spec of FACETS) expect(copy.facets[spec.id], spec.id).toEqual(original.facets[spec.id]);
    expect([...(await filesOf(redacted)).keys()].filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });

  it("gives the same rule statuses, sides and finding counts as the original, with other object ids", async () => {
    const a = await analyzeSnapshot(SCENARIO, await tmp("ra"), ["json"], "high");
    const b = await analyzeSnapshot(redacted, await tmp("rb"), ["json"], "high");
    expect(outcome(b.report)).toEqual(outcome(a.report));
    expect(b.exitCode).toBe(a.exitCode);
    const ids = (r: Report, ruleId: string) => r.results.find((x) => x.ruleId === ruleId)!.findings.flatMap((f) => f.objects.map((o) => o.id));
    // Configuration ids stay; a user's id is a different, GUID-shaped pseudonym.
    expect(ids(b.report, "connection-test-failed")).toEqual(ids(a.report, "connection-test-failed"));
    const sms = ids(b.report, "sms-sign-in-users-skipped");
    expect(sms).not.toEqual(ids(a.report, "sms-sign-in-users-skipped"));
    for (const id of sms) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it("leaves no UPN, address, display name, user or group id or phone number of the scenario in the snapshot or any report", async () => {
    const reports = await tmp("reports");
    const { files } = await analyzeSnapshot(redacted, reports, [...REPORT_FORMATS], "high");
    expect(files).toHaveLength(7);
    expect(originals.length).toBeGreaterThan(60);
    // The check itself finds them in the original.
    const plain = [...(await filesOf(SCENARIO)).values()].join("\n").toLowerCase();
    expect(originals.filter((v) => !/^[0-9a-f]{32}$/.test(v) && !plain.includes(v.toLowerCase()))).toEqual([]);
    const all = new Map([...(await filesOf(redacted)), ...[...(await filesOf(reports))].map(([f, t]) => [`report:${f}`, t] as [string, string])]);
    const leaks: string[] = [];
    for (const [file, text] of all) {
      const lower = text.toLowerCase();
      for (const v of originals) if (lower.includes(v.toLowerCase())) leaks.push(`${file}: ${v}`);
    }
    expect(leaks).toEqual([]);
  });

  it("keeps correlation: the same person has the same pseudonym in both tenants", async () => {
    const source = await readFacet(redacted, "source.users");
    const target = await readFacet(redacted, "target.users");
    const mails = new Set(source.map((u) => u.mail?.toLowerCase()));
    const matched = target.filter((u) => mails.has(u.mail?.toLowerCase()));
    expect(matched.length).toBeGreaterThan(5);
    for (const u of matched) {
      const s = source.find((x) => x.mail?.toLowerCase() === u.mail?.toLowerCase())!;
      expect(u.displayName).toBe(s.displayName);
      expect(u.mail).toMatch(/^u-[0-9a-f]{12}@contoso\.com$/);
    }
    for (const u of await readFacet(redacted, "target.deletedUsers")) {
      // The deleted-item prefix is the (pseudonymised) object id, as in Graph.
      expect(u.userPrincipalName!.slice(0, 32)).toBe(u.id.replace(/-/g, ""));
    }
  });

  it("gives identical output for the same key, and other pseudonyms for another key", async () => {
    const again = await tmp("again");
    await redactSnapshot(SCENARIO, again, KEY);
    expect(await filesOf(again)).toEqual(await filesOf(redacted));
    const other = await tmp("other");
    await redactSnapshot(SCENARIO, other, OTHER_KEY);
    const a = await readFacet(redacted, "source.users");
    const b = await readFacet(other, "source.users");
    expect(b).toHaveLength(a.length);
    for (let i = 0; i < a.length; i++) {
      expect(b[i]!.id).not.toBe(a[i]!.id);
      expect(b[i]!.userPrincipalName).not.toBe(a[i]!.userPrincipalName);
      expect(b[i]!.displayName).not.toBe(a[i]!.displayName);
    }
  });

  it.each(scenarios.map((s) => [s.name, s.dir] as const))("%s: the redacted snapshot gives the same analysis", async (_name, dir) => {
    const out = await tmp("scenario");
    await redactSnapshot(dir, out, KEY);
    const a = await analyzeSnapshot(dir, await tmp("sa"), ["json"], "high");
    const b = await analyzeSnapshot(out, await tmp("sb"), ["json"], "high");
    expect(outcome(b.report)).toEqual(outcome(a.report));
  });

  it("scoping clauses on names keep selecting the same users; scoping attribute values in log details stay", async () => {
    const src = await tmp("clauses");
    await cp(SCENARIO, src, { recursive: true });
    const schemaFile = path.join(src, "source", "syncSchemas.json");
    const schemaText = await readFile(schemaFile, "utf8");
    // The scenario's "Filter external users" group gets two more clauses.
    const patched = schemaText.replace(
      /("name": "Filter external users",\s*"clauses": \[)/,
      `$1 { "operatorName": "EQUALS", "sourceOperandName": "displayName", "targetOperand": { "values": ["Adele Vance"] } }, { "operatorName": "EQUALS", "sourceOperandName": "department", "targetOperand": { "values": ["Sales"] } },`,
    );
    expect(patched).not.toBe(schemaText);
    await writeFile(schemaFile, patched);
    const logFile = path.join(src, "source", "provisioningLogs.ndjson");
    const logs = (await readFile(logFile, "utf8")).replace(
      /"ScopeEvaluationResult":"\{\}"/,
      `"department":"Sales","jobTitle":"Chief Executive","ScopeEvaluationResult":"{\\"Filter external users.displayName EQUALS 'Adele Vance'\\":true}"`,
    );
    await writeFile(logFile, logs);
    const out = await tmp("clauses-out");
    await redactSnapshot(src, out, KEY);
    const adele = (await readFacet(redacted, "source.users"))[0]!;
    expect((await readFacet(out, "source.users"))[0]).toEqual(adele);
    const text = [...(await filesOf(out)).values()].join("\n");
    expect(text).not.toContain("Adele Vance");
    expect(text).not.toContain("Chief Executive");
    const clauses = Object.values(await readFacet(out, "source.syncSchemas"))
      .flatMap((byJob) => Object.values(byJob))
      .flatMap((schema) => schema.synchronizationRules ?? [])
      .flatMap((rule) => rule.objectMappings ?? [])
      .flatMap((m) => m.scope?.groups ?? [])
      .flatMap((g) => g.clauses ?? []);
    expect(clauses.find((c) => c.sourceOperandName === "displayName")?.targetOperand?.values).toEqual([adele.displayName]);
    expect(clauses.find((c) => c.sourceOperandName === "department")?.targetOperand?.values).toEqual(["Sales"]);
    expect(text).toContain(`displayName EQUALS '${adele.displayName}'`);
    expect(text).toContain(`"department":"Sales"`);
  });

  it("refuses to write over its input", async () => {
    await expect(redactSnapshot(redacted, redacted, KEY)).rejects.toMatchObject({ code: "USAGE" });
  });
});

describe("the redaction key", () => {
  it("analyze --redact uses the key from the environment, never prints or writes it", async () => {
    const out = await tmp("env");
    const hex = KEY.toString("hex");
    const r = await cli(["analyze", SCENARIO, "--out", out, "--redact", "--format", REPORT_FORMATS.join(","), "--quiet"], { [REDACT_KEY_ENV]: hex });
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).not.toContain("Redaction key");
    expect(r.stderr).not.toContain(hex);
    // The snapshot in OUT/snapshot is the one that key makes.
    expect(await filesOf(path.join(out, "snapshot"))).toEqual(await filesOf(redacted));
    for (const [file, text] of await filesOf(out)) {
      for (const form of [hex, KEY.toString("base64"), KEY.toString("base64url")]) expect(text.includes(form), file).toBe(false);
    }
  });

  it("accepts a base64 key and refuses one that is too short", async () => {
    const out = await tmp("b64");
    const ok = await cli(["analyze", SCENARIO, "--out", out, "--redact", "--format", "json", "--quiet"], { [REDACT_KEY_ENV]: KEY.toString("base64") });
    expect(ok.code, ok.stderr).toBe(1);
    expect(await filesOf(path.join(out, "snapshot"))).toEqual(await filesOf(redacted));
    const short = await cli(["analyze", SCENARIO, "--out", await tmp("short"), "--redact", "--quiet"], { [REDACT_KEY_ENV]: "abcdef0123" });
    expect(short.code).toBe(2);
    expect(short.stderr).toContain(REDACT_KEY_ENV);
  });

  it("without the variable, a generated key is printed once on stderr and reproduces the snapshot", async () => {
    const out = await tmp("gen");
    const r = await cli(["analyze", SCENARIO, "--out", out, "--redact", "--format", "json"], { [REDACT_KEY_ENV]: undefined });
    expect(r.code, r.stderr).toBe(1);
    const lines = r.stderr.split("\n").filter((l) => l.includes("Redaction key"));
    expect(lines).toHaveLength(1);
    const key = /: ([0-9a-f]{64})$/.exec(lines[0]!)?.[1];
    expect(key).toBeDefined();
    expect(r.stdout).not.toContain(key!);
    for (const [file, text] of await filesOf(out)) expect(text.includes(key!), file).toBe(false);
    const again = await tmp("gen-again");
    await redactSnapshot(SCENARIO, again, Buffer.from(key!, "hex"));
    expect(await filesOf(again)).toEqual(await filesOf(path.join(out, "snapshot")));
  });

  it("redact SNAPSHOT --out DIR writes a shareable snapshot; --lookup finds a person's pseudonym", async () => {
    const out = await tmp("cmd");
    const r = await cli(["redact", SCENARIO, "--out", out, "--quiet"], { [REDACT_KEY_ENV]: KEY.toString("hex") });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe(out);
    expect(await filesOf(out)).toEqual(await filesOf(redacted));
    const look = await cli(["redact", "--lookup", "adele@contoso.com", "--lookup", "Adele Vance"], { [REDACT_KEY_ENV]: KEY.toString("hex") });
    expect(look.code, look.stderr).toBe(0);
    const [address, name] = look.stdout
      .trim()
      .split("\n")
      .map((l) => l.split("\t"));
    const adele = (await readFacet(redacted, "source.users")).find((u) => u.userPrincipalName === address![1]);
    expect(adele?.displayName).toBe(name![1]);
  });
});

describe("redacted snapshots and the emulator", () => {
  it("the emulator serves a redacted snapshot, and collecting it through the Graph client reproduces it", async () => {
    const dir = await tmp("collected");
    await withEmulatorPair(redacted, {}, async (pair) => {
      // Every phone method is read, so the round trip can compare the whole facet.
      const result = await pair.collect(dir, { config: pair.config({ collection: { allPhoneMethods: true } }) });
      expect(result.unreachable).toEqual([]);
    });
    const copy = await readManifest(dir);
    for (const spec of FACETS) {
      expect(copy.facets[spec.id]?.status, spec.id).toBe("ok");
      // Not in the bundled scenarios (their logs hold every outcome): collected anew, checked in test/collect/log-outcomes.test.ts.
      if (spec.id === "source.provisioningOutcomes") continue;
      const a = await readFacet(redacted, spec.id);
      const b = await readFacet(dir, spec.id);
      if (spec.id === "source.provisioningLogs") {
        // Collection asks only for non-success entries (server-side filter): those come back unchanged.
        expect(b, spec.id).toEqual((a as { provisioningStatusInfo?: { status?: string } }[]).filter((e) => e.provisioningStatusInfo?.status !== "success"));
      } else if (spec.id === "source.connectionTest") {
        const outcomeOf = (t: unknown) => JSON.parse(JSON.stringify(t, (k, v) => (k === "testedAt" || k === "requestId" ? undefined : v)));
        expect(outcomeOf(b), spec.id).toEqual(outcomeOf(a));
      } else expect(b, spec.id).toEqual(a);
    }
    const x = await analyzeSnapshot(redacted, await tmp("x"), ["json"], "high");
    const y = await analyzeSnapshot(dir, await tmp("y"), ["json"], "high");
    expect(outcome(y.report)).toEqual(outcome(x.report));
  });

  /** The run kept only a redacted snapshot, no output names a person, and it analyses as the unredacted scenario does. */
  async function expectRedactedLikePlain(out: string): Promise<void> {
    expect((await readManifest(path.join(out, "snapshot"))).redacted).toBe(true);
    const leaks: string[] = [];
    for (const [file, text] of await filesOf(out)) for (const v of originals) if (text.toLowerCase().includes(v.toLowerCase())) leaks.push(`${file}: ${v}`);
    expect(leaks).toEqual([]);
    const report = JSON.parse(await readFile(path.join(out, "report.json"), "utf8")) as Report;
    const plain = await analyzeSnapshot(SCENARIO, await tmp("plain"), ["json"], "high");
    expect(outcome(report)).toEqual(outcome(plain.report));
  }

  it("diagnose --redact collects through the emulator and keeps only the redacted snapshot", async () => {
    const manifest = await readManifest(SCENARIO);
    const emulator = await startEmulator({ snapshotDir: SCENARIO });
    const out = await tmp("diagnose");
    try {
      const tenant = (side: "source" | "target", tokenEnv: string) => ({
        tenantId: manifest[side].tenantId,
        graphEndpoint: emulator.url,
        auth: { method: "access-token", tokenEnv },
      });
      const config = path.join(out, "pair.json");
      await writeFile(config, JSON.stringify({ source: tenant("source", "REDACT_TEST_SRC"), target: tenant("target", "REDACT_TEST_TGT") }));
      const r = await cli(
        [
          "diagnose",
          "--config",
          config,
          "--out",
          out,
          "--since",
          manifest.window.since,
          "--until",
          manifest.window.until,
          "--redact",
          "--format",
          REPORT_FORMATS.join(","),
          "--quiet",
        ],
        {
          [REDACT_KEY_ENV]: KEY.toString("hex"),
          REDACT_TEST_SRC: fakeToken(manifest.source.tenantId),
          REDACT_TEST_TGT: fakeToken(manifest.target.tenantId),
        },
      );
      expect(r.code, r.stderr).toBe(1);
    } finally {
      await emulator.close();
    }
    await expectRedactedLikePlain(out);
  });

  it("demo --redact keeps only the redacted snapshot, and none of its seven reports names a person", async () => {
    const out = await tmp("demo");
    const unredacted = async () => (await readdir(tmpdir())).filter((f) => f.startsWith("cts-doctor-unredacted-"));
    const before = await unredacted();
    const r = await cli(["demo", "--out", out, "--redact", "--quiet"], { [REDACT_KEY_ENV]: KEY.toString("hex") });
    expect(r.code, r.stderr).toBe(0);
    // The unredacted collection went to a temporary folder that is gone.
    expect((await unredacted()).filter((f) => !before.includes(f))).toEqual([]);
    expect(r.stderr).toBe("");
    expect(r.stdout.trim().split("\n")).toHaveLength(7);
    await expectRedactedLikePlain(out);
  });
});
