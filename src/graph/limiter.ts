// Concurrency limits and client-side pacing, so collection stays inside Graph's documented throttles.

/** Runs at most `max` tasks at once. */
export class ConcurrencyLimiter {
  private active = 0;
  private readonly queue: (() => void)[] = [];
  constructor(private readonly max: number) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.max) await new Promise<void>((resolve) => this.queue.push(resolve));
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
        while (this.starts.length && this.starts[0]! <= t - this.windowMs) this.starts.shift();
        if (this.starts.length < this.limit) {
          this.starts.push(t);
          return;
        }
        await sleep(this.starts[0]! + this.windowMs - t);
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

const IDENTITY_ROOTS = /^\/?(users|groups|servicePrincipals|applications|directoryObjects|directory|policies|organization|subscribedSkus|me|domains|devices|contacts|oauth2PermissionGrants)(\/|\?|$)/i;

/** Whether a request path (no version) is an identity-service read that spends resource units. */
export function isDirectoryPath(path: string): boolean {
  return IDENTITY_ROOTS.test(path) && !/\/synchronization(\/|\?|$)/i.test(path.split("?")[0]!);
}

/**
 * The documented RU cost of a GET: users 2, subscribedSkus 3, a service principal's app role assignments 2, group
 * members 3, any other identity GET 1; `$select` −1, `$expand` +1, `$top` below 20 −1; at least 1.
 */
export function resourceUnitCost(path: string): number {
  const [p = "", query = ""] = path.split("?");
  const segs = p.replace(/^\//, "").split("/").map((s) => s.toLowerCase());
  const q = new URLSearchParams(query);
  let cost = 1;
  if (segs[0] === "users" && segs.length <= 2) cost = 2;
  else if (segs[0] === "subscribedskus") cost = 3;
  else if (segs[0] === "serviceprincipals" && (segs[2] === "approleassignments" || segs[2] === "approleassignedto")) cost = 2;
  else if (segs[0] === "groups" && (segs[2] === "members" || segs[2] === "transitivemembers")) cost = 3;
  if (q.has("$select")) cost -= 1;
  if (q.has("$expand")) cost += 1;
  const top = Number(q.get("$top"));
  if (q.has("$top") && Number.isFinite(top) && top < 20) cost -= 1;
  return Math.max(1, cost);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}
