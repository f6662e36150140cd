// Graph's documented throttles (graph-api.md §8.3), enforced per tenant and app when the emulator is asked to be realistic.
import type { TenantSide } from "../snapshot/facets.js";
import { GraphFault } from "./reply.js";
import type { EmulatorState } from "./state.js";
import type { RelativeTarget } from "./target.js";
import { readClaims } from "./token.js";
import { setOnDemandLimit } from "./write-routes.js";

export interface RealisticLimitsOptions {
  /**
   * Multiplies every window (10 s) so tests stay fast; 1 = Graph's real timing. Retry-After is then sent in fractional
   * seconds (Graph sends whole seconds).
   */
  timeScale?: number;
  /** Resource units per window for every tenant, instead of the budget by tenant size. */
  directoryBudget?: number;
}

/** The 10-second windows of every documented limit used here. */
const WINDOW_MS = 10_000;
/** Identity and access reports (auditLogs, provisioning logs included): 5 requests per 10 s per app per tenant. */
const REPORTS_PER_WINDOW = 5;

/** Directory read budget per 10 s by tenant size: S (<50 users), M (50–500), L (>500). */
export function directoryBudget(users: number): number {
  return users < 50 ? 3_500 : users <= 500 ? 5_000 : 8_000;
}

/** First path segments served by the identity and access service (the resource-unit budget). */
const IDENTITY_ROOTS = new Set([
  "users",
  "groups",
  "serviceprincipals",
  "applications",
  "directoryobjects",
  "directory",
  "policies",
  "organization",
  "subscribedskus",
  "me",
  "domains",
  "devices",
  "contacts",
  "oauth2permissiongrants",
]);

export type EndpointClass = "reports" | "directory" | "other";

export function endpointClass(target: Pick<RelativeTarget, "segments">): EndpointClass {
  const segs = target.segments.map((s) => s.toLowerCase());
  if (segs[0] === "auditlogs") return "reports";
  // The synchronization API lives under servicePrincipals but is its own service (no documented RU cost).
  if (IDENTITY_ROOTS.has(segs[0] ?? "") && !segs.includes("synchronization")) return "directory";
  return "other";
}

/**
 * Base resource units of identity GETs as docs-contrib `concepts/throttling-limits.md` ("Identity and access service
 * limits") publishes them, keyed by path with `{id}` segments; any identity path not listed costs 1. The page's
 * `me/…` rows "also apply to equivalent requests starting with `users/{id | userPrincipalName}/`".
 */
const BASE_COST: Record<string, number> = {
  applications: 2,
  "applications/{id}/extensionProperties": 2,
  contracts: 3,
  "domains/{id}/domainNameReferences": 4,
  "groups/{id}/members": 3,
  "groups/{id}/transitiveMembers": 5,
  "me/licenseDetails": 2,
  "me/memberOf": 2,
  "me/ownedObjects": 2,
  "me/transitiveMemberOf": 2,
  oauth2PermissionGrants: 2,
  "oauth2PermissionGrants/{id}": 2,
  "servicePrincipals/{id}/appRoleAssignments": 2,
  subscribedSkus: 3,
  users: 2,
};
const BASE_COST_LOWER = new Map(Object.entries(BASE_COST).map(([k, v]) => [k.toLowerCase(), v]));

/** The table key of a request: ids as `{id}`, `users/{id}/` as `me/`, a trailing type cast dropped (same collection). */
function costKey(segments: readonly string[]): string {
  let segs = segments.map((s) => s.toLowerCase());
  if (segs.length > 1 && segs.at(-1)?.startsWith("microsoft.graph.")) segs.pop();
  if (segs[0] === "users" && segs.length > 2) segs = ["me", ...segs.slice(2)];
  // Collections and ids alternate: entitySet/{id}/navigation/{id}…, and me/navigation/{id}….
  const idAt = (i: number) => (segs[0] === "me" ? i > 0 && i % 2 === 0 : i % 2 === 1);
  return segs.map((s, i) => (idAt(i) ? "{id}" : s)).join("/");
}

/** Resource units of an identity read: the base cost, `$select` −1, `$expand` +1, `$top` below 20 −1; at least 1. */
export function resourceUnits(method: string, target: Pick<RelativeTarget, "segments" | "query">): number {
  if (method.toUpperCase() !== "GET") return 1;
  let cost = BASE_COST_LOWER.get(costKey(target.segments)) ?? 1;
  const q = target.query;
  if (q.has("$select")) cost -= 1;
  if (q.has("$expand")) cost += 1;
  const top = Number(q.get("$top"));
  if (q.has("$top") && Number.isFinite(top) && top < 20) cost -= 1;
  return Math.max(1, cost);
}

