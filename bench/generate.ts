// Large-pair generator for the benchmarks: a snapshot folder (Contoso → Fabrikam) with N users and up to 1M log entries.
import { closeSync, copyFileSync, mkdirSync, openSync, readdirSync, readFileSync, writeFileSync, writeSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { packageRoot } from "../src/version.js";
import { benchArgs, wholeNumber } from "./args.js";

/** The generated pair reuses the bundled scenario's policies, configuration, job and schema; only the volumes change. */
const BASE = path.join(packageRoot, "fixtures", "scenarios", "contoso-fabrikam");
const SP_ID = "c8c95753-f628-48e1-9fab-76c2d4cf624c";
const APP_ROLE_ID = "7dd0b8d6-4b3f-4c5b-9a41-29c7b2f7a9e0";
const MOBILE = "3179e48a-750b-4051-897c-87b9720928f7";
const DAY_MS = 86_400_000;

export interface PairSize {
  users: number;
  /** Assigned groups; users are split over them (a few are assigned directly). */
  groups: number;
  /** Log entries, outcomes mixed as LOG_MIX says. */
  logEntries: number;
  /** PRNG seed: the same seed writes the same pair. */
  seed: number;
  /** Collection window in days, ending at the base scenario's `until`. */
  days: number;
}

export const DEFAULT_SIZE: PairSize = { users: 100_000, groups: 20, logEntries: 1_000_000, seed: 42, days: 7 };

/** Outcome mix of the generated logs, close to a busy healthy-ish configuration (shares of all entries). */
const LOG_MIX: [kind: string, share: number][] = [
  ["success", 0.7],
  ["redundant", 0.18],
  ["cannotUpdate", 0.05],
  ["forbidden", 0.02],
  ["sms", 0.02],
  ["quota", 0.02],
  ["group", 0.01],
];

/** Deterministic PRNG (mulberry32). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function guidFrom(next: () => number): string {
  const hex = (n: number) =>
    Array.from({ length: n }, () =>
      Math.floor(next() * 16)
        .toString(16)
        .toLowerCase(),
    ).join("");
  return `${hex(8)}-${hex(4)}-4${hex(3)}-${"89ab"[Math.floor(next() * 4)]}${hex(3)}-${hex(12)}`;
}

/** Buffered line writer (synchronous: the generator is a standalone script). */
class Lines {
  private readonly fd: number;
  private buf: string[] = [];
  private size = 0;
  count = 0;
  constructor(file: string) {
    mkdirSync(path.dirname(file), { recursive: true });
    this.fd = openSync(file, "w", 0o600);
  }
  push(line: string): void {
    this.buf.push(line);
    this.size += line.length;
    this.count++;
    if (this.size > 4 * 1024 * 1024) this.flush();
  }
  flush(): void {
    if (this.buf.length) writeSync(this.fd, this.buf.join("\n") + "\n");
    this.buf = [];
    this.size = 0;
  }
  close(): number {
    this.flush();
    closeSync(this.fd);
    return this.count;
  }
}

interface GenUser {
  id: string;
  displayName: string;
  upn: string;
  sms: boolean;
}

/** Log-entry templates: the bundled scenario's own entries, with identity, time and ids replaced per entry. */
function templates(): Record<string, Record<string, unknown>> {
  const lines = readFileSync(path.join(BASE, "source", "provisioningLogs.ndjson"), "utf8")
    .split("\n")
    .filter(Boolean);
  const entries = lines.map(
    (l) => JSON.parse(l) as { provisioningStatusInfo: { status: string; errorInformation?: { errorCode?: string } | null }; provisioningSteps?: unknown[] },
  );
  const find = (pred: (e: (typeof entries)[number], line: string) => boolean) => {
    const found = entries.find((e, n) => pred(e, lines[n] ?? ""));
    if (!found) throw new Error("template missing in the base scenario");
    return found as unknown as Record<string, unknown>;
  };
  const code = (e: (typeof entries)[number]) => e.provisioningStatusInfo.errorInformation?.errorCode;
  const cannot = find((e) => code(e) === "AzureActiveDirectoryCannotUpdateObjectsOriginatedInExternalService");
  const quota = structuredClone(cannot) as { provisioningStatusInfo: { errorInformation: Record<string, unknown> } };
  quota.provisioningStatusInfo.errorInformation.errorCode = "AzureActiveDirectoryQuotaLimitExceeded";
  quota.provisioningStatusInfo.errorInformation.reason = "The target tenant has reached its directory object quota.";
  return {
    success: find((e) => e.provisioningStatusInfo.status === "success"),
    redundant: find((e) => code(e) === "RedundantExport"),
    cannotUpdate: cannot,
    forbidden: find((e) => code(e) === "AzureActiveDirectoryForbidden"),
    sms: find((_e, line) => line.includes("Filter external users")),
    quota: quota,
    group: find((e) => code(e) === "EntityTypeNotSupported"),
  };
}

type Rng = () => number;

interface BaseManifest {
  window: { since: string; until: string };
  facets: Record<string, { status: string; count?: number }>;
  createdAt: string;
}

/** Write a generated pair into `dir` (created); returns the counts written. Draws from the seeded generator in a fixed order. */
export function generatePair(dir: string, size: Partial<PairSize> = {}): { users: number; logEntries: number; phoneMethods: number } {
  const opts = { ...DEFAULT_SIZE, ...size };
  const next = rng(opts.seed);
  mkdirSync(path.join(dir, "source"), { recursive: true });
  mkdirSync(path.join(dir, "target"), { recursive: true });
  for (const side of ["source", "target"]) {
    for (const f of readdirSync(path.join(BASE, side))) copyFileSync(path.join(BASE, side, f), path.join(dir, side, f));
  }
  const manifest = JSON.parse(readFileSync(path.join(BASE, "manifest.json"), "utf8")) as BaseManifest;
  const until = Date.parse(manifest.window.until);
  const since = until - opts.days * DAY_MS;
  manifest.window.since = new Date(since).toISOString();

  const { users, count: userCount } = writeUsers(dir, opts.users, next);
  const groupIds = Array.from({ length: opts.groups }, () => guidFrom(next));
  writeAssignments(dir, users, groupIds);
  const phoneCount = writePhoneMethods(dir, users, next);
  const targetCount = writeTargetUsers(dir, users, next);
  const logCount = writeLogs(dir, { users, groupIds, since, until, entries: opts.logEntries }, next);

  const set = (id: string, count: number) => (manifest.facets[id] = { ...manifest.facets[id], status: "ok", count });
  set("source.users", userCount);
  set("source.phoneMethods", phoneCount);
  set("source.provisioningLogs", logCount);
  set("source.syncAssignments", 1);
  set("source.groupMembers", 1);
  set("target.users", targetCount);
  writeFileSync(path.join(dir, "manifest.json"), JSON.stringify(manifest, null, 2) + "\n", { mode: 0o600 });
  return { users: userCount, logEntries: logCount, phoneMethods: phoneCount };
}

const memberOf = (u: GenUser) => ({
  "@odata.type": "#microsoft.graph.user",
  id: u.id,
  displayName: u.displayName,
  userPrincipalName: u.upn,
  mail: u.upn,
  userType: "Member",
});

function writeUsers(dir: string, count: number, next: Rng): { users: GenUser[]; count: number } {
  const users: GenUser[] = [];
  const userLines = new Lines(path.join(dir, "source", "users.ndjson"));
  for (let i = 0; i < count; i++) {
    const u = { id: guidFrom(next), displayName: `Employee ${i}`, upn: `employee${i}@contoso.com`, sms: next() < 0.03 };
    users.push(u);
    userLines.push(JSON.stringify(memberOf(u)));
  }
  return { users, count: userLines.close() };
}

/** Users split over the groups; every 50th user is assigned directly instead. */
function writeAssignments(dir: string, users: GenUser[], groupIds: string[]): void {
  const members: Record<string, unknown[]> = Object.fromEntries(groupIds.map((g) => [g, []]));
  const assignment = (id: string, createdDateTime: string, principalDisplayName: string, principalId: string, principalType: string) => ({
    id,
    appRoleId: APP_ROLE_ID,
    createdDateTime,
    principalDisplayName,
    principalId,
    principalType,
    resourceId: SP_ID,
  });
  const assignments: unknown[] = groupIds.map((g, i) => assignment(`grp-assignment-${i}`, "2025-02-18T22:23:48Z", `SG-CTS-Fabrikam-${i}`, g, "Group"));
  users.forEach((u, i) => {
    if (i % 50 === 49) assignments.push(assignment(`user-assignment-${i}`, "2025-02-18T22:25:10Z", u.displayName, u.id, "User"));
    else members[groupIds[i % groupIds.length] ?? ""]?.push(memberOf(u));
  });
  writeFileSync(path.join(dir, "source", "syncAssignments.json"), JSON.stringify({ [SP_ID]: assignments }) + "\n", { mode: 0o600 });
  writeFileSync(path.join(dir, "source", "groupMembers.json"), JSON.stringify(members) + "\n", { mode: 0o600 });
}

function writePhoneMethods(dir: string, users: GenUser[], next: Rng): number {
  const phones = new Lines(path.join(dir, "source", "phoneMethods.ndjson"));
  for (const u of users) {
    const value =
      next() < 0.6
        ? [
            {
              id: MOBILE,
              phoneNumber: `+1 425555${String(phones.count % 10000).padStart(4, "0")}`,
              phoneType: "mobile",
              smsSignInState: u.sms ? "ready" : "notAllowedByPolicy",
            },
          ]
        : [];
    phones.push(JSON.stringify({ userId: u.id, value }));
  }
  return phones.close();
}

/** Target: most users already exist as B2B members. */
function writeTargetUsers(dir: string, users: GenUser[], next: Rng): number {
  const target = new Lines(path.join(dir, "target", "users.ndjson"));
  users.forEach((u, i) => {
    if (i % 10 === 9) return;
    target.push(
      JSON.stringify({
        id: guidFrom(next),
        displayName: u.displayName,
        userPrincipalName: `${u.upn.replace("@", "_")}#EXT#@fabrikam.onmicrosoft.com`,
        mail: u.upn,
        otherMails: [u.upn],
        userType: "Member",
        creationType: "Invitation",
        externalUserState: "Accepted",
        accountEnabled: true,
        createdDateTime: "2025-02-19T00:00:00Z",
      }),
    );
  });
  return target.close();
}

interface LogEntry {
  id: string;
  activityDateTime: string;
  changeId: string;
  sourceIdentity: { id: string; displayName: string; details: Record<string, string> };
}

/** Logs: newest first, like Graph returns them; the identity and outcome per entry follow LOG_MIX. */
function writeLogs(dir: string, mix: { users: GenUser[]; groupIds: string[]; since: number; until: number; entries: number }, next: Rng): number {
  const tpl = templates();
  const cumulative: [string, number][] = [];
  let acc = 0;
  for (const [kind, share] of LOG_MIX) cumulative.push([kind, (acc += share)]);
  const { users, groupIds, until } = mix;
  const smsUsers = users.filter((u) => u.sms);
  const logs = new Lines(path.join(dir, "source", "provisioningLogs.ndjson"));
  const step = (until - mix.since) / Math.max(1, mix.entries);
  for (let i = 0; i < mix.entries; i++) {
    const r = next();
    const kind = cumulative.find(([, c]) => r < c)?.[0] ?? "success";
    const e = structuredClone(tpl[kind]) as unknown as LogEntry;
    const pool = kind === "sms" && smsUsers.length ? smsUsers : users;
    const u = pool[Math.floor(next() * pool.length)];
    e.id = guidFrom(next);
    e.changeId = guidFrom(next);
    e.activityDateTime = new Date(until - Math.round((i + 1) * step)).toISOString();
    if (kind === "group") {
      const g = Math.floor(next() * groupIds.length);
      e.sourceIdentity.id = groupIds[g] ?? "";
      e.sourceIdentity.displayName = `SG-CTS-Fabrikam-${g}`;
    } else if (u) {
      e.sourceIdentity.id = u.id;
      e.sourceIdentity.displayName = u.displayName;
      e.sourceIdentity.details = { ...e.sourceIdentity.details, id: u.id, DisplayName: u.displayName, UserPrincipalName: u.upn };
    }
    logs.push(JSON.stringify(e));
  }
  return logs.close();
}

const USAGE = "generate.js DIR [users] [logEntries] [--groups N] [--seed N] [--days N]";

/** The size asked for on the command line; anything unparsable is a one-line error (exit 2), never a folder name. */
function sizeFromArgs(): { dir: string; size: Partial<PairSize> } {
  const opts = { groups: { type: "string" }, seed: { type: "string" }, days: { type: "string" } } as const;
  const { values, positionals } = benchArgs("generate.js", USAGE, { options: opts, positionals: { min: 1, max: 3 } });
  const [dir, users, logs] = positionals;
  const num = (name: string, v: unknown, min = 1) => wholeNumber("generate.js", USAGE, name, v, min);
  const size: Partial<PairSize> = {};
  const set = (k: keyof PairSize, v: number | undefined) => v !== undefined && (size[k] = v);
  set("users", num("users", users));
  set("logEntries", num("logEntries", logs, 0));
  set("groups", num("--groups", values.groups));
  set("seed", num("--seed", values.seed, 0));
  set("days", num("--days", values.days));
  return { dir: dir ?? "", size }; // benchArgs asked for at least one positional
}

// `node dist/bench/generate.js DIR [users] [logEntries]`
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { dir, size } = sizeFromArgs();
  const counts = generatePair(dir, size);
  process.stdout.write(JSON.stringify(counts) + "\n");
}
