// Picks the route for a request: first pattern match with the right method; a match with another method is 405.
import type { RequestContext } from "./context.js";
import { DIRECTORY_ROUTES } from "./directory-routes.js";
import { POLICY_ROUTES } from "./policy-routes.js";
import { badSegment, methodNotAllowed, type Reply } from "./reply.js";
import { matchPattern, type Params, type Route } from "./route-table.js";
import { SYNC_POLICY_WRITE_ROUTES } from "./sync-policy-writes.js";
import { SYNC_ROUTES } from "./sync-routes.js";
import { TRACE_ROUTES } from "./trace-routes.js";
import { WRITE_ROUTES } from "./write-routes.js";

const ROUTES: readonly Route[] = [...POLICY_ROUTES, ...SYNC_ROUTES, ...DIRECTORY_ROUTES, ...WRITE_ROUTES, ...SYNC_POLICY_WRITE_ROUTES, ...TRACE_ROUTES];

/** Run the route for `ctx`; throws GraphFault for anything Graph would refuse. */
export function dispatch(ctx: RequestContext): Reply {
  // The most literal pattern wins (jobs/validateCredentials over jobs/:jobId), so a GET on an action is 405, not 404.
  let best: { route: Route; params: Params; literals: number }[] = [];
  for (const r of ROUTES) {
    const params = matchPattern(r.pattern, ctx.segments);
    if (!params) continue;
    const literals = r.pattern.filter((p) => !p.startsWith(":")).length;
    if (best.length === 0 || literals > (best[0] as { literals: number }).literals) best = [{ route: r, params, literals }];
    else if (literals === (best[0] as { literals: number }).literals) best.push({ route: r, params, literals });
  }
  const hit = best.find((b) => b.route.method === ctx.method);
  if (hit) return hit.route.handler(ctx, hit.params);
  if (best.length > 0) throw methodNotAllowed();
  throw badSegment(ctx.segments[ctx.segments.length - 1] ?? "");
}