/** A token bucket refilled continuously at `capacity` per window. */
class Bucket {
  private tokens: number;
  private at: number;
  constructor(
    readonly capacity: number,
    private readonly windowMs: number,
  ) {
    this.tokens = capacity;
    this.at = Date.now();
  }

  private refill(now: number): void {
    this.tokens = Math.min(this.capacity, this.tokens + ((now - this.at) * this.capacity) / this.windowMs);
    this.at = now;
  }

  /** Take `cost`; returns 0, or the ms until the bucket holds enough (nothing taken then). */
  take(cost: number, now = Date.now()): number {
    this.refill(now);
    if (this.tokens >= cost) {
      this.tokens -= cost;
      return 0;
    }
    return Math.ceil(((cost - this.tokens) * this.windowMs) / this.capacity);
  }

  /** Share of the budget spent (0–1). */
  used(): number {
    return 1 - this.tokens / this.capacity;
  }
}

/** Sliding window: at most `limit` starts per window. */
class Window {
  private readonly starts: number[] = [];
  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
  ) {}

  take(now = Date.now()): number {
    while ((this.starts[0] ?? Infinity) <= now - this.windowMs) this.starts.shift();
    if (this.starts.length < this.limit) {
      this.starts.push(now);
      return 0;
    }
    return (this.starts[0] ?? now) + this.windowMs - now;
  }
}

/** The app a token belongs to (appid v1, azp v2); one app when the token says nothing. */
export function appOf(authorization: string | undefined): string {
  const token = /^Bearer\s+(.+)$/i.exec(authorization ?? "")?.[1];
  const claims = token ? readClaims(token) : null;
  const app = claims?.["appid"] ?? claims?.["azp"];
  return typeof app === "string" && app ? app : "00000000-0000-0000-0000-000000000000";
}

export class RealisticLimits {
  private readonly scale: number;
  private readonly buckets = new Map<string, Bucket>();
  private readonly windows = new Map<string, Window>();

  constructor(
    private readonly state: EmulatorState,
    private readonly options: RealisticLimitsOptions = {},
  ) {
    this.scale = options.timeScale ?? 1;
    if (!(this.scale > 0)) throw new Error("timeScale must be positive");
    // provisionOnDemand's own limit lives with its route (write-routes.ts); only its window is scaled here.
    setOnDemandLimit(state, 5, WINDOW_MS * this.scale);
  }

  private retryAfter(ms: number): string {
    const seconds = ms / 1000;
    return this.scale === 1 ? String(Math.max(1, Math.ceil(seconds))) : String(Math.max(0.001, Math.round(seconds * 1000) / 1000));
  }

  /**
   * Admit one request (a top-level request or one $batch item): returns headers for the response, or throws the 429
   * Graph would answer. The $batch envelope itself costs nothing; its items are counted one by one.
   */
  admit(tenantId: string, side: TenantSide, authorization: string | undefined, method: string, target: RelativeTarget): Record<string, string> {
    const kind = endpointClass(target);
    if (kind === "other") return {};
    const app = appOf(authorization);
    const key = `${tenantId.toLowerCase()}/${app}/${kind}`;
    if (kind === "reports") {
      let w = this.windows.get(key);
      if (!w) this.windows.set(key, (w = new Window(REPORTS_PER_WINDOW, WINDOW_MS * this.scale)));
      const wait = w.take();
      if (wait > 0) {
        throw new GraphFault(429, "TooManyRequests", "Too many requests.", { "Retry-After": this.retryAfter(wait) });
      }
      return {};
    }
    // Writes have their own documented limits (3,000 per 2.5 min); only reads spend the resource-unit budget here.
    if (method.toUpperCase() !== "GET") return {};
    let b = this.buckets.get(key);
    if (!b) {
      const users = this.state.has(`${side}.users`) ? (this.state.data[`${side}.users`]?.length ?? 0) : 0;
      this.buckets.set(key, (b = new Bucket(this.options.directoryBudget ?? directoryBudget(users), WINDOW_MS * this.scale)));
    }
    const cost = resourceUnits(method, target);
    const wait = b.take(cost);
    if (wait > 0) {
      throw new GraphFault(429, "TooManyRequests", "Too many requests.", {
        "Retry-After": this.retryAfter(wait),
        "x-ms-resource-unit": String(cost),
        "x-ms-throttle-scope": `Tenant_Application/ReadWrite/${app}/${tenantId}`,
        "x-ms-throttle-information": "ResourceUnitLimitExceeded",
      });
    }
    const used = b.used();
    return { "x-ms-resource-unit": String(cost), ...(used > 0.8 ? { "x-ms-throttle-limit-percentage": used.toFixed(1) } : {}) };
  }
}
