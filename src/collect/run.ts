// Collect both tenants into a snapshot folder: pre-flight tokens, run every collector, always write the manifest.
import { mkdir, stat, unlink } from "node:fs/promises";
import path from "node:path";
import type { TokenCredential } from "@azure/core-auth";
import { CLOUDS } from "../config/clouds.js";
import type { Config, TenantConfig } from "../config/schema.js";
import { CtsError } from "../errors.js";
import { createCredential, decodeJwtPayload } from "../graph/auth.js";
import { GraphApi, toGraphRequestError } from "../graph/client.js";
import { WrongTenantTokenError, type RequestLogEntry } from "../graph/middleware.js";
import { FACETS, type FacetId, type TenantSide } from "../snapshot/facets.js";
import { SNAPSHOT_SCHEMA_VERSION, type Manifest } from "../snapshot/manifest.js";
import { TOOL_NAME, TOOL_VERSION } from "../version.js";
import type { User } from "../snapshot/graph-types.js";
import { withLock } from "../snapshot/lock.js";
import { partialFile, readFacet, readManifest, readNdjson } from "../snapshot/store.js";
import { SnapshotRecorder, type FacetProgress, type PageProgress } from "./recorder.js";
import { readCollectState, removeCollectState } from "./resume-state.js";
import { collectSource } from "./source.js";
import { collectTargetOnly, collectTenantCommon } from "./tenant.js";

export interface CollectOptions {
  since: Date;
  until?: Date;
  connectionTest: boolean;
  concurrency?: number;
  timeoutSeconds?: number;
  /** Tests and the demo inject credentials; everything else builds them from the config. */
  credentials?: Partial<Record<TenantSide, TokenCredential>>;
  onFacet?: FacetProgress;
  /** After each page of a paged facet (progress bars). */
  onPage?: PageProgress;
  /**
   * Continue the interrupted collection in `outDir`: its ok facets are kept, paged facets continue from their last
   * complete page, everything else is collected anew. The window (since/until) is the earlier run's.
   */
  resume?: boolean;
  /** Aborting stops between requests; the result says `interrupted` and the folder can be resumed. */
  signal?: AbortSignal;
  onRequest?: (side: TenantSide, entry: RequestLogEntry) => void;
  onRetry?: (side: TenantSide, info: { status: number | "network"; waitMs: number; attempt: number }) => void;
  /** Retry tuning (tests shorten the backoff). */
  retry?: { maxRetries?: number; baseDelayMs?: number; maxDelayMs?: number };
  /** One-line notices (a stale lock taken over). */
  onNotice?: (line: string) => void;
}

/** The lock file that keeps two collectors out of one snapshot folder. */
export const SNAPSHOT_LOCK_FILE = ".cts-doctor.lock";

export interface CollectResult {
  manifest: Manifest;
  /** Tenants that could not be reached at all (authentication or network). */
  unreachable: { side: TenantSide; code: string; message: string }[];
  requests: Record<TenantSide, number>;
  /** Stopped through `signal`: some facets are recorded as failed with code Interrupted. */
  interrupted: boolean;
  /** Facets left partway (a `--resume` continues them); the sidecar stays while there are any. */
  resumable: FacetId[];
  /** With `resume`: facets kept from the earlier run. */
  kept: FacetId[];
}

/** The earlier run a resume continues: its manifest must be for the configured pair. */
async function earlierRun(config: Config, outDir: string): Promise<Manifest> {
  let manifest: Manifest;
  try {
    manifest = await readManifest(outDir);
  } catch (err) {
    throw new CtsError("USAGE", `--resume: ${outDir} holds no collection to continue (${(err as Error).message})`);
  }
  const same = (side: TenantSide) => manifest[side].tenantId.toLowerCase() === config[side].tenantId.toLowerCase();
  if (!same("source") || !same("target")) {
    throw new CtsError(
      "USAGE",
      `--resume: ${outDir} was collected for source ${manifest.source.tenantId} and target ${manifest.target.tenantId}, not the configured ${config.source.tenantId} and ${config.target.tenantId}`,
    );
  }
  // A facet file removed since is collected anew, whatever the manifest says.
  for (const [id, entry] of Object.entries(manifest.facets)) {
    if (entry.status === "ok" && entry.file && !(await stat(path.join(outDir, entry.file)).catch(() => undefined))) Reflect.deleteProperty(manifest.facets, id);
  }
  return manifest;
}

