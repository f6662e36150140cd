// collect --resume through the emulator: an interrupted collection continues from its last complete page and equals an uninterrupted one.
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { appendFile, mkdtemp, readdir, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { PageProgress } from "../../../src/collect/recorder.js";
import { STATE_FILE, readCollectState } from "../../../src/collect/resume-state.js";
import { collect, type CollectOptions } from "../../../src/collect/run.js";
import type { Config } from "../../../src/config/schema.js";
import { fakeToken, parseFault, startEmulator, type Emulator, type JournalEntry } from "../../../src/emulator/index.js";
import { StaticTokenCredential } from "../../../src/graph/auth.js";
import { FACETS, facetSpec } from "../../../src/snapshot/facets.js";
import { readFacet, readManifest } from "../../../src/snapshot/store.js";
import { packageRoot } from "../../../src/version.js";
import { scenarioDir } from "../../helpers/pair.js";

const bin = path.join(packageRoot, "dist", "src", "cli", "main.js");

/** Run the built CLI; `watch` is called every few milliseconds while it runs (to send it a signal at the right moment). */
function cli(args: string[], env: Record<string, string>, onStderr?: (text: string) => void, watch?: (signal: (s: NodeJS.Signals) => void) => void) {
  return new Promise<{ code: number | null; stderr: string; stdout: string }>((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { env: { ...process.env, ...env } });
    let stderr = "";
    let stdout = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
      onStderr?.(stderr);
    });
    const timer = watch
      ? setInterval(() => {
          watch((s) => child.kill(s));
        }, 10)
      : undefined;
    child.on("close", (code) => {
      clearInterval(timer);
      resolve({ code, stderr, stdout });
    });
  });
}

const S = "1fd6544e-e994-4de2-9f1b-787b51c7d325";
const T = "4a12efe6-aa14-4d03-8dff-88fc89e2e2ad";
const PAGES = { directory: 2, provisioning: 2 };

let emulators: Emulator[] = [];
afterEach(async () => {
  await Promise.all(emulators.map((e) => e.close()));
  emulators = [];
});

async function start(scenario: string): Promise<Emulator> {
  const em = await startEmulator({ snapshotDir: scenarioDir(scenario), pageSize: PAGES });
  emulators.push(em);
  return em;
}

function pairConfig(endpoint: string, target = T): Config {
  const tenant = (tenantId: string) => ({
    tenantId,
    cloud: "global" as const,
    graphEndpoint: endpoint,
    auth: { method: "access-token" as const, tokenEnv: "UNUSED" },
  });
  // An interrupted target read makes the first run read every user's phone methods; so does the uninterrupted one here.
  return { source: tenant(S), target: tenant(target), collection: { allPhoneMethods: true } };
}

async function run(scenario: string, em: Emulator, dir: string, options: Partial<CollectOptions> = {}) {
  const manifest = await readManifest(scenarioDir(scenario));
  return collect(pairConfig(em.url), dir, {
    since: new Date(manifest.window.since),
    until: new Date(manifest.window.until),
    connectionTest: true,
    credentials: { source: new StaticTokenCredential(fakeToken(S)), target: new StaticTokenCredential(fakeToken(T)) },
    retry: { maxRetries: 1, baseDelayMs: 5, maxDelayMs: 50 },
    ...options,
  });
}

const newDir = () => mkdtemp(path.join(tmpdir(), "resume-"));

/** Every facet of `dir` is ok and equals the uninterrupted run's (the connection test's time and request-id aside). */
async function expectSameSnapshot(expected: string, dir: string, sameWindow = true) {
  const a = await readManifest(expected);
  const b = await readManifest(dir);
  if (sameWindow) expect(b.window).toEqual(a.window);
  for (const spec of FACETS) {
    expect(b.facets[spec.id], spec.id).toEqual(a.facets[spec.id]);
    const x = await readFacet(expected, spec.id);
    const y = await readFacet(dir, spec.id);
    if (spec.id === "source.connectionTest") {
      const outcome = (t: unknown) => JSON.parse(JSON.stringify(t, (k, v) => (k === "testedAt" || k === "requestId" ? undefined : v)));
      expect(outcome(y), spec.id).toEqual(outcome(x));
    } else {
      expect(y, spec.id).toEqual(x);
    }
  }
}

/** No sidecar and no partial file left behind. */
async function expectClean(dir: string) {
  expect(existsSync(path.join(dir, STATE_FILE))).toBe(false);
  const files = [...(await readdir(path.join(dir, "source"))), ...(await readdir(path.join(dir, "target")))];
  expect(files.filter((f) => f.endsWith(".partial") || f.endsWith(".tmp"))).toEqual([]);
}

/** Successful page requests (top level) whose path contains `part`. */
const pagesOf = (journal: JournalEntry[], part: string) => journal.filter((j) => !j.inBatch && j.status === 200 && j.path.includes(part)).map((j) => j.path);

