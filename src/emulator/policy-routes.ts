// Tenant-wide routes: organization, licences, cross-tenant access policy (default, partners, identity sync), guest settings.
import type { GraphObject, IdentitySynchronization, PartnerConfiguration } from "../snapshot/graph-types.js";
import type { RequestContext } from "./context.js";
import { collection, entity, expandList } from "./odata.js";
import { GraphFault, badSegment, notFound, type Reply } from "./reply.js";
import { route, sameId, type Route } from "./route-table.js";

const XTAP = "policies/crossTenantAccessPolicy";

/** Properties Graph only has on beta; v1.0 answers never carry them. */
const BETA_ONLY_SYNC_PROPERTIES = ["groupSyncInbound", "externalCloudAuthorizedApplicationId", "deletedDateTime"];

function identitySyncFor(ctx: RequestContext, policy: IdentitySynchronization): GraphObject {
  const copy: GraphObject = { ...policy };
  if (ctx.version === "beta") return copy;
  for (const name of BETA_ONLY_SYNC_PROPERTIES) Reflect.deleteProperty(copy, name);
  return copy;
}

/** The partner record as Graph returns it: navigation properties only when $expand names them. */
function partnerView(ctx: RequestContext, partner: PartnerConfiguration): GraphObject {
  const record: GraphObject = { ...partner };
  delete record["identitySynchronization"];
  for (const name of expandList(ctx)) {
    if (name.toLowerCase() !== "identitysynchronization") {
      throw new GraphFault(
        400,
        "BadRequest",
        `Could not find a property named '${name}' on type 'microsoft.graph.crossTenantAccessPolicyConfigurationPartner'.`,
      );
    }
    const policy = ctx.state.oneSided(ctx.side, "target.identitySynchronization");
    record.identitySynchronization = policy ? identitySyncFor(ctx, policy) : null;
  }
  return record;
}

/** The partner record for `tenantId`, or 404 — a missing record is how Graph says "not configured". */
function partnerFor(ctx: RequestContext, tenantId: string): PartnerConfiguration {
  const partner = ctx.state.sideFacet(ctx.side, "partner");
  // A hand-written snapshot's partner may lack tenantId: it is then the other tenant of the pair.
  const partnerTenant: string | undefined = partner?.tenantId;
  if (!partner || !sameId(partnerTenant ?? ctx.otherTenantId, tenantId)) throw notFound(tenantId);
  return partner;
}

function authorizationPolicy(ctx: RequestContext): Reply {
  const policy = ctx.state.sideFacet(ctx.side, "authorizationPolicy");
  // beta models authorizationPolicy as an entity set; v1.0 as a singleton.
  if (ctx.version === "beta") return collection(ctx, [policy], { kind: "plain", context: "policies/authorizationPolicy" });
  return entity(ctx, "policies/authorizationPolicy", policy);
}

export const POLICY_ROUTES: Route[] = [
  route("GET", "organization", (ctx) => collection(ctx, ctx.state.sideFacet(ctx.side, "organization"), { kind: "plain", context: "organization" })),
  route("GET", "subscribedSkus", (ctx) => collection(ctx, ctx.state.sideFacet(ctx.side, "subscribedSkus"), { kind: "plain", context: "subscribedSkus" })),
  route("GET", XTAP, (ctx) => entity(ctx, XTAP, ctx.state.sideFacet(ctx.side, "crossTenantAccessPolicy"))),
  route("GET", `${XTAP}/default`, (ctx) => entity(ctx, `${XTAP}/default`, ctx.state.sideFacet(ctx.side, "crossTenantAccessDefault"))),
  route("GET", `${XTAP}/partners`, (ctx) => {
    const partner = ctx.state.sideFacet(ctx.side, "partner");
    const items = partner ? [partnerView(ctx, partner)] : [];
    return collection(ctx, items, { kind: "plain", context: `${XTAP}/partners` });
  }),
  route("GET", `${XTAP}/partners/:tenantId`, (ctx, p) => entity(ctx, `${XTAP}/partners`, partnerView(ctx, partnerFor(ctx, p.tenantId as string)))),
  route("GET", `${XTAP}/partners/:tenantId/identitySynchronization`, (ctx, p) => {
    const tenantId = p.tenantId as string;
    const policy = ctx.state.oneSided(ctx.side, "target.identitySynchronization");
    if (!policy || !sameId(policy.tenantId ?? ctx.otherTenantId, tenantId) || !sameId(ctx.otherTenantId, tenantId)) throw notFound(tenantId);
    return entity(ctx, `${XTAP}/partners('${tenantId}')/identitySynchronization`, identitySyncFor(ctx, policy));
  }),
  route("GET", "policies/authorizationPolicy", authorizationPolicy),
  route("GET", "policies/authorizationPolicy/:id", (ctx, p) => {
    const id = p.id as string;
    if (ctx.version !== "beta") throw badSegment(id);
    const policy = ctx.state.sideFacet(ctx.side, "authorizationPolicy");
    if (!sameId(policy.id ?? "authorizationPolicy", id)) throw notFound(id);
    return entity(ctx, "policies/authorizationPolicy", policy);
  }),
  route("GET", "policies/externalIdentitiesPolicy", (ctx) => {
    if (ctx.version !== "beta") throw badSegment("externalIdentitiesPolicy");
    return entity(ctx, "policies/externalIdentitiesPolicy", ctx.state.oneSided(ctx.side, "target.externalIdentitiesPolicy"));
  }),
];