/** Get a first token and check it belongs to the configured tenant, before any request is made with it. */
export async function preflight(side: TenantSide, tenant: TenantConfig, credential: TokenCredential): Promise<void> {
  let token;
  try {
    token = await credential.getToken([CLOUDS[tenant.cloud].scope]);
  } catch (err) {
    throw toGraphRequestError(err);
  }
  if (!token) throw toGraphRequestError(Object.assign(new Error("the credential returned no token"), { name: "AuthenticationError" }));
  const tid = decodeJwtPayload(token.token)?.["tid"];
  if (typeof tid === "string" && tid.toLowerCase() !== tenant.tenantId.toLowerCase()) {
    throw new CtsError(
      "TENANT_MISMATCH",
      `${side}: the access token is for tenant ${tid}, not the configured ${tenant.tenantId}; refusing to read the wrong tenant`,
    );
  }
}

/** Every token the middleware obtains later (refreshes included) must be for the same tenant, or nothing is sent with it. */
export function tokenTenantGuard(side: TenantSide, tenant: TenantConfig): (token: string) => void {
  return (token) => {
    const tid = decodeJwtPayload(token)?.["tid"];
    if (typeof tid === "string" && tid.toLowerCase() !== tenant.tenantId.toLowerCase()) {
      throw new WrongTenantTokenError(
        `${side}: an access token obtained during the run is for tenant ${tid}, not the configured ${tenant.tenantId}; request not sent`,
      );
    }
  };
}

/** The target's users with only what correlation matches on, streamed: 90,000 full objects would be held for nothing. */
async function matchKeysOf(file: string): Promise<User[]> {
  const out: User[] = [];
  for await (const item of readNdjson(file)) {
    const u = item as User;
    out.push({ id: u.id, mail: u.mail ?? null, otherMails: u.otherMails ?? [], userPrincipalName: u.userPrincipalName ?? null });
  }
  return out;
}

/**
 * Collect into `outDir`, holding its lock: a second collector (a `--resume` while the first still runs, two `check
 * --out` on one folder) is refused with LOCKED instead of interleaving its writes with the first's.
 */
export async function collect(config: Config, outDir: string, options: CollectOptions): Promise<CollectResult> {
  await mkdir(outDir, { recursive: true, mode: 0o700 });
  const notice = options.onNotice ?? (() => undefined);
  return withLock(path.join(outDir, SNAPSHOT_LOCK_FILE), `snapshot folder ${outDir}`, "a collection", notice, () => collectLocked(config, outDir, options));
}

async function collectLocked(config: Config, outDir: string, options: CollectOptions): Promise<CollectResult> {
  const earlier = options.resume ? await earlierRun(config, outDir) : undefined;
  // A resumed run asks for the same window, so its queries (and nextLinks) are the earlier run's.
  const until = earlier ? new Date(earlier.window.until) : (options.until ?? new Date());
  const since = earlier ? new Date(earlier.window.since) : options.since;
  if (!earlier) await removeCollectState(outDir);
  const rec = await openRecorder(config, outDir, options, { since, until }, earlier);
  const { apis, unreachable } = await connect(config, options);
  await rec.flush();
  for (const u of unreachable) {
    for (const spec of FACETS.filter((f) => f.side === u.side)) await rec.skip(spec.id, u.code, `${u.side} tenant not reachable: ${u.message}`);
  }
  await collectFacets(rec, apis, config, outDir, { since, connectionTest: options.connectionTest });
  await rec.settle();
  // The sidecar and partial files matter only while a paged facet is left partway (older runs' leftovers go too).
  const resumable = rec.resumable();
  if (resumable.length === 0) await removeCollectState(outDir);
  for (const spec of FACETS.filter((f) => f.format === "ndjson" && !resumable.includes(f.id))) {
    await unlink(partialFile(path.join(outDir, spec.file))).catch(() => undefined);
  }
  const manifest = rec.result();
  return {
    manifest,
    unreachable: [...unreachable, ...notReached(manifest, unreachable)],
    requests: { source: apis.source?.requestCount ?? 0, target: apis.target?.requestCount ?? 0 },
    // Stopped for real: a signal that came when everything was already collected leaves a complete snapshot.
    interrupted: rec.interrupted && Object.values(manifest.facets).some((e) => e.error?.code === "Interrupted"),
    resumable,
    kept: FACETS.map((f) => f.id).filter((id) => rec.isKept(id)),
  };
}

