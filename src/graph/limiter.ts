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

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}
