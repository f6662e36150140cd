// Concurrency limits and client-side pacing, so collection stays inside Graph's documented throttles.

/** Runs at most `max` tasks at once. */
export class ConcurrencyLimiter {
  private active = 0;
  private readonly queue: (() => void)[] = [];
  constructor(private readonly max: number) {}

  /** `first`: queued ahead of the others (a report page must not wait behind hundreds of queued directory reads). */
  async run<T>(task: () => Promise<T>, first = false): Promise<T> {
    if (this.active >= this.max) await new Promise<void>((resolve) => (first ? this.queue.unshift(resolve) : this.queue.push(resolve)));
    this.active++;
    try {
      return await task();
    } finally {
      this.active--;
      this.queue.shift()?.();
    }
  }
}

/** Sliding-window pacer: at most `limit` starts per `windowMs` (e.g. reports: 5 per 10 s per app per tenant). */
export class RatePacer {
  private readonly starts: number[] = [];
  private chain: Promise<void> = Promise.resolve();
  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Resolves when the next request may start. Calls are served in order. */
  acquire(): Promise<void> {
    const next = this.chain.then(async () => {
      for (;;) {
        const t = this.now();
        while ((this.starts[0] ?? Infinity) <= t - this.windowMs) this.starts.shift();
        if (this.starts.length < this.limit) {
          this.starts.push(t);
          return;
        }
        await sleep((this.starts[0] ?? t) + this.windowMs - t);
      }
    });
    this.chain = next.catch(() => undefined);
    return next;
  }
}

/**
 * Token-bucket pacer for directory reads: Graph charges each identity request resource units (RU) against a budget
 * per app and tenant (3,500–8,000 RU per 10 s by tenant size). Waiting here keeps collection under the budget
 * instead of provoking 429s; `pause` stops every start until a server's Retry-After has passed.
 */
export class ResourcePacer {
  private tokens: number;
  private at: number;
  private pausedUntil = 0;
  private chain: Promise<void> = Promise.resolve();
  constructor(
    readonly budget: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {
    this.tokens = budget;
    this.at = now();
  }

  /** Resolves when `cost` units may be spent (a cost above the budget waits for a full bucket). Served in order. */
  acquire(cost: number): Promise<void> {
    const need = Math.min(Math.max(1, cost), this.budget);
    const next = this.chain.then(async () => {
      for (;;) {
        const t = this.now();
        this.tokens = Math.min(this.budget, this.tokens + ((t - this.at) * this.budget) / this.windowMs);
        this.at = t;
        if (t < this.pausedUntil) await sleep(this.pausedUntil - t);
        else if (this.tokens >= need) {
          this.tokens -= need;
          return;
        } else await sleep(Math.ceil(((need - this.tokens) * this.windowMs) / this.budget));
      }
    });
    this.chain = next.catch(() => undefined);
    return next;
  }

  /** A 429 arrived: no start before `ms` from now, and the bucket counts as spent. */
  pause(ms: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, this.now() + ms);
    this.tokens = 0;
  }
}

/** Default directory budget: the documented M size (50–500 users), conservative for larger tenants. */
export const DIRECTORY_RU_PER_10S = 5_000;

const IDENTITY_ROOTS =
  /^\/?(users|groups|servicePrincipals|applications|directoryObjects|directory|policies|organization|subscribedSkus|me|domains|devices|contacts|oauth2PermissionGrants)(\/|\?|$)/i;

/** Whether a request path (no version) is an identity-service read that spends resource units. */
export function isDirectoryPath(path: string): boolean {
  return IDENTITY_ROOTS.test(path) && !/\/synchronization(\/|\?|$)/i.test(path.split("?", 1)[0] ?? "");
}

/**
 * GET base costs of docs-contrib `concepts/throttling-limits.md`, "Identity and access service limits", exactly as
 * published (`*` is an `{id}`); "any identity path not listed in the table" costs 1. The page's `me/…` costs "also
 * apply to equivalent requests starting with `users/{id | userPrincipalName}/`".
 */
const GET_BASE_COSTS: readonly [string, number][] = [
  ["applications", 2],
  ["applications/*/extensionproperties", 2],
  ["contracts", 3],
  ["domains/*/domainnamereferences", 4],
  ["groups/*/members", 3],
  ["groups/*/transitivemembers", 5],
  ["me/licensedetails", 2],
  ["me/memberof", 2],
  ["me/ownedobjects", 2],
  ["me/transitivememberof", 2],
  ["users/*/licensedetails", 2],
  ["users/*/memberof", 2],
  ["users/*/ownedobjects", 2],
  ["users/*/transitivememberof", 2],
  ["oauth2permissiongrants", 2],
  ["oauth2permissiongrants/*", 2],
  ["serviceprincipals/*/approleassignments", 2],
  ["subscribedskus", 3],
  ["users", 2],
];

/** Path segments without a trailing OData type cast (`/microsoft.graph.group` narrows the same collection). */
function costSegments(path: string): string[] {
  const segs = path
    .replace(/^\//, "")
    .split("/")
    .map((s) => s.toLowerCase());
  if (segs.length > 1 && /^microsoft\.graph\./.test(segs.at(-1) ?? "")) segs.pop();
  return segs;
}

const matches = (pattern: string, segs: string[]) => {
  const want = pattern.split("/");
  return want.length === segs.length && want.every((w, i) => w === "*" || w === segs[i]);
};

/**
 * The published RU cost of an identity GET (table above); `$select` −1, `$expand` +1, `$top` below 20 −1; never
 * below 1 (same page, "Other factors that affect a request cost").
 */
export function resourceUnitCost(path: string): number {
  const [p = "", query = ""] = path.split("?");
  const segs = costSegments(p);
  const q = new URLSearchParams(query);
  let cost = GET_BASE_COSTS.find(([pattern]) => matches(pattern, segs))?.[1] ?? 1;
  if (q.has("$select")) cost -= 1;
  if (q.has("$expand")) cost += 1;
  const top = Number(q.get("$top"));
  if (q.has("$top") && Number.isFinite(top) && top < 20) cost -= 1;
  return Math.max(1, cost);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}
