// Typed errors with stable codes; the CLI maps each code to a one-line message and a documented exit code.

/** Exit codes documented in the README. */
export const ExitCode = {
  ok: 0,
  failed: 1,
  usage: 2,
  collect: 3,
  /** Nothing failed, but a rule at or above --fail-on (or, for collect, a facet) lacked its data. */
  inconclusive: 4,
  /** Another run holds the snapshot folder or the plan's journal. */
  locked: 5,
} as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

export type ErrorCode =
  | "USAGE"
  | "CONFIG_INVALID"
  | "CONFIG_NOT_FOUND"
  | "SECRET_MISSING"
  | "SNAPSHOT_INVALID"
  | "SNAPSHOT_VERSION"
  | "AUTH_FAILED"
  | "TENANT_MISMATCH"
  | "NETWORK"
  | "TENANT_NOT_FOUND"
  | "GRAPH"
  | "LOCKED";

const exitByCode: Record<ErrorCode, ExitCodeValue> = {
  USAGE: ExitCode.usage,
  CONFIG_INVALID: ExitCode.usage,
  CONFIG_NOT_FOUND: ExitCode.usage,
  SECRET_MISSING: ExitCode.usage,
  SNAPSHOT_INVALID: ExitCode.usage,
  SNAPSHOT_VERSION: ExitCode.usage,
  AUTH_FAILED: ExitCode.collect,
  TENANT_MISMATCH: ExitCode.collect,
  NETWORK: ExitCode.collect,
  TENANT_NOT_FOUND: ExitCode.collect,
  GRAPH: ExitCode.collect,
  LOCKED: ExitCode.locked,
};

/** An error the CLI renders as one line (plus a stack only with --debug). */
export class CtsError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "CtsError";
    this.code = code;
  }
  get exitCode(): ExitCodeValue {
    return exitByCode[this.code];
  }
}

/** A failed Graph request: HTTP status, Graph error code and request-id, never headers or tokens. */
export class GraphRequestError extends Error {
  readonly status: number;
  readonly graphCode: string;
  readonly requestId: string | undefined;
  readonly retryAfterSeconds: number | undefined;
  constructor(init: { status: number; graphCode: string; message: string; requestId?: string; retryAfterSeconds?: number }) {
    super(init.message);
    this.name = "GraphRequestError";
    this.status = init.status;
    this.graphCode = init.graphCode;
    this.requestId = init.requestId;
    this.retryAfterSeconds = init.retryAfterSeconds;
  }
}
