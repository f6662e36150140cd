// identitySynchronization writes as Microsoft publishes them: PUT creates (409 over an existing one), PATCH updates.
import type { IdentitySynchronization } from "../snapshot/graph-types.js";
import type { RequestContext } from "./context.js";
import { GraphFault, notFound, type Reply } from "./reply.js";
import { route, type Route } from "./route-table.js";
import { bodyObject, existingPartner, NO_CONTENT, writable } from "./write-routes.js";

const PATH = "policies/crossTenantAccessPolicy/partners/:tenantId/identitySynchronization";

const BETA_ONLY = ["groupSyncInbound"] as const;
type SyncFlag = { isSyncAllowed?: unknown };

/** The target's policy for `tenantId`, after the checks every identitySynchronization write shares. */
function syncPolicyTarget(ctx: RequestContext, tenantId: string): IdentitySynchronization | null {
  if (ctx.side !== "target") throw new GraphFault(400, "BadRequest", "The emulator models identitySynchronization in the target tenant only.");
  existingPartner(ctx, tenantId);
  writable(ctx, "target.identitySynchronization");
  return ctx.state.data["target.identitySynchronization"] ?? null;
}

/** The properties a request may set: groupSyncInbound and externalCloudAuthorizedApplicationId exist on beta only. */
function syncProperties(ctx: RequestContext, body: Record<string, unknown>, requireUser: boolean): Partial<IdentitySynchronization> {
  const out: Partial<IdentitySynchronization> = {};
  if (typeof body["displayName"] === "string") out.displayName = body["displayName"];
  for (const name of ["userSyncInbound", ...BETA_ONLY] as const) {
    if (!(name in body)) continue;
    if (name !== "userSyncInbound" && ctx.version !== "beta") {
      throw new GraphFault(400, "BadRequest", `Could not find a property named '${name}' on type 'microsoft.graph.crossTenantIdentitySyncPolicyPartner'.`);
    }
    const flag = body[name] as SyncFlag | undefined;
    if (!flag || typeof flag !== "object" || !(typeof flag.isSyncAllowed === "boolean" || flag.isSyncAllowed === null)) {
      throw new GraphFault(400, "BadRequest", `${name}.isSyncAllowed must be true, false or null.`);
    }
    out[name] = { isSyncAllowed: flag.isSyncAllowed };
  }
  if (requireUser && typeof (body["userSyncInbound"] as SyncFlag | undefined)?.isSyncAllowed !== "boolean") {
    throw new GraphFault(400, "BadRequest", "userSyncInbound.isSyncAllowed is required.");
  }
  if (ctx.version === "beta" && "externalCloudAuthorizedApplicationId" in body)
    out.externalCloudAuthorizedApplicationId = body["externalCloudAuthorizedApplicationId"] as string | null;
  return out;
}

/**
 * PUT creates the policy (docs-contrib v1.0 crosstenantaccesspolicyconfigurationpartner-put-identitysynchronization.md);
 * over an existing one the service answers 409 Request_MultipleObjectsWithSameKeyValue and the remedy is PATCH
 * (entra-docs docs/identity/multi-tenant-organizations/cross-tenant-synchronization-configure-graph.md, Troubleshooting).
 */
function putIdentitySync(ctx: RequestContext, tenantId: string): Reply {
  const current = syncPolicyTarget(ctx, tenantId);
  const props = syncProperties(ctx, bodyObject(ctx), true);
  if (current) {
    throw new GraphFault(
      409,
      "Request_MultipleObjectsWithSameKeyValue",
      "A conflicting object with one or more of the specified property values is present in the directory.",
    );
  }
  ctx.state.data["target.identitySynchronization"] = {
    tenantId: tenantId.toLowerCase(),
    displayName: null,
    externalCloudAuthorizedApplicationId: null,
    groupSyncInbound: { isSyncAllowed: false },
    ...props,
  };
  return NO_CONTENT;
}

/**
 * PATCH updates the properties it names (docs-contrib v1.0 crosstenantidentitysyncpolicypartner-update.md, 204); on a
 * missing policy the service answers Directory_ObjectNotFound and the remedy is PUT (configure-graph.md, Troubleshooting).
 * A v1.0 PATCH cannot name groupSyncInbound, so it leaves it as it is.
 */
function patchIdentitySync(ctx: RequestContext, tenantId: string): Reply {
  const current = syncPolicyTarget(ctx, tenantId);
  const props = syncProperties(ctx, bodyObject(ctx), false);
  if (!current) throw new GraphFault(404, "Directory_ObjectNotFound", "Unable to read the company information from the directory.");
  Object.assign(current, props);
  return NO_CONTENT;
}

/** DELETE removes the policy (docs-contrib v1.0 crosstenantidentitysyncpolicypartner-delete.md, 204): the undo of a PUT. */
function deleteIdentitySync(ctx: RequestContext, tenantId: string): Reply {
  if (ctx.side !== "target" || !ctx.state.data["target.identitySynchronization"]) throw notFound(tenantId);
  ctx.state.data["target.identitySynchronization"] = null;
  return NO_CONTENT;
}

export const SYNC_POLICY_WRITE_ROUTES: Route[] = [
  route("PUT", PATH, (ctx, p) => putIdentitySync(ctx, p.tenantId as string)),
  route("PATCH", PATH, (ctx, p) => patchIdentitySync(ctx, p.tenantId as string)),
  route("DELETE", PATH, (ctx, p) => deleteIdentitySync(ctx, p.tenantId as string)),
];
