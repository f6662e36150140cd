// docs/graph-requests.md: every Graph request the tool sends, observed in the emulator's journal on demo, trace-user and remediate runs.
import { realpathSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { main } from "../src/cli/main.js";
import { collect } from "../src/collect/run.js";
import type { Config } from "../src/config/schema.js";
import { fakeToken, parseFault, startEmulator, type Emulator, type JournalEntry } from "../src/emulator/index.js";
import { StaticTokenCredential } from "../src/graph/auth.js";
import { requestPermissions } from "../src/permissions/table.js";
import { readManifest } from "../src/snapshot/store.js";
import { packageRoot } from "../src/version.js";
import { MICROSOFT_DOCUMENTS } from "./graph-request-docs.js";
import { benchArgs } from "./args.js";
import { GUID, GUID_SOURCE } from "../src/guid.js";

/** One distinct request: method, version, path template and normalised query. */
export interface RequestKey {
  method: string;
  version: string;
  path: string;
  query: string;
}

/** A run of the tool against the emulator; `fault` runs exercise the fallbacks (their requests are marked so). */
interface Run {
  name: string;
  scenario: string;
  faults?: string[];
  /** Changes the emulated tenants before the run (a pair in another state than the scenario's). */
  prepare?: (emulator: Emulator) => void;
  steps: (bench: RunBench) => Promise<void>;
}

interface RunBench {
  dir: string;
  configFile: string;
  config: Config;
  since: Date;
  until: Date;
  credentials: { source: StaticTokenCredential; target: StaticTokenCredential };
}

/** trace-user live on users whose chains differ (SMS, invitee, nested group, custom clause, by id, unknown). */
const TRACE_QUERIES: Record<string, string[]> = {
  "contoso-fabrikam": ["adelev@contoso.com", "alex.wilber@contoso.com", "2c1d4c1e-6b0a-4c3f-9d7a-1e2f3a4b5c6d", "nobody@contoso.com"],
  "trace-cases": ["irvins@contoso.com", "isaiahl@contoso.com", "meganb@contoso.com"],
};

/** The demo's collection (the `demo` command: collect with the scenario's window and the connection test). */
async function demoCollection(b: RunBench): Promise<void> {
  await collect(b.config, path.join(b.dir, "snapshot"), { since: b.since, until: b.until, connectionTest: true, credentials: b.credentials });
}

async function cli(args: string[]): Promise<void> {
  await main([...args, "--quiet"]);
}

async function traceUsers(b: RunBench, scenario: string): Promise<void> {
  for (const q of TRACE_QUERIES[scenario] ?? []) await cli(["trace-user", q, "--config", b.configFile, "--format", "json"]);
}

/** remediate plan, apply (with its verification) and the undo plan, in the scenario's window, with every opt-in fix allowed. */
async function remediate(b: RunBench): Promise<void> {
  const plan = path.join(b.dir, "plan.json");
  const window = ["--since", b.since.toISOString(), "--until", b.until.toISOString()];
  await cli([
    "remediate",
    "plan",
    "--config",
    b.configFile,
    "--out",
    plan,
    ...window,
    "--allow-tenant-wide",
    "--allow-restart",
    "--include-user-changes",
    "--notification-email",
    "idadmins@contoso.com",
  ]);
  await cli(["remediate", "apply", plan, "--yes", ...window]);
  await cli(["remediate", "apply", path.join(b.dir, "plan.undo.json"), "--yes", "--no-verify"]);
}

/** The runs the table is made from; a request seen only in a `fault:` run is sent only on that fallback. */
export const RUNS: readonly Run[] = [
  { name: "demo", scenario: "contoso-fabrikam", steps: demoCollection },
  { name: "trace-user", scenario: "contoso-fabrikam", steps: (b) => traceUsers(b, "contoso-fabrikam") },
  { name: "trace-user", scenario: "trace-cases", steps: (b) => traceUsers(b, "trace-cases") },
  { name: "remediate", scenario: "contoso-fabrikam", steps: remediate },
  { name: "remediate", scenario: "paused-sync-all", steps: remediate },
  // The target never had a sync policy for the source: remediation creates it with PUT (a PATCH would be 404).
  { name: "remediate", scenario: "contoso-fabrikam", prepare: (e) => void (e.state.data["target.identitySynchronization"] = null), steps: remediate },
  { name: "fault: beta identitySynchronization refused (405)", scenario: "healthy", faults: ["GET /identitySynchronization 405"], steps: demoCollection },
  // Each configuration's secrets are read on beta first; v1.0 only when beta refuses.
  { name: "fault: beta secrets read refused (405)", scenario: "healthy", faults: ["GET /synchronization/secrets 405"], steps: demoCollection },
];

/** Run each scenario against a fresh emulator and return its journal, by run name. */
export async function observe(runs: readonly Run[] = RUNS): Promise<Map<string, JournalEntry[]>> {
  const seen = new Map<string, JournalEntry[]>();
  for (const run of runs) seen.set(run.name, [...(seen.get(run.name) ?? []), ...(await observeRun(run))]);
  return seen;
}

async function observeRun(run: Run): Promise<JournalEntry[]> {
  const scenarioDir = path.join(packageRoot, "fixtures", "scenarios", run.scenario);
  const manifest = await readManifest(scenarioDir);
  const emulator = await startEmulator({ snapshotDir: scenarioDir, faults: (run.faults ?? []).map((f) => parseFault(f)) });
  run.prepare?.(emulator);
  const dir = await mkdtemp(path.join(tmpdir(), "cts-requests-"));
  const saved = { ...process.env };
  // The commands' own output (reports, traces, step ids) is not what this run is for.
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = () => true;
  try {
    const tenant = (side: "source" | "target") => {
      const env = `CTS_REQUESTS_${side.toUpperCase()}_TOKEN`;
      process.env[env] = fakeToken(manifest[side].tenantId);
      const auth = { method: "access-token" as const, tokenEnv: env };
      return { tenantId: manifest[side].tenantId, cloud: manifest[side].cloud, graphEndpoint: emulator.url, auth, remediation: { auth } };
    };
    const config: Config = { source: tenant("source"), target: tenant("target") };
    const configFile = path.join(dir, "pair.json");
    await writeFile(configFile, JSON.stringify(config));
    const credentials = {
      source: new StaticTokenCredential(fakeToken(manifest.source.tenantId)),
      target: new StaticTokenCredential(fakeToken(manifest.target.tenantId)),
    };
    await run.steps({ dir, configFile, config, since: new Date(manifest.window.since), until: new Date(manifest.window.until), credentials });
    return [...emulator.journal];
  } finally {
    process.stdout.write = write;
    process.env = saved;
    process.exitCode = undefined;
    await emulator.close();
    await rm(dir, { recursive: true, force: true });
  }
}

const JOB_ID = /^[A-Za-z0-9]+\.[0-9a-f]{32}\./i;

/** A path segment taken from data (an object id, a UPN, a job id) becomes a placeholder named by the collection. */
function templateSegment(segment: string, previous: string | undefined): string {
  const s = decodeURIComponent(segment);
  if (!(GUID.test(s) || s.includes("@") || JOB_ID.test(s))) return s;
  if (previous === "partners") return "{tenantId}";
  if (previous === "jobs") return "{jobId}";
  return "{id}";
}

/** `$filter` literals as placeholders: quoted strings, bare ids and date-times. */
function templateFilter(filter: string): string {
  return filter
    .replace(/'(?:[^']|'')*'/g, "'{value}'")
    .replace(new RegExp(String.raw`\b${GUID_SOURCE}\b`, "gi"), "{id}")
    .replace(/\b\d{4}-\d{2}-\d{2}T[\d:.]+Z?\b/g, "{datetime}");
}

