// Collection bench: `diagnose` against the emulator (3,000 users, 6,000 log entries, 10 ms latency, realistic limits):
// Graph requests per facet against the minimum possible, wall time, peak RSS, and the guide's approach on the same pair.
import { spawn } from "node:child_process";
import path from "node:path";
import { OUTCOME_GROUP } from "../src/collect/log-outcomes.js";
import { startEmulator, type Emulator, type JournalEntry } from "../src/emulator/index.js";
import type { AppRoleAssignment, DirectoryObject, ProvisioningLogEntry } from "../src/snapshot/graph-types.js";
import { packageRoot } from "../src/version.js";
import { cachedPair, fmt, mb, printTable, writeResult } from "./common.js";
import type { GuideResult } from "./guide.js";
import { benchArgs } from "./args.js";

benchArgs("collection.js", "collection.js (no arguments)", { positionals: { min: 0, max: 0 } });

const SIZE = { users: 3_000, logEntries: 6_000 };
const LATENCY_MS = 10;
const TARGET = { requestRatio: 1.2, speedup: 10 };
/** Page sizes and batch size cts-doctor asks for (src/collect/select.ts, src/graph/batch.ts): the minimum assumes them full. */
const PAGE = { directory: 999, logs: 500, batch: 20 };

interface DiagnoseRun {
  wallMs: number;
  collectMs: number;
  requests: number;
  throttledRetries: number;
  notOk: string[];
  logEntries: number;
  failing: string[];
  /** The phone-method selection the run recorded (manifest): the minimum counts the users it chose. */
  phoneSelection: { read: number } | null;
  maxRssBytes: number;
}
/** What the worker reports for the guide's approach: its own counts plus wall time and peak memory. */
interface GuideRun extends GuideResult {
  wallMs: number;
  maxRssBytes: number;
}

/** A worker in its own process (peak RSS is its own); async, because the emulator answering it lives in this process. */
function runWorker<T>(args: string[]): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(packageRoot, "dist", "bench", "collection-worker.js"), ...args], { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (c: Buffer) => (out += c.toString("utf8")));
    child.on("error", reject);
    child.on("close", (code) => {
      if (code !== 0) {
        reject(new Error(`collection-worker ${args[0]} exited with ${code}`));
        return;
      }
      resolve(JSON.parse(out.trim().split("\n").pop() ?? "") as T);
    });
  });
}

const FACET_OF: [RegExp, string][] = [
  [/^\/servicePrincipals$/i, "syncServicePrincipals"],
  [/\/synchronization\/secrets$/i, "syncSecrets"],
  [/\/synchronization\/jobs$/i, "syncJobs"],
  [/\/schema$/i, "syncSchemas"],
  [/\/validateCredentials$/i, "connectionTest"],
  [/\/appRoleAssignedTo$/i, "syncAssignments"],
  [/^\/groups\/[^/]+\/members$/i, "groupMembers"],
  [/\/authentication\/phoneMethods$/i, "phoneMethods"],
  [/^\/auditLogs\/provisioning$/i, "provisioningLogs"],
  [/^\/users$/i, "users"],
  [/^\/users\/[^/]+$/i, "users"],
  [/^\/directory\/deletedItems/i, "deletedUsers"],
];

/** Facet of a journal entry: its path without tenant prefix, version and query; a $batch counts as its items' facet. */
function facetOf(path: string): string {
  const p = decodeURIComponent(path.split("?", 1)[0] ?? "")
    .replace(/^\/[0-9a-f-]{36}(?=\/)/i, "")
    .replace(/^\/(v1\.0|beta)/, "");
  return FACET_OF.find(([re]) => re.test(p))?.[1] ?? "policies, organization, licences";
}

