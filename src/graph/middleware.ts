// Our middleware for the Graph client: bearer token for the configured origin only, retries, timeouts, a request log.
import { randomUUID } from "node:crypto";
import type { Context, Middleware } from "@microsoft/microsoft-graph-client";
import type { TokenCredential } from "@azure/core-auth";
import { sleep } from "./limiter.js";
import { registerSecret } from "./scrub.js";

abstract class Link implements Middleware {
  protected next!: Middleware;
  abstract execute(context: Context): Promise<void>;
  setNext(next: Middleware): void {
    this.next = next;
  }
}

/** The response the next middleware set (the HTTP handler always does; a missing one fails like a network error). */
function responseOf(context: Context): Response {
  if (!context.response) throw new TypeError("the request produced no response");
  return context.response;
}

export function requestUrl(context: Context): string {
  // RequestInfo is a DOM type this project's lib does not include: a string or a Request (which has a url).
  const request: unknown = context.request;
  return typeof request === "string" ? request : (request as { url: string }).url;
}

function headersOf(context: Context): Record<string, string> {
  context.options ??= {};
  context.options.headers ??= {};
  return context.options.headers as Record<string, string>;
}

/**
 * Replaces the SDK's AuthenticationHandler, which sends no token to http:// hosts (the emulator) and deletes it for
 * unknown hosts: attach the token exactly when the request goes to the configured origin, and never elsewhere.
 */
export class BearerForOrigin extends Link {
  constructor(
    private readonly credential: TokenCredential,
    private readonly scopes: string[],
    private readonly origin: string,
    private readonly onToken?: (token: string) => void,
  ) {
    super();
  }

  async execute(context: Context): Promise<void> {
    const headers = headersOf(context);
    if (new URL(requestUrl(context)).origin !== this.origin) {
      delete headers["Authorization"];
      return this.next.execute(context);
    }
    const used = await this.attach(headers);
    headers["client-request-id"] ??= randomUUID();
    await this.next.execute(context);
    // A 401 usually means the token expired or was revoked mid-run: ask the credential once more. A credential that
    // hands back the same token (a static one) cannot help, so the 401 stands and the facet records it.
    if (context.response?.status !== 401) return;
    const fresh = await this.credential.getToken(this.scopes);
    if (!fresh || fresh.token === used) return;
    await context.response.body?.cancel().catch(() => undefined);
    registerSecret(fresh.token);
    this.onToken?.(fresh.token);
    headers["Authorization"] = `Bearer ${fresh.token}`;
    return this.next.execute(context);
  }

  private async attach(headers: Record<string, string>): Promise<string> {
    const token = await this.credential.getToken(this.scopes);
    if (!token) throw new Error("the credential returned no access token");
    registerSecret(token.token);
    this.onToken?.(token.token);
    headers["Authorization"] = `Bearer ${token.token}`;
    return token.token;
  }
}

/**
 * Thrown before a request is sent when a token the credential hands out is for another tenant. Named like
 * @azure/identity's AuthenticationError so the client maps it to AuthenticationFailed; never retried.
 */
export class WrongTenantTokenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "AuthenticationError";
  }
}

export interface RetryPolicy {
  /** Retries after the first attempt. */
  maxRetries: number;
  /** Backoff base when no Retry-After is sent, in ms. */
  baseDelayMs: number;
  /** Longest single wait we accept, in ms. */
  maxDelayMs: number;
  /** Per-attempt timeout, in ms. */
  timeoutMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxRetries: 5, baseDelayMs: 1000, maxDelayMs: 120_000, timeoutMs: 60_000 };

/** Retry-After as seconds or an HTTP date, in ms (never negative). */
export function retryAfterMs(value: string | null): number | undefined {
  if (value === null || value.trim() === "") return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

export const RETRY_STATUS = new Set([429, 503, 504]);

/** Exponential backoff with jitter for retry `attempt` (0-based), capped at the policy's longest wait. */
export function backoffMs(policy: RetryPolicy, attempt: number): number {
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt + Math.random() * 250);
}

/** A $batch whose items are all GETs only reads: sending it again is as safe as sending a GET again. */
export function isReadOnlyBatch(url: string, body: unknown): boolean {
  if (!/\/\$batch(\?|$)/.test(new URL(url).pathname)) return false;
  let parsed: unknown = body;
  if (typeof body === "string") {
    try {
      parsed = JSON.parse(body);
    } catch {
      return false;
    }
  }
  const requests = (parsed as { requests?: ({ method?: unknown } | null)[] } | null)?.requests;
  return Array.isArray(requests) && requests.length > 0 && requests.every((r) => typeof r?.method === "string" && r.method.toUpperCase() === "GET");
}

/** A body cut short (the connection ended cleanly mid-JSON) is a transport failure for a read, like a reset. */
class TruncatedBody extends Error {}