/** The request a journal entry shows, with ids as templates and paging tokens dropped; undefined when not a Graph path. */
export function requestKey(entry: Pick<JournalEntry, "method" | "path">): RequestKey | undefined {
  const m = /^(?:\/[^/]+)?\/(v1\.0|beta)(\/[^?]*)?(?:\?(.*))?$/.exec(entry.path);
  if (!m) return undefined;
  const segs = (m[2] ?? "/").split("/").filter(Boolean);
  const template = "/" + segs.map((s, i) => templateSegment(s, segs[i - 1]?.toLowerCase())).join("/");
  const params = [...new URLSearchParams(m[3] ?? "")].filter(([k]) => k.toLowerCase() !== "$skiptoken");
  const query = params
    .map(([k, v]) => [k, k === "$filter" ? templateFilter(v) : v] as const)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}=${v}`)
    .join("&");
  return { method: entry.method.toUpperCase(), version: m[1] ?? "", path: template, query };
}

export const keyText = (k: RequestKey): string => `${k.method} ${k.version} ${k.path}${k.query ? `?${k.query}` : ""}`;

export interface RequestRow extends RequestKey {
  permission: string;
  document: string;
  seenIn: string[];
}

/** The least privileged permission that allows the request (the first alternative of the permissions table). */
function leastPermission(k: RequestKey): string {
  if (k.path === "/$batch") return "each item's own";
  const alternatives = requestPermissions(k.method, k.path);
  return alternatives?.[0]?.join(" + ") ?? "(not in src/permissions/table.ts)";
}

function documentFor(k: RequestKey): string {
  return MICROSOFT_DOCUMENTS[`${k.method} ${k.version} ${k.path}`] ?? MICROSOFT_DOCUMENTS[`${k.method} ${k.path}`] ?? MISSING_DOCUMENT;
}

/** What a row shows when bench/graph-request-docs.ts has no entry for it (the test fails on it). */
export const MISSING_DOCUMENT = "(missing: add it to bench/graph-request-docs.ts)";

/** One row per distinct request, in path order, with the runs that sent it. */
export function tableRows(seen: ReadonlyMap<string, readonly JournalEntry[]>): RequestRow[] {
  const rows = new Map<string, RequestRow>();
  for (const [run, journal] of seen) {
    for (const entry of journal) {
      const k = requestKey(entry);
      if (!k) continue;
      const id = keyText(k);
      const row = rows.get(id) ?? { ...k, permission: leastPermission(k), document: documentFor(k), seenIn: [] };
      if (!row.seenIn.includes(run)) row.seenIn.push(run);
      rows.set(id, row);
    }
  }
  const order = (r: RequestRow) => `${r.path.toLowerCase()}\u0000${r.method}\u0000${r.version}\u0000${r.query}`;
  return [...rows.values()].sort((a, b) => order(a).localeCompare(order(b)));
}

const cell = (s: string) => s.replaceAll("|", "\\|");
const code = (s: string) => (s ? `\`${cell(s)}\`` : "");