/** The recorder for this run: a new manifest for the pair and window, or the earlier run's facets and checkpoints kept. */
async function openRecorder(
  config: Config,
  outDir: string,
  options: CollectOptions,
  window: { since: Date; until: Date },
  earlier: Manifest | undefined,
): Promise<SnapshotRecorder> {
  return new SnapshotRecorder(
    outDir,
    {
      schemaVersion: SNAPSHOT_SCHEMA_VERSION,
      tool: { name: TOOL_NAME, version: TOOL_VERSION },
      createdAt: earlier?.createdAt ?? window.until.toISOString(),
      source: { tenantId: config.source.tenantId.toLowerCase(), cloud: config.source.cloud },
      target: { tenantId: config.target.tenantId.toLowerCase(), cloud: config.target.cloud },
      window: { since: window.since.toISOString(), until: window.until.toISOString() },
      ...(config.configuration ? { configuration: config.configuration } : {}),
      ...(config.collection?.staleJobAfterHours ? { staleJobAfterHours: config.collection.staleJobAfterHours } : {}),
    },
    {
      ...(options.onFacet ? { onFacet: options.onFacet } : {}),
      ...(options.onPage ? { onPage: options.onPage } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
      ...(earlier ? { resume: { facets: earlier.facets, state: await readCollectState(outDir) } } : {}),
    },
  );
}

type Apis = Partial<Record<TenantSide, GraphApi>>;

/** A Graph client for each tenant whose pre-flight token is good; the others, with why, as unreachable. */
async function connect(config: Config, options: CollectOptions): Promise<{ apis: Apis; unreachable: CollectResult["unreachable"] }> {
  const apis: Apis = {};
  const unreachable: CollectResult["unreachable"] = [];
  const credentials = { ...options.credentials };
  for (const side of SIDES) {
    const tenant = config[side];
    const credential = (credentials[side] ??= createCredential(tenant, side));
    try {
      await preflight(side, tenant, credential);
    } catch (err) {
      if (err instanceof CtsError) throw err;
      const e = toGraphRequestError(err);
      unreachable.push({ side, code: e.graphCode, message: e.message });
      continue;
    }
    apis[side] = new GraphApi({
      baseUrl: tenant.graphEndpoint ?? CLOUDS[tenant.cloud].graphEndpoint,
      credential,
      scope: CLOUDS[tenant.cloud].scope,
      concurrency: options.concurrency ?? 4,
      retry: { ...options.retry, ...(options.timeoutSeconds ? { timeoutMs: options.timeoutSeconds * 1000 } : {}) },
      onRequest: (entry) => options.onRequest?.(side, entry),
      onRetry: (info) => options.onRetry?.(side, info),
      onToken: tokenTenantGuard(side, tenant),
    });
  }
  return { apis, unreachable };
}

const SIDES: TenantSide[] = ["source", "target"];

/** Every facet of the reachable tenants, the two sides at once; the source waits for the target only where it needs it. */
async function collectFacets(rec: SnapshotRecorder, apis: Apis, config: Config, outDir: string, run: { since: Date; connectionTest: boolean }): Promise<void> {
  const { source, target } = apis;
  const targetCommon = target && collectTenantCommon(rec, target, "target", config.source.tenantId);
  // The target users' $select adds the mapped target attributes, known once the source schema is read ([] without a source).
  let setTargetSelect: (properties: string[]) => void = () => undefined;
  const targetSelect = new Promise<string[]>((resolve) => (setTargetSelect = resolve));
  if (!source) setTargetSelect([]);
  const targetOnly = target && collectTargetOnly(rec, target, config.source.tenantId, targetSelect);
  // Phone methods are read only for users not already in the target (unless every one is asked for), so they wait for it.
  const targetUsers = async () => {
    await targetOnly;
    const file = rec.entry("target.users").file;
    return rec.isOk("target.users") && file ? matchKeysOf(path.join(outDir, file)) : undefined;
  };
  // Evidence for the configuration when its CompanyId cannot be read: the target's name and domains.
  const targetOrganization = async () => {
    await targetCommon;
    return rec.isOk("target.organization") ? readFacet(outDir, "target.organization") : undefined;
  };
  await Promise.all([
    source && collectTenantCommon(rec, source, "source", config.target.tenantId),
    source &&
      collectSource(rec, source, {
        onTargetSelect: setTargetSelect,
        targetTenantId: config.target.tenantId,
        since: run.since,
        connectionTest: run.connectionTest,
        configuration: config.configuration,
        targetOrganization,
        allPhoneMethods: config.collection?.allPhoneMethods === true,
        ...(target ? { targetUsers } : {}),
      }).finally(() => {
        setTargetSelect([]);
      }),
    targetCommon,
    targetOnly,
  ]);
}

const TRANSPORT_CODES = ["NetworkError", "Timeout", "AuthenticationFailed", "InvalidAuthenticationToken"];

/** A tenant whose every facet failed for lack of a network or a token was not reached, whatever the pre-flight said. */
function notReached(manifest: Manifest, unreachable: CollectResult["unreachable"]): CollectResult["unreachable"] {
  const out: CollectResult["unreachable"] = [];
  for (const side of SIDES) {
    if (unreachable.some((u) => u.side === side)) continue;
    const entries = FACETS.filter((f) => f.side === side).map((f) => manifest.facets[f.id]);
    const transport = entries.filter((e) => e && e.status !== "ok" && TRANSPORT_CODES.includes(e.error?.code ?? ""));
    const first = transport[0]?.error;
    if (first && transport.length === entries.length) out.push({ side, code: first.code, message: first.message });
  }
  return out;
}
