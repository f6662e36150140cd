// Source-tenant CTS configuration routes: service principals, assignments, sync jobs, schema, secrets, validateCredentials.
import type { RequestContext } from "./context.js";
import { collection, entity } from "./odata.js";
import { validateCredentials } from "./policy-check.js";
import { methodNotAllowed, notFound, type Reply } from "./reply.js";
import { lookup, route, sameId, type Route } from "./route-table.js";

const SP = "servicePrincipals/:spId";
const JOBS = `${SP}/synchronization/jobs`;

/** False only when the snapshot lists the CTS service principals and this id is not one of them. */
function knownSp(ctx: RequestContext, spId: string): boolean {
  if (!ctx.state.has("source.syncServicePrincipals")) return true;
  return (ctx.state.data["source.syncServicePrincipals"] ?? []).some((sp) => sameId(sp.id, spId));
}

/** A per-service-principal facet entry: [] for a listed SP without one, 404 for an unknown SP. */
function perSp<T>(ctx: RequestContext, map: Record<string, T[]>, spId: string): T[] {
  const found = lookup(map, spId);
  if (found) return found;
  if (ctx.state.has("source.syncServicePrincipals") && knownSp(ctx, spId)) return [];
  throw notFound(spId);
}

function jobsOf(ctx: RequestContext, spId: string) {
  return perSp(ctx, ctx.state.oneSided(ctx.side, "source.syncJobs"), spId);
}

function jobOf(ctx: RequestContext, spId: string, jobId: string) {
  const job = jobsOf(ctx, spId).find((j) => sameId(j.id, jobId));
  if (!job) throw notFound(jobId);
  return job;
}

function testConnection(ctx: RequestContext, spId: string, jobId?: string): Reply {
  ctx.state.oneSided(ctx.side, "source.syncServicePrincipals");
  if (!knownSp(ctx, spId)) throw notFound(spId);
  if (jobId !== undefined && ctx.state.has("source.syncJobs")) jobOf(ctx, spId, jobId);
  return validateCredentials(ctx.state);
}

export const SYNC_ROUTES: Route[] = [
  route("GET", "servicePrincipals", (ctx) =>
    collection(ctx, ctx.state.oneSided(ctx.side, "source.syncServicePrincipals"), { kind: "directory", context: "servicePrincipals" }),
  ),
  route("GET", SP, (ctx, p) => {
    const sp = ctx.state.oneSided(ctx.side, "source.syncServicePrincipals").find((s) => sameId(s.id, p.spId as string));
    if (!sp) throw notFound(p.spId as string);
    return entity(ctx, "servicePrincipals", sp);
  }),
  route("GET", `${SP}/appRoleAssignedTo`, (ctx, p) => {
    const items = perSp(ctx, ctx.state.oneSided(ctx.side, "source.syncAssignments"), p.spId as string);
    return collection(ctx, items, { kind: "directory", context: `servicePrincipals('${p.spId}')/appRoleAssignedTo` });
  }),
  route("GET", `${SP}/synchronization/secrets`, (ctx, p) => {
    // beta: the one published GET (entra-docs docs/identity/app-provisioning/skip-out-of-scope-deletions.md, "Step 3").
    // v1.0: not in the API description (msgraph-metadata clean_v10_metadata/cleanMetadata.xml annotates
    // synchronization/secrets with UpdateRestrictions only; the generated SDKs have only Put), though tenants answer it.
    // A version that does not offer the read answers 405 with Graph's error envelope (docs-contrib concepts/errors.md,
    // "405 Method Not Allowed: The HTTP method in the request is not allowed on the resource").
    const mode = ctx.state.secretsRead;
    if (mode === "none" || (mode === "beta-only" && ctx.version === "v1.0")) throw methodNotAllowed();
    const items = perSp(ctx, ctx.state.oneSided(ctx.side, "source.syncSecrets"), p.spId as string);
    return collection(ctx, items, { kind: "plain", context: `servicePrincipals('${p.spId}')/synchronization/secrets` });
  }),
  route("GET", JOBS, (ctx, p) =>
    collection(ctx, jobsOf(ctx, p.spId as string), { kind: "plain", context: `servicePrincipals('${p.spId}')/synchronization/jobs` }),
  ),
  route("GET", `${JOBS}/:jobId`, (ctx, p) =>
    entity(ctx, `servicePrincipals('${p.spId}')/synchronization/jobs`, jobOf(ctx, p.spId as string, p.jobId as string)),
  ),
  route("GET", `${JOBS}/:jobId/schema`, (ctx, p) => {
    const spId = p.spId as string;
    const jobId = p.jobId as string;
    const schemas = lookup(ctx.state.oneSided(ctx.side, "source.syncSchemas"), spId);
    const schema = schemas ? lookup(schemas, jobId) : undefined;
    if (!schema) throw notFound(schemas ? jobId : spId);
    return entity(ctx, `servicePrincipals('${spId}')/synchronization/jobs('${jobId}')/schema`, schema);
  }),
  route("POST", `${JOBS}/validateCredentials`, (ctx, p) => testConnection(ctx, p.spId as string)),
  route("POST", `${JOBS}/:jobId/validateCredentials`, (ctx, p) => testConnection(ctx, p.spId as string, p.jobId)),
];