export const REGENERATE = "npm run docs:requests";

/** The whole docs/graph-requests.md. */
export function renderMarkdown(rows: readonly RequestRow[]): string {
  const lines = [
    "# Graph requests cts-doctor sends",
    "",
    "Every request the tool can send, as observed in the Graph emulator's request journal while running the demo's",
    "collection, `trace-user` (live) and `remediate plan` / `apply` / undo against the bundled scenarios, plus the runs",
    "named `fault: …`, which exercise a fallback (a request seen only there is sent only when Graph refuses another).",
    "Ids are shown as `{id}`, `{tenantId}`, `{jobId}`; `$filter` literals as `'{value}'`, `{id}`, `{datetime}`;",
    "paging (`$skiptoken`) is left out. `$batch` items are listed as the requests they carry. The permission is the least",
    "privileged one `src/permissions/table.ts` accepts.",
    "",
    `Generated; do not edit by hand. Regenerate with \`${REGENERATE}\` (it builds, runs bench/graph-requests.ts and`,
    "rewrites this file); `test/emulator/graph-requests.test.ts` fails when the tool sends a request this table does not",
    "list, or when the table lists one no run sends.",
    "",
    "| Method | Version | Path | Query | Permission | Microsoft document | Seen in |",
    "|---|---|---|---|---|---|---|",
    ...rows.map(
      (r) => `| ${r.method} | ${r.version} | ${code(r.path)} | ${code(r.query)} | ${cell(r.permission)} | ${cell(r.document)} | ${r.seenIn.join(", ")} |`,
    ),
    "",
  ];
  return lines.join("\n");
}

/** The rows of a rendered table (method, version, path, query and where seen), for the drift test. */
export function parseMarkdown(text: string): { key: RequestKey; document: string; seenIn: string[] }[] {
  const unquote = (s: string) => s.trim().replace(/^`|`$/g, "").replaceAll("\\|", "|");
  return text
    .split("\n")
    .filter((l) => /^\| (GET|POST|PUT|PATCH|DELETE) \|/.test(l))
    .map((l) => {
      const cells = l
        .slice(1, -1)
        .split(/(?<!\\)\|/)
        .map((c) => c.trim());
      const [method = "", version = "", p = "", query = "", , document = "", seenIn = ""] = cells;
      return { key: { method, version, path: unquote(p), query: unquote(query) }, document, seenIn: seenIn.split(", ").filter(Boolean) };
    });
}

export const DOC_FILE = path.join(packageRoot, "docs", "graph-requests.md");

async function regenerate(): Promise<void> {
  const rows = tableRows(await observe());
  const text = renderMarkdown(rows);
  const before = await readFile(DOC_FILE, "utf8").catch(() => "");
  await writeFile(DOC_FILE, text);
  const missing = rows.filter((r) => r.document === MISSING_DOCUMENT).map(keyText);
  process.stderr.write(`${path.relative(process.cwd(), DOC_FILE)}: ${rows.length} requests${before === text ? ", unchanged" : ", rewritten"}\n`);
  for (const m of missing) process.stderr.write(`no Microsoft document for ${m}: add it to bench/graph-request-docs.ts\n`);
  if (missing.length) process.exitCode = 1;
}

// Run only as the entry point, so the test can import the table builder.
if (process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) {
  benchArgs("graph-requests.js", "graph-requests.js (rewrites the Graph request table)", { positionals: { min: 0, max: 0 } });
  await regenerate();
}
