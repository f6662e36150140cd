// Public API of the Graph emulator: serve a snapshot folder as Microsoft Graph for both tenants of the pair.
import type { PageLimits } from "./context.js";
import type { FaultRule } from "./faults.js";
import { RealisticLimits, type RealisticLimitsOptions } from "./limits.js";
import { EmulatorServer, type JournalEntry } from "./server.js";
import { EmulatorState, loadSnapshot, type SecretsReadMode, type SnapshotData } from "./state.js";

export { fakeToken, readClaims } from "./token.js";
export { parseFault, type FaultRule } from "./faults.js";
export { loadSnapshot, EmulatorState, SECRETS_READ_MODES, type SecretsReadMode, type SnapshotData } from "./state.js";
export { parseFilter, FilterError, type ParsedFilter } from "./odata-filter.js";
export { matchesFilter } from "./filter-eval.js";
export { DEFAULT_PAGE, DEFAULT_USER_PROPERTIES } from "./odata.js";
export { SOURCE_POLICY_MESSAGE, TARGET_POLICY_MESSAGE } from "./policy-check.js";
export type { JournalEntry } from "./server.js";
export { directoryBudget, resourceUnits, type RealisticLimitsOptions } from "./limits.js";

export interface EmulatorOptions {
  /** Snapshot folder to serve (read with readManifest/readFacet). Either this or `snapshot`. */
  snapshotDir?: string;
  /** An already loaded snapshot (tests); it is copied, so the caller's objects are never changed. */
  snapshot?: SnapshotData;
  /** 0 or absent: a random free port. */
  port?: number;
  /** Default 127.0.0.1: the emulator has no real auth, so it is not exposed beyond the machine unless asked. */
  host?: string;
  faults?: FaultRule[];
  /**
   * Largest page the server returns whatever `$top` says (one number for all, or per kind), so small snapshots
   * still exercise paging. Without it: directory pages are `$top` or 100, provisioning pages `$top` (≤500) or 50.
   */
  pageSize?: number | Partial<PageLimits>;
  /** Check the token's `roles`/`scp` against the permission each route needs; 403 when missing. Off by default. */
  enforceRoles?: boolean;
  /**
   * Enforce Graph's documented throttles per tenant and app: reports 5 per 10 s, directory reads a resource-unit
   * budget by tenant size, provisionOnDemand 5 per 10 s; 429 with Retry-After beyond them. `true` or options.
   */
  realisticLimits?: boolean | RealisticLimitsOptions;
  /** Fixed delay before answering each HTTP request ($batch: once for the batch), in ms. */
  latencyMs?: number;
  /**
   * `GET …/synchronization/secrets`: "both" versions answer (default), "beta-only" answers 405 on v1.0 (as the v1.0
   * API description has it), "none" answers 405 on both.
   */
  secretsRead?: SecretsReadMode;
}

export interface Emulator {
  /** `http://127.0.0.1:PORT`; use `${url}/${tenantId}` as a Graph endpoint to route by path instead of by token. */
  url: string;
  /** Every request answered, in order. */
  journal: JournalEntry[];
  /** The live tenant pair (a later remediation feature PATCHes it). */
  state: EmulatorState;
  close(): Promise<void>;
  addFaults(faults: FaultRule[]): void;
  clearFaults(): void;
}

export async function startEmulator(opts: EmulatorOptions): Promise<Emulator> {
  let snapshot = opts.snapshot;
  if (!snapshot) {
    if (!opts.snapshotDir) throw new Error("startEmulator needs snapshotDir or snapshot");
    snapshot = await loadSnapshot(opts.snapshotDir);
  }
  const size = opts.pageSize;
  const limits: PageLimits =
    typeof size === "number"
      ? { directory: size, provisioning: size }
      : { directory: size?.directory ?? Infinity, provisioning: size?.provisioning ?? Infinity };
  if (!(limits.directory >= 1 && limits.provisioning >= 1)) throw new Error("pageSize must be at least 1");
  const state = new EmulatorState(snapshot);
  state.secretsRead = opts.secretsRead ?? "both";
  const realistic = opts.realisticLimits ? new RealisticLimits(state, opts.realisticLimits === true ? {} : opts.realisticLimits) : undefined;
  const server = new EmulatorServer(state, limits, opts.enforceRoles ?? false, {
    ...(realistic ? { realistic } : {}),
    ...(opts.latencyMs ? { latencyMs: opts.latencyMs } : {}),
  });
  if (opts.faults) server.faults.add(opts.faults);
  const url = await server.listen(opts.port ?? 0, opts.host ?? "127.0.0.1");
  return {
    url,
    journal: server.journal,
    state,
    close: () => server.close(),
    addFaults: (faults) => {
      server.faults.add(faults);
    },
    clearFaults: () => {
      server.faults.clear();
    },
  };
}
