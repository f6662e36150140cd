// Collect both tenants into a snapshot folder: pre-flight tokens, run every collector, always write the manifest.
import type { TokenCredential } from "@azure/core-auth";
import { CLOUDS } from "../config/clouds.js";
import type { Config, TenantConfig } from "../config/schema.js";
import { CtsError } from "../errors.js";
import { createCredential, decodeJwtPayload } from "../graph/auth.js";
import { GraphApi, toGraphRequestError } from "../graph/client.js";
import { WrongTenantTokenError, type RequestLogEntry } from "../graph/middleware.js";
import { FACETS, type TenantSide } from "../snapshot/facets.js";
import { SNAPSHOT_SCHEMA_VERSION, type Manifest } from "../snapshot/manifest.js";
import { TOOL_NAME, TOOL_VERSION } from "../version.js";
import { SnapshotRecorder, type FacetProgress } from "./recorder.js";
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
  onRequest?: (side: TenantSide, entry: RequestLogEntry) => void;
  onRetry?: (side: TenantSide, info: { status: number | "network"; waitMs: number; attempt: number }) => void;
  /** Retry tuning (tests shorten the backoff). */
  retry?: { maxRetries?: number; baseDelayMs?: number; maxDelayMs?: number };
}

export interface CollectResult {
  manifest: Manifest;
  /** Tenants that could not be reached at all (authentication or network). */
  unreachable: { side: TenantSide; code: string; message: string }[];
  requests: Record<TenantSide, number>;
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
    throw new CtsError("TENANT_MISMATCH", `${side}: the access token is for tenant ${tid}, not the configured ${tenant.tenantId}; refusing to read the wrong tenant`);
  }
}

/** Every token the middleware obtains later (refreshes included) must be for the same tenant, or nothing is sent with it. */
export function tokenTenantGuard(side: TenantSide, tenant: TenantConfig): (token: string) => void {
  return (token) => {
    const tid = decodeJwtPayload(token)?.["tid"];
    if (typeof tid === "string" && tid.toLowerCase() !== tenant.tenantId.toLowerCase()) {
      throw new WrongTenantTokenError(`${side}: an access token obtained during the run is for tenant ${tid}, not the configured ${tenant.tenantId}; request not sent`);
    }
  };
}

export async function collect(config: Config, outDir: string, options: CollectOptions): Promise<CollectResult> {
  const until = options.until ?? new Date();
  const rec = new SnapshotRecorder(
    outDir,
    {
      schemaVersion: SNAPSHOT_SCHEMA_VERSION,
      tool: { name: TOOL_NAME, version: TOOL_VERSION },
      createdAt: until.toISOString(),
      source: { tenantId: config.source.tenantId.toLowerCase(), cloud: config.source.cloud },
      target: { tenantId: config.target.tenantId.toLowerCase(), cloud: config.target.cloud },
      window: { since: options.since.toISOString(), until: until.toISOString() },
    },
    options.onFacet,
  );

  const sides: TenantSide[] = ["source", "target"];
  const apis: Partial<Record<TenantSide, GraphApi>> = {};
  const unreachable: CollectResult["unreachable"] = [];
  const credentials = { ...options.credentials };
  for (const side of sides) {
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
  await rec.flush();

  for (const u of unreachable) {
    for (const spec of FACETS.filter((f) => f.side === u.side)) await rec.skip(spec.id, u.code, `${u.side} tenant not reachable: ${u.message}`);
  }
  const source = apis.source;
  const target = apis.target;
  await Promise.all([
    source && collectTenantCommon(rec, source, "source", config.target.tenantId),
    source && collectSource(rec, source, { targetTenantId: config.target.tenantId, since: options.since, connectionTest: options.connectionTest }),
    target && collectTenantCommon(rec, target, "target", config.source.tenantId),
    target && collectTargetOnly(rec, target, config.source.tenantId),
  ]);
  await rec.flush();

  // A tenant whose every facet failed for lack of a network or a token was not reached, whatever the pre-flight said.
  const manifest = rec.result();
  for (const side of sides) {
    if (unreachable.some((u) => u.side === side)) continue;
    const entries = FACETS.filter((f) => f.side === side).map((f) => manifest.facets[f.id]!);
    const transport = entries.filter((e) => e.status !== "ok" && ["NetworkError", "Timeout", "AuthenticationFailed", "InvalidAuthenticationToken"].includes(e.error?.code ?? ""));
    if (transport.length === entries.length) unreachable.push({ side, code: transport[0]!.error!.code, message: transport[0]!.error!.message });
  }
  return { manifest, unreachable, requests: { source: source?.requestCount ?? 0, target: target?.requestCount ?? 0 } };
}