/**
 * Read a 2xx JSON answer whole and check it is not cut short; the caller gets an equivalent Response back. Throws
 * TruncatedBody unless `last` (the final attempt passes the body on, and the client reports it as InvalidResponse).
 * The check is the closing bracket, not a parse: the client parses every page anyway, and a second parse of large pages
 * costs. A body cut exactly after an inner bracket passes here and fails the client's parse (InvalidResponse): it is
 * then not retried, never read as data.
 */
async function checkedJson(response: Response, last: boolean): Promise<Response> {
  if (!response.ok || !/json/i.test(response.headers.get("Content-Type") ?? "") || !response.body) return response;
  const text = await response.text();
  const copy = new Response(text, { status: response.status, statusText: response.statusText, headers: response.headers });
  const end = text.trimEnd().slice(-1);
  if (last || text.trim() === "" || end === "}" || end === "]") return copy;
  throw new TruncatedBody("the response body was not valid JSON (truncated?)");
}

const UNREACHABLE = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH"]);

/** The system error code under fetch's "fetch failed" TypeError, if any. */
function causeCode(err: unknown): string | undefined {
  const cause = (err as { cause?: { code?: unknown; message?: unknown } } | undefined)?.cause;
  if (typeof cause?.code === "string") return cause.code;
  // fetch refuses ports the Fetch standard blocks before any connection is tried.
  return cause?.message === "bad port" ? "ECONNREFUSED" : undefined;
}

/**
 * Retries 429/503/504 honouring Retry-After, network failures and (for reads) a body cut short. A POST/PATCH is retried
 * only on 429: a 503/504 or a dropped connection may mean the write happened, and replaying it blindly could apply it
 * twice. A $batch of GETs is a read and retried like one.
 */
export class RetryWithTimeout extends Link {
  constructor(
    private readonly policy: RetryPolicy,
    private readonly onRetry?: (info: { url: string; status: number | "network"; waitMs: number; attempt: number }) => void,
  ) {
    super();
  }

  async execute(context: Context): Promise<void> {
    const method = (context.options?.method ?? "GET").toUpperCase();
    const reads = method === "GET" || (method === "POST" && isReadOnlyBatch(requestUrl(context), context.options?.body));
    const idempotent = reads || method === "PUT" || method === "DELETE";
    for (let attempt = 0; ; attempt++) {
      if (attempt > 0) headersOf(context)["Retry-Attempt"] = String(attempt);
      context.options ??= {};
      context.options.signal = AbortSignal.timeout(this.policy.timeoutMs);
      let status: number | "network";
      let waitMs: number;
      try {
        await this.next.execute(context);
        if (reads) context.response = await checkedJson(responseOf(context), attempt >= this.policy.maxRetries);
        const response = responseOf(context);
        if (!RETRY_STATUS.has(response.status)) return;
        if (!idempotent && response.status !== 429) return;
        status = response.status;
        const hinted = retryAfterMs(response.headers.get("Retry-After"));
        waitMs = hinted ?? backoffMs(this.policy, attempt);
        if (attempt >= this.policy.maxRetries || waitMs > this.policy.maxDelayMs) return;
        await response.body?.cancel().catch(() => undefined);
      } catch (err) {
        if (!idempotent || attempt >= this.policy.maxRetries || err instanceof WrongTenantTokenError) throw err;
        // Nothing listens there, or the name does not resolve: one more try, not a minute of backoff per request.
        if (attempt >= 1 && UNREACHABLE.has(causeCode(err) ?? "")) throw err;
        status = "network";
        waitMs = backoffMs(this.policy, attempt);
      }
      this.onRetry?.({ url: requestUrl(context), status, waitMs, attempt: attempt + 1 });
      await sleep(waitMs);
    }
  }
}

export interface RequestLogEntry {
  method: string;
  /** Path only: query values may hold UPNs and skip tokens. */
  path: string;
  status: number | "error";
  ms: number;
}

/** Counts and (with --debug) logs requests, without query values, headers or bodies. */
export class RequestLog extends Link {
  constructor(private readonly onEntry: (entry: RequestLogEntry) => void) {
    super();
  }

  async execute(context: Context): Promise<void> {
    const started = Date.now();
    const method = (context.options?.method ?? "GET").toUpperCase();
    const url = new URL(requestUrl(context));
    const path = url.pathname + (url.search ? "?" + [...url.searchParams.keys()].map((k) => `${k}=…`).join("&") : "");
    try {
      await this.next.execute(context);
      this.onEntry({ method, path, status: context.response?.status ?? "error", ms: Date.now() - started });
    } catch (err) {
      this.onEntry({ method, path, status: "error", ms: Date.now() - started });
      throw err;
    }
  }
}