/** Stop after the `n`-th page of a facet, from inside the page callback (before the next page is asked for). */
function after(id: string, n: number, then: () => void): PageProgress {
  return (facet, p) => {
    if (facet === id && p.pages === n) then();
  };
}

describe("collect --resume", () => {
  it("a dropped connection on page 3 of the target's /users: the resumed run asks only for the missing pages and equals an uninterrupted run", async () => {
    const baseline = await newDir();
    await run("contoso-fabrikam", await start("contoso-fabrikam"), baseline);

    const em = await start("contoso-fabrikam");
    const dir = await newDir();
    const first = await run("contoso-fabrikam", em, dir, {
      onPage: after("target.users", 2, () => {
        em.addFaults([parseFault("GET /users reset times=inf")]);
      }),
    });
    expect(first.manifest.facets["target.users"]).toMatchObject({ status: "failed", error: { code: "NetworkError" } });
    expect(first.resumable).toEqual(["target.users"]);
    const state = await readCollectState(dir);
    expect(state.facets["target.users"]).toMatchObject({ pages: 2, fetched: 4 });
    const partial = path.join(dir, `${facetSpec("target.users").file}.partial`);
    expect((await readFile(partial, "utf8")).trim().split("\n")).toHaveLength(state.facets["target.users"]!.items);
    const done = pagesOf(em.journal, "/users");
    expect(done).toHaveLength(2);

    em.clearFaults();
    const mark = em.journal.length;
    const second = await run("contoso-fabrikam", em, dir, { resume: true });
    expect(second.resumable).toEqual([]);
    expect(second.kept).toHaveLength(FACETS.length - 1);
    await expectSameSnapshot(baseline, dir);
    await expectClean(dir);

    // Only the missing pages were asked for: the facets kept were not read again, nor the two /users pages done.
    const resumed = em.journal.slice(mark);
    expect(resumed.length).toBeGreaterThan(0);
    expect(
      resumed.every((j) => j.method === "GET" && j.path.startsWith("/v1.0/users?") && j.path.includes("skiptoken")),
      JSON.stringify(resumed.map((j) => j.path)),
    ).toBe(true);
    expect(resumed[0]!.path).toBe(new URL(state.facets["target.users"]!.nextLink).pathname + new URL(state.facets["target.users"]!.nextLink).search);
    for (const p of pagesOf(resumed, "/users")) expect(done).not.toContain(p);
  });

  it("an aborted sync-all collection (source users and logs paged) resumes to the same snapshot, phone methods included", async () => {
    const baseline = await newDir();
    await run("paused-sync-all", await start("paused-sync-all"), baseline);

    const em = await start("paused-sync-all");
    const dir = await newDir();
    const controller = new AbortController();
    const first = await run("paused-sync-all", em, dir, {
      signal: controller.signal,
      onPage: after("source.users", 3, () => {
        controller.abort();
      }),
    });
    expect(first.interrupted).toBe(true);
    expect(first.manifest.facets["source.users"]).toMatchObject({ status: "failed", error: { code: "Interrupted" } });
    expect(first.manifest.facets["source.phoneMethods"]?.status).not.toBe("ok");
    expect(first.resumable).toContain("source.users");
    const before = em.journal.length;
    const done = pagesOf(em.journal, "skiptoken");
    const sourceUsers = (j: JournalEntry) => !j.inBatch && /^\/v1\.0\/users\?/.test(j.path) && j.tenantId?.toLowerCase() === S;
    expect(em.journal.filter(sourceUsers)).toHaveLength(3);

    const second = await run("paused-sync-all", em, dir, { resume: true });
    expect(second.interrupted).toBe(false);
    await expectSameSnapshot(baseline, dir);
    await expectClean(dir);
    const resumed = em.journal.slice(before);
    // Paging continued where it stopped: no page fetched before is fetched again, and /users did not start over.
    for (const p of pagesOf(resumed, "skiptoken")) expect(done).not.toContain(p);
    const continued = resumed.filter(sourceUsers);
    expect(continued.length).toBeGreaterThan(0);
    expect(continued.every((j) => j.path.includes("skiptoken"))).toBe(true);
  });

  it("drops a page written halfway when the run died: the partial file is cut back to the recorded items", async () => {
    const baseline = await newDir();
    await run("contoso-fabrikam", await start("contoso-fabrikam"), baseline);

    const em = await start("contoso-fabrikam");
    const dir = await newDir();
    const controller = new AbortController();
    await run("contoso-fabrikam", em, dir, {
      signal: controller.signal,
      onPage: after("source.provisioningLogs", 2, () => {
        controller.abort();
      }),
    });
    const partial = path.join(dir, `${facetSpec("source.provisioningLogs").file}.partial`);
    const saved = (await readCollectState(dir)).facets["source.provisioningLogs"];
    expect(saved).toMatchObject({ pages: 2 });
    expect((await readFile(partial, "utf8")).trim().split("\n")).toHaveLength(saved!.items);
    // What a crash between writing a page and saving its checkpoint leaves: a whole extra line and half of another.
    await appendFile(partial, `{"id":"extra-line"}\n{"id":"half-writ`);

    await run("contoso-fabrikam", em, dir, { resume: true });
    await expectSameSnapshot(baseline, dir);
    await expectClean(dir);
  });

  it("a resume without the earlier run, or for another tenant pair, is a usage error", async () => {
    const em = await start("healthy");
    const empty = await newDir();
    await expect(run("healthy", em, empty, { resume: true })).rejects.toMatchObject({
      code: "USAGE",
      message: expect.stringContaining("no collection to continue"),
    });

    const dir = await newDir();
    await run("healthy", em, dir);
    const other = "0d3c6f1e-2b4a-4c5d-8e9f-a1b2c3d4e5f6";
    const manifest = await readManifest(scenarioDir("healthy"));
    await expect(
      collect(pairConfig(em.url, other), dir, {
        since: new Date(manifest.window.since),
        connectionTest: false,
        resume: true,
        credentials: { source: new StaticTokenCredential(fakeToken(S)), target: new StaticTokenCredential(fakeToken(other)) },
      }),
    ).rejects.toMatchObject({ code: "USAGE", message: expect.stringContaining("was collected for source") });
  });

  it("Ctrl-C during `collect` records what is complete, says how to continue and exits 130; `collect --resume` finishes it", async () => {
    const scenario = "contoso-fabrikam";
    const window = (await readManifest(scenarioDir(scenario))).window;
    const baseline = await newDir();
    await run(scenario, await start(scenario), baseline);

    // Slow provisioning-log pages keep the run going while the signal arrives.
    const em = await start(scenario);
    em.addFaults([parseFault("GET /auditLogs/provisioning delay=800 times=inf")]);
    const work = await newDir();
    const config = path.join(work, "pair.json");
    const tenant = (tenantId: string, tokenEnv: string) => ({ tenantId, graphEndpoint: em.url, auth: { method: "access-token", tokenEnv } });
    await writeFile(config, JSON.stringify({ source: tenant(S, "SRC_TOKEN"), target: tenant(T, "TGT_TOKEN") }));
    const env = { SRC_TOKEN: fakeToken(S), TGT_TOKEN: fakeToken(T) };
    const out = path.join(work, "snap");
    const args = ["collect", "--config", config, "--out", out, "--since", window.since, "--until", window.until, "--all-phone-methods"]; // as the baseline

    // Ctrl-C once the first log page has been answered and checkpointed (the sidecar exists): the run is then waiting
    // for the (slow) second one. Without waiting for the sidecar, a loaded machine can deliver the signal in between.
    // The sidecar must hold the logs' checkpoint itself: other paged facets (target users) write it too.
    const logsCheckpointed = () => {
      const file = path.join(out, STATE_FILE);
      return existsSync(file) && readFileSync(file, "utf8").includes('"source.provisioningLogs"');
    };
    let sent = false;
    const first = await cli(args, env, undefined, (signal) => {
      if (!sent && em.journal.some((j) => j.path.startsWith("/v1.0/auditLogs/provisioning") && j.status === 200) && logsCheckpointed()) {
        sent = true;
        signal("SIGINT");
      }
    });
    expect(sent).toBe(true);
    expect(first.code, first.stderr).toBe(130);
    expect(first.stderr).toContain("cts-doctor: interrupted; run again with --resume");
    expect(first.stdout).toBe("");
    const interrupted = await readManifest(out);
    expect(interrupted.facets["source.provisioningLogs"]).toMatchObject({ status: "failed", error: { code: "Interrupted" } });
    expect(existsSync(path.join(out, STATE_FILE))).toBe(true);
    expect(interrupted.facets["source.syncJobs"]?.status).toBe("ok");

    em.clearFaults();
    const mark = em.journal.length;
    const second = await cli([...args, "--resume"], env);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout.trim()).toBe(out);
    await expectSameSnapshot(baseline, out, false); // the CLI's window ends when it ran
    await expectClean(out);
    // Kept facets were not read again (the jobs, for one), and the logs continued after their first page.
    const resumed = em.journal.slice(mark);
    expect(resumed.some((j) => j.path.includes("/synchronization/jobs?") || j.path.endsWith("/synchronization/jobs"))).toBe(false);
    // The outcomes of the logged objects (log-outcomes.ts) come after the logs, so only the resumed run reads them.
    const outcomeReads = resumed.filter((j) => j.path.startsWith("/v1.0/auditLogs/provisioning") && decodeURIComponent(j.path).includes("sourceIdentity/id"));
    expect((await readManifest(out)).facets["source.provisioningOutcomes"]).toMatchObject({ status: "ok", requests: outcomeReads.length });
    const logReads = resumed.filter((j) => j.path.startsWith("/v1.0/auditLogs/provisioning") && !outcomeReads.includes(j));
    expect(
      logReads.every((j) => j.path.includes("skiptoken")),
      JSON.stringify(logReads),
    ).toBe(true);
  });
});
