// Many pairs: config with shared tenant blocks, one report folder per pair plus a roll-up, shared per-tenant limits, scheduling.
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { parse } from "csv-parse/sync";
import { afterEach, describe, expect, it } from "vitest";
import { runScheduled } from "../../src/check/schedule.js";
import { DEFAULT_PAIR, parsePairsConfig } from "../../src/config/pairs.js";
import { parseFault, startEmulator, type Emulator } from "../../src/emulator/index.js";
import { scenarioDir } from "../helpers/pair.js";
import { S, T, check, pairsConfig, tempDir, tenantBlock } from "./helpers.js";

const emulators: Emulator[] = [];
const servers: http.Server[] = [];
afterEach(async () => {
  await Promise.all(emulators.splice(0).map((e) => e.close()));
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

const auth = { method: "access-token", tokenEnv: "X" };

describe("multi-pair config", () => {
  it("takes configuration: per pair", () => {
    const tenants = { contoso: { tenantId: S, auth }, fabrikam: { tenantId: T, auth } };
    const c = parsePairsConfig(
      {
        tenants,
        pairs: [
          { name: "a", source: "contoso", target: "fabrikam", configuration: "Fabrikam" },
          { name: "b", source: "contoso", target: "fabrikam" },
        ],
      },
      "f.yaml",
    );
    expect(c.pairs.map((p) => p.config.configuration)).toEqual(["Fabrikam", undefined]);
  });

  it("resolves tenants by name and keeps the single-pair format as one pair named default", () => {
    const tenants = { contoso: { tenantId: S, auth }, fabrikam: { tenantId: T, auth }, tailspin: { tenantId: "0e2f5b7c-1a3d-4c6e-8f90-a1b2c3d4e5f6", auth } };
    const c = parsePairsConfig(
      {
        tenants,
        pairs: [
          { name: "fabrikam", source: "contoso", target: "fabrikam" },
          { name: "tailspin", source: "contoso", target: "tailspin", collection: { concurrency: 2 } },
        ],
        collection: { since: "24h" },
      },
      "f.yaml",
    );
    expect(c.pairs.map((p) => [p.name, p.tenantKeys.source, p.tenantKeys.target])).toEqual([
      ["fabrikam", "contoso", "fabrikam"],
      ["tailspin", "contoso", "tailspin"],
    ]);
    expect(c.pairs[1]!.config.collection).toEqual({ since: "24h", concurrency: 2 });
    expect(c.pairs[0]!.config.source.cloud).toBe("global");
    const single = parsePairsConfig({ source: { tenantId: S, auth }, target: { tenantId: T, auth } }, "f.yaml");
    expect(single.pairs.map((p) => p.name)).toEqual([DEFAULT_PAIR]);
  });

  it.each([
    [{ pairs: [{ name: "a", source: "nope", target: { tenantId: T, auth } }] }, /pairs\.0\.source: no tenant named "nope"/],
    [
      {
        tenants: { s: { tenantId: S, auth }, t: { tenantId: T, auth } },
        pairs: [
          { name: "a", source: "s", target: "t" },
          { name: "A", source: "s", target: "t" },
        ],
      },
      /"A" is used by two pairs/,
    ],
    [{ tenants: { s: { tenantId: S, auth } }, pairs: [{ name: "a", source: "s", target: "s" }] }, /must be different tenants/],
    [{ pairs: [{ name: "../x", source: { tenantId: S, auth }, target: { tenantId: T, auth } }] }, /pairs\.0\.name/],
    [
      { tenants: { s: { tenantId: S, auth: { method: "client-secret", clientId: S, clientSecret: "x" } } }, pairs: [] },
      /tenants\.s\.auth\.clientSecret is not allowed/,
    ],
    [{ pairs: [] }, /at least one pair/],
    [{ pairs: [{ name: "summary.json", source: { tenantId: S, auth }, target: { tenantId: T, auth } }] }, /file name check writes/],
  ])("rejects %j", (raw, message) => {
    expect(() => parsePairsConfig(raw, "f.yaml")).toThrow(message);
  });
});

describe("check with many pairs", () => {
  it("writes one report folder per pair and a roll-up with a row per pair", async () => {
    const broken = await startEmulator({ snapshotDir: scenarioDir("contoso-fabrikam") });
    const healthy = await startEmulator({ snapshotDir: scenarioDir("healthy") });
    emulators.push(broken, healthy);
    const tenants = {
      hubA: tenantBlock(S, broken.url),
      spokeA: tenantBlock(T, broken.url),
      hubB: tenantBlock(S, healthy.url),
      spokeB: tenantBlock(T, healthy.url),
    };
    const config = pairsConfig(tenants, [
      { name: "broken", source: "hubA", target: "spokeA" },
      { name: "healthy", source: "hubB", target: "spokeB" },
    ]);
    const out = await tempDir("pairs-");
    const run = await check(config, tenants, out);
    expect(run.exitCode).toBe(1);
    for (const pair of ["broken", "healthy"]) {
      for (const f of ["report.json", "report.md", "report.html", "report.sarif", "snapshot/manifest.json"])
        expect(existsSync(path.join(out, pair, f)), `${pair}/${f}`).toBe(true);
    }
    const summary = JSON.parse(await readFile(path.join(out, "summary.json"), "utf8"));
    expect(summary.pairs.map((p: { name: string; verdict: string; failsRun: boolean }) => [p.name, p.verdict, p.failsRun])).toEqual([
      ["broken", "fail", true],
      ["healthy", "pass", false],
    ]);
    expect(summary.exitCode).toBe(1);
    const csv = parse(await readFile(path.join(out, "summary.csv"), "utf8"));
    expect(csv.map((r) => r[0])).toEqual(["pair", "broken", "healthy"]);
    const md = await readFile(path.join(out, "summary.md"), "utf8");
    expect(md).toMatch(/\| broken \| fail \| yes \| \d+ \|/);
    expect(md).toMatch(/\| healthy \| pass \| no \| 0 \|/);
  }, 60_000);

  it("a pair that cannot be collected is an error row and exit code 3, and does not stop the other pairs", async () => {
    const em = await startEmulator({ snapshotDir: scenarioDir("healthy") });
    emulators.push(em);
    const tenants = { hub: tenantBlock(S, em.url), spoke: tenantBlock(T, em.url), gone: tenantBlock(T, "http://127.0.0.1:9") };
    const config = pairsConfig(tenants, [
      { name: "ok", source: "hub", target: "spoke" },
      { name: "unreachable", source: "hub", target: "gone" },
    ]);
    const out = await tempDir("pairs-");
    const run = await check(config, tenants, out, { retry: { maxRetries: 0 } });
    expect(run.exitCode).toBe(3);
    expect(run.summary.pairs.map((p) => [p.name, p.verdict])).toEqual([
      ["ok", "pass"],
      ["unreachable", "error"],
    ]);
    expect(run.summary.pairs[1]!.error).toMatch(/target tenant not reachable/);
  }, 60_000);

  it("pairs that reach the same tenant share its concurrency limit", async () => {
    const em = await startEmulator({ snapshotDir: scenarioDir("healthy"), faults: [parseFault("* / delay=3 sticky")] });
    emulators.push(em);
    // A pass-through proxy that counts requests in flight per tenant (endpoints route by a /<tenantId> path prefix).
    const inFlight = new Map<string, number>();
    const peak = new Map<string, number>();
    const target = new URL(em.url);
    const proxy = http.createServer((req, res) => {
      const tenant = req.url!.split("/")[1]!;
      inFlight.set(tenant, (inFlight.get(tenant) ?? 0) + 1);
      peak.set(tenant, Math.max(peak.get(tenant) ?? 0, inFlight.get(tenant)!));
      const upstream = http.request({ host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers }, (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
        up.on("end", () => inFlight.set(tenant, inFlight.get(tenant)! - 1));
      });
      req.pipe(upstream);
    });
    servers.push(proxy);
    await new Promise<void>((r) => proxy.listen(0, "127.0.0.1", r));
    const base = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    const tenants = { hub: tenantBlock(S, `${base}/${S}`), spoke: tenantBlock(T, `${base}/${T}`) };
    const config = pairsConfig(tenants, [
      { name: "one", source: "hub", target: "spoke" },
      { name: "two", source: "hub", target: "spoke" },
      { name: "three", source: "hub", target: "spoke" },
    ]);
    const run = await check(config, tenants, await tempDir("pairs-"), { concurrency: 2, parallel: 3 });
    expect(run.summary.pairs.map((p) => p.verdict)).toEqual(["pass", "pass", "pass"]);
    expect(peak.get(S)).toBeLessThanOrEqual(2);
    expect(peak.get(T)).toBeLessThanOrEqual(2);
  }, 60_000);
});

describe("runScheduled", () => {
  it("starts a pair on idle tenants before one that would wait behind a busy tenant", async () => {
    const started: string[] = [];
    let releaseHub!: () => void;
    const hubBusy = new Promise<void>((r) => (releaseHub = r));
    const task = (name: string, tenants: string[], wait?: Promise<void>) => ({
      tenants,
      run: async () => {
        started.push(name);
        if (name === "c") releaseHub();
        await wait;
        return name;
      },
    });
    const results = await runScheduled([task("a", ["hub", "x"], hubBusy), task("b", ["hub", "y"]), task("c", ["z", "w"])], 2);
    expect(started).toEqual(["a", "c", "b"]);
    expect(results).toEqual(["a", "b", "c"]);
  });

  it("never runs more than the bound at once", async () => {
    let running = 0;
    let peak = 0;
    const tasks = Array.from({ length: 7 }, (_, i) => ({
      tenants: [`t${i % 2}`],
      run: async () => {
        running++;
        peak = Math.max(peak, running);
        await new Promise((r) => setImmediate(r));
        running--;
        return i;
      },
    }));
    expect(await runScheduled(tasks, 3)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(peak).toBe(3);
  });
});