/** HTTP requests per side and facet (a $batch is one request, filed under the facet of its items). */
function requestsByFacet(em: Emulator): Map<string, number> {
  const counts = new Map<string, number>();
  const side = (j: JournalEntry) => (j.tenantId?.toLowerCase() === em.state.tenantId("source").toLowerCase() ? "source" : "target");
  let lastItem = "";
  for (const j of em.journal) {
    if (j.inBatch) {
      lastItem = facetOf(j.path);
      continue;
    }
    let facet = (j.path.split("?", 1)[0] ?? "").endsWith("/$batch") ? lastItem : facetOf(j.path);
    // The latest outcomes of the logged problem objects use the same API, asking for successes (log-outcomes.ts).
    if (facet === "provisioningLogs" && decodeURIComponent(j.path).includes("status eq 'success'")) facet = "provisioningOutcomes";
    const key = `${side(j)}.${facet}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

/**
 * The fewest requests that can read what cts-doctor collects from this pair: every page full, every batch 20, the
 * phone methods of the users the run selected, and each problem object's latest success by the cheaper of groups of
 * OUTCOME_GROUP or the window's success pages.
 */
function minimumRequests(em: Emulator, phoneReads: number): Map<string, number> {
  const d = em.state.data;
  const pages = (n: number, size: number) => Math.max(1, Math.ceil(n / size));
  const assignments: AppRoleAssignment[] = Object.values(d["source.syncAssignments"] ?? {}).flat();
  const members: Record<string, DirectoryObject[]> = d["source.groupMembers"] ?? {};
  const inGroups = new Set(Object.values(members).flatMap((list) => list.map((m) => m.id)));
  const direct = assignments.filter((a) => a.principalType === "User" && !inGroups.has(a.principalId)).length;
  const window = em.state.manifest.window;
  const logs: ProvisioningLogEntry[] = d["source.provisioningLogs"] ?? [];
  const problemEntries = logs.filter((e) => e.activityDateTime > window.since && e.provisioningStatusInfo?.status !== "success");
  const problems = problemEntries.length;
  const problemObjects = new Set(problemEntries.map((e) => e.sourceIdentity?.id).filter(Boolean)).size;
  const firstProblem = Math.min(...problemEntries.map((e) => Date.parse(e.activityDateTime)));
  const windowSuccesses = logs.filter((e) => e.provisioningStatusInfo?.status === "success" && Date.parse(e.activityDateTime) > firstProblem).length;
  const groups = assignments.filter((a) => a.principalType === "Group").map((a) => members[a.principalId]?.length ?? 0);
  return new Map([
    // organization, crossTenantAccessPolicy, default, partner, authorizationPolicy, subscribedSkus; target: + identitySynchronization, externalIdentitiesPolicy
    ["source.policies, organization, licences", 6],
    ["source.syncServicePrincipals", 1],
    ["source.syncSecrets", 1],
    ["source.syncJobs", 1],
    ["source.syncSchemas", 1],
    ["source.connectionTest", 1],
    ["source.syncAssignments", pages(assignments.length, PAGE.directory)],
    ["source.groupMembers", groups.reduce((n, m) => n + pages(m, PAGE.directory), 0)],
    ["source.users", direct ? Math.ceil(direct / PAGE.batch) : 0],
    ["source.phoneMethods", Math.ceil(phoneReads / PAGE.batch)],
    ["source.provisioningLogs", pages(problems, PAGE.logs)],
    ["source.provisioningOutcomes", problemObjects ? Math.min(Math.ceil(problemObjects / OUTCOME_GROUP), pages(windowSuccesses, PAGE.logs)) : 0],
    ["target.policies, organization, licences", 8],
    ["target.users", pages((d["target.users"] ?? []).length, PAGE.directory)],
    ["target.deletedUsers", pages((d["target.deletedUsers"] ?? []).length, PAGE.directory)],
  ]);
}

async function emulate(dir: string): Promise<Emulator> {
  return startEmulator({ snapshotDir: dir, realisticLimits: true, latencyMs: LATENCY_MS });
}

const dir = cachedPair(SIZE);
let em = await emulate(dir);
const diagnose = await runWorker<DiagnoseRun>(["diagnose", em.url, dir]);
const actual = requestsByFacet(em);
const minimum = minimumRequests(em, diagnose.phoneSelection?.read ?? 0);
const throttled429 = em.journal.filter((j) => j.status === 429).length;
await em.close();

em = await emulate(dir);
const guide = await runWorker<GuideRun>(["guide", em.url, dir]);
const guideRequests = em.journal.filter((j) => !j.inBatch).length;
await em.close();

const keys = [...new Set([...minimum.keys(), ...actual.keys()])];
const totalActual = keys.reduce((n, k) => n + (actual.get(k) ?? 0), 0);
const totalMin = keys.reduce((n, k) => n + (minimum.get(k) ?? 0), 0);
const ratio = totalActual / totalMin;
const speedup = guide.wallMs / diagnose.wallMs;
/** Without the log pages, which the reports throttle dominates: the directory side of the comparison alone. */
const speedupWithoutLogs = (guide.wallMs - guide.logsMs) / diagnose.wallMs;
const ok = { requests: ratio <= TARGET.requestRatio, speedup: speedup >= TARGET.speedup, complete: diagnose.notOk.length === 0 };

printTable(
  `collection bench: ${fmt(SIZE.users)} users, ${fmt(SIZE.logEntries)} log entries (${fmt(diagnose.logEntries)} non-success collected), ${LATENCY_MS} ms latency, realistic limits (${dir})`,
  [
    ...keys.map((k): [string, string, string] => {
      const a = actual.get(k) ?? 0;
      const m = minimum.get(k) ?? 0;
      return [`requests ${k}`, `${fmt(a)} / min ${fmt(m)}`, m ? `${(a / m).toFixed(2)}×` : ""];
    }),
    ["requests, all facets (actual / minimum)", `${fmt(totalActual)} / ${fmt(totalMin)} = ${ratio.toFixed(2)}×`, `≤ ${TARGET.requestRatio}×`, ok.requests],
    ["429 answers (realistic limits)", fmt(throttled429), "", undefined],
    ["diagnose: collect", `${(diagnose.collectMs / 1000).toFixed(1)} s`, ""],
    ["diagnose: collect + analyze + report.json/html", `${(diagnose.wallMs / 1000).toFixed(1)} s`, ""],
    ["diagnose peak RSS", mb(diagnose.maxRssBytes), ""],
    ["facets not ok", diagnose.notOk.length ? diagnose.notOk.join("; ") : "none", "none", ok.complete],
    ["guide's approach: requests", `${fmt(guideRequests)} (${fmt(guide.phoneMethods)} phone-method GETs, ${fmt(guide.logEntries)} log entries)`, ""],
    ["guide's approach: wall time", `${(guide.wallMs / 1000).toFixed(1)} s`, ""],
    ["  of which phone-method GETs, one per user", `${(guide.phoneMethodsMs / 1000).toFixed(1)} s`, ""],
    ["  of which unfiltered log pages (reports: 5 per 10 s)", `${(guide.logsMs / 1000).toFixed(1)} s`, ""],
    ["guide's approach: peak RSS", mb(guide.maxRssBytes), ""],
    ["speed-up (guide wall / diagnose wall)", `${speedup.toFixed(1)}×`, `≥ ${TARGET.speedup}×`, ok.speedup],
    ["  speed-up without the guide's log pages", `${speedupWithoutLogs.toFixed(1)}×`, ""],
  ],
);
const file = await writeResult("collection", {
  date: new Date().toISOString(),
  node: process.version,
  size: SIZE,
  latencyMs: LATENCY_MS,
  realisticLimits: true,
  requests: Object.fromEntries(keys.map((k) => [k, { actual: actual.get(k) ?? 0, minimum: minimum.get(k) ?? 0 }])),
  totalActual,
  totalMinimum: totalMin,
  ratio,
  throttled429,
  diagnose,
  guide: { ...guide, requests: guideRequests },
  speedup,
  speedupWithoutLogs,
  target: TARGET,
  withinTarget: ok.requests && ok.speedup && ok.complete,
});
console.log(`written ${file}`);
if (!(ok.requests && ok.speedup && ok.complete)) process.exitCode = 1;
