// Runs pair tasks with a bound on how many run at once, preferring pairs whose tenants are not already busy.

export interface PairTask<T> {
  /** Tenants the task talks to (keys of their shared limits). */
  tenants: readonly string[];
  run: () => Promise<T>;
}

/**
 * Start at most `parallel` tasks at once, in list order except that a task whose tenants are all idle goes before one
 * that would queue behind a busy (perhaps throttled) tenant, so one slow tenant does not hold every slot. Results come
 * back in list order; a task that throws rejects nothing else (callers catch inside `run`).
 */
export async function runScheduled<T>(tasks: readonly PairTask<T>[], parallel: number): Promise<T[]> {
  const results = new Array<T>(tasks.length);
  const pending = tasks.map((task, i) => ({ task, i }));
  const busy = new Map<string, number>();
  const idle = (p: { task: PairTask<T> }) => p.task.tenants.every((t) => !busy.get(t));
  return new Promise<T[]>((resolve, reject) => {
    let running = 0;
    const startNext = () => {
      if (pending.length === 0 && running === 0) {
        resolve(results);
        return;
      }
      while (running < Math.max(1, parallel) && pending.length > 0) {
        const at = Math.max(0, pending.findIndex(idle));
        const [next] = pending.splice(at, 1);
        if (!next) break;
        const { task, i } = next;
        running++;
        for (const t of task.tenants) busy.set(t, (busy.get(t) ?? 0) + 1);
        task
          .run()
          .then((value) => {
            results[i] = value;
          })
          .then(() => {
            running--;
            for (const t of task.tenants) busy.set(t, (busy.get(t) ?? 1) - 1);
            startNext();
          }, reject);
      }
    };
    startNext();
  });
}
