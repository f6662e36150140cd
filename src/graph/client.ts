// GraphApi: one Graph client per tenant (real @microsoft/microsoft-graph-client), with our own pager and typed errors.
import { Client, GraphError, HTTPMessageHandler, ResponseType } from "@microsoft/microsoft-graph-client";
import type { TokenCredential } from "@azure/core-auth";
import { GraphRequestError } from "../errors.js";
import { BearerForOrigin, DEFAULT_RETRY, RequestLog, RetryWithTimeout, type RequestLogEntry, type RetryPolicy } from "./middleware.js";
import { ConcurrencyLimiter, DIRECTORY_RU_PER_10S, isDirectoryPath, RatePacer, ResourcePacer, resourceUnitCost } from "./limiter.js";

export type GraphVersion = "v1.0" | "beta";

export interface GraphApiOptions {
  /** Graph root without version, e.g. https://graph.microsoft.com or http://127.0.0.1:8080/<tenant>. */
  baseUrl: string;
  credential: TokenCredential;
  scope: string;
  retry?: Partial<RetryPolicy>;
  /** Parallel requests for this tenant. */
  concurrency?: number;
  onRequest?: (entry: RequestLogEntry) => void;
  onRetry?: (info: { url: string; status: number | "network"; waitMs: number; attempt: number }) => void;
  /** Sees every token obtained (to check its tenant before any data request is trusted). */
  onToken?: (token: string) => void;
  /** Limits shared with other clients of the same tenant (several pairs); else this client's own. */
  limits?: TenantLimits;
  /** Directory resource units per 10 s this client spends at most (default 5,000, the documented M tenant size). */
  directoryBudget?: number;
}

/** A tenant's request limits: parallel requests, and the reports pacer Graph counts per app per tenant. */
export interface TenantLimits {
  limiter: ConcurrencyLimiter;
  reports: RatePacer;
  /** Directory reads' resource units (absent: the client's own pacer). */
  directory?: ResourcePacer;
}

export function createTenantLimits(concurrency: number, directoryBudget = DIRECTORY_RU_PER_10S): TenantLimits {
  return { limiter: new ConcurrencyLimiter(concurrency), reports: new RatePacer(5, REPORTS_WINDOW_MS), directory: new ResourcePacer(directoryBudget, 10_000) };
}

/**
 * Reports allow 5 requests per 10 s; the pacer's window is a little longer because Graph counts arrivals, and a first
 * request delayed more on the network than the sixth would otherwise make the sixth arrive inside the window (429).
 */
const REPORTS_WINDOW_MS = 10_500;

const LIMITS = Symbol("cts-doctor.tenantLimits");

/**
 * A credential that carries its tenant's shared limits. Collection builds one GraphApi per tenant per pair from a
 * credential, so the credential is how several pairs reaching the same tenant end up behind one limiter and pacer.
 */
export function withTenantLimits(credential: TokenCredential, limits: TenantLimits): TokenCredential {
  const carrier: TokenCredential & { [LIMITS]: TenantLimits } = { getToken: credential.getToken.bind(credential), [LIMITS]: limits };
  return carrier;
}

function limitsOf(credential: TokenCredential): TenantLimits | undefined {
  return (credential as { [LIMITS]?: TenantLimits })[LIMITS];
}

export interface Page<T> {
  value: T[];
  "@odata.nextLink"?: string;
}

type CountedPage<T> = Page<T> & { "@odata.count"?: number };

/** One page as the pager yields it: its items, the nextLink Graph sent (absent on the last page), and @odata.count if asked. */
export interface GraphPage<T> {
  value: T[];
  nextLink?: string;
  count?: number;
}

export interface PagesOptions {
  version?: GraphVersion;
  headers?: Record<string, string>;
  /** A nextLink saved by an earlier run: paging continues there (refused like any nextLink when not on our origin). */
  resumeFrom?: string;
  /** Stop after this many pages (the last page's nextLink then tells the caller there was more). */
  maxPages?: number;
}

/** Endpoint classes Graph throttles separately; reports (auditLogs) allow 5 requests per 10 s per app per tenant. */
function pacerFor(path: string): "reports" | undefined {
  return /^\/?auditLogs\//i.test(path) ? "reports" : undefined;
}

/**
 * Reports requests take the next free slot ahead of queued directory reads: each class has its own limit (the pacers),
 * and a log page stuck behind 800 queued $batch reads left the reports budget idle for a minute (large bench).
 */
const isReports = (path: string): boolean => pacerFor(path) === "reports";

export class GraphApi {
  readonly baseUrl: string;
  private readonly client: Client;
  private readonly origin: string;
  private readonly basePath: string;
  private readonly limiter: ConcurrencyLimiter;
  private readonly pacers: { reports: RatePacer; directory: ResourcePacer };
  /** The retry policy of every request, which $batch items share (graph/batch.ts). */
  readonly retryPolicy: RetryPolicy;
  /** Tells the caller's onRetry (and the pacer) about a retry decided outside the middleware: a re-queued $batch item. */
  readonly noteRetry: NonNullable<GraphApiOptions["onRetry"]>;
  requestCount = 0;

  constructor(options: GraphApiOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, "");
    const url = new URL(this.baseUrl);
    this.origin = url.origin;
    this.basePath = url.pathname.replace(/\/+$/, "");
    const shared = options.limits ?? limitsOf(options.credential);
    this.limiter = shared?.limiter ?? new ConcurrencyLimiter(options.concurrency ?? 4);
    this.pacers = {
      reports: shared?.reports ?? new RatePacer(5, REPORTS_WINDOW_MS),
      directory: shared?.directory ?? new ResourcePacer(options.directoryBudget ?? DIRECTORY_RU_PER_10S, 10_000),
    };
    // A 429 on a directory read means the budget is spent for everyone: every directory start waits out its Retry-After.
    const onRetry: GraphApiOptions["onRetry"] = (info) => {
      if (info.status === 429 && isDirectoryPath(this.relativePath(info.url))) this.pacers.directory.pause(info.waitMs);
      options.onRetry?.(info);
    };
    this.retryPolicy = { ...DEFAULT_RETRY, ...options.retry };
    this.noteRetry = onRetry;
    this.client = Client.initWithMiddleware({
      baseUrl: this.baseUrl,
      defaultVersion: "v1.0",
      middleware: [
        new RetryWithTimeout(this.retryPolicy, onRetry),
        // After the retry link, so every HTTP attempt is counted (benchmarks compare request counts).
        new RequestLog((entry) => {
          this.requestCount++;
          options.onRequest?.(entry);
        }),
        new BearerForOrigin(options.credential, [options.scope], this.origin, options.onToken),
        new HTTPMessageHandler(),
      ],
    });
  }

  /** GET a path (with query, values already encoded via buildQuery). */
  async get<T>(path: string, version: GraphVersion = "v1.0", headers?: Record<string, string>): Promise<T> {
    return this.send<T>("GET", path, version, undefined, headers);
  }

  async post<T>(path: string, body: unknown, version: GraphVersion = "v1.0"): Promise<T> {
    return this.send<T>("POST", path, version, body);
  }

  async patch<T>(path: string, body: unknown, version: GraphVersion = "v1.0"): Promise<T> {
    return this.send<T>("PATCH", path, version, body);
  }

  async put<T>(path: string, body: unknown, version: GraphVersion = "v1.0"): Promise<T> {
    return this.send<T>("PUT", path, version, body);
  }

  /**
   * One request whose Graph request-id matters (remediation journals every write): returns the status, the parsed body
   * and the ids; a non-2xx answer throws GraphRequestError carrying the request-id and Retry-After.
   */
  async call<T>(
    method: GraphMethod,
    path: string,
    options: { body?: unknown; version?: GraphVersion; headers?: Record<string, string> } = {},
  ): Promise<GraphCallResult<T>> {
    return this.limiter.run(async () => {
      await this.pace(method, path, options.body);
      const request = this.client
        .api(path)
        .version(options.version ?? "v1.0")
        .responseType(ResponseType.RAW);
      if (options.headers) request.headers(options.headers);
      let response: Response;
      try {
        if (method === "GET") response = (await request.get()) as Response;
        else if (method === "POST") response = (await request.post(options.body ?? {})) as Response;
        else if (method === "PATCH") response = (await request.patch(options.body ?? {})) as Response;
        else if (method === "PUT") response = (await request.put(options.body ?? {})) as Response;
        else response = (await request.delete()) as Response;
      } catch (err) {
        throw toGraphRequestError(err);
      }
      return readCallResponse<T>(response);
    }, isReports(path));
  }

  /**
   * Every page of a collection, following @odata.nextLink on our own origin only (client-security §1.3: our token is
   * never sent elsewhere). `resumeFrom` continues from a nextLink saved by an earlier run (same origin check);
   * `maxPages` stops after that many pages. Each page carries its nextLink, so a caller can checkpoint between pages.
   */
  async *pages<T>(path: string, options: PagesOptions = {}): AsyncGenerator<GraphPage<T>> {
    let next: { path: string; version: GraphVersion } | undefined = options.resumeFrom
      ? this.resolveNextLink(options.resumeFrom)
      : { path, version: options.version ?? "v1.0" };
    for (let read = 0; next && read < (options.maxPages ?? Infinity); read++) {
      // A wrong-typed or empty answer (faults tests) reads as an empty last page, never a crash.
      const page: CountedPage<T> | null | undefined = await this.get<CountedPage<T> | null | undefined>(next.path, next.version, options.headers);
      const link: string | undefined = page?.["@odata.nextLink"];
      const count = page?.["@odata.count"];
      yield {
        value: Array.isArray(page?.value) ? page.value : [],
        ...(link ? { nextLink: link } : {}),
        ...(typeof count === "number" ? { count } : {}),
      };
      // Resolved only when the next page is asked for: a page is the caller's before a bad link fails the paging.
      next = link ? this.resolveNextLink(link) : undefined;
    }
  }

  /** All items of a collection. */
  async list<T>(path: string, version: GraphVersion = "v1.0", headers?: Record<string, string>): Promise<T[]> {
    const all: T[] = [];
    for await (const page of this.pages<T>(path, { version, headers })) all.push(...page.value);
    return all;
  }

  /** Turn an absolute nextLink into a path for the client; refuse any other origin (our token must not go there). */
  resolveNextLink(link: string): { path: string; version: GraphVersion } {
    let url: URL;
    try {
      url = new URL(link, this.baseUrl + "/");
    } catch {
      throw new GraphRequestError({ status: 0, graphCode: "InvalidNextLink", message: "the server returned an unparsable @odata.nextLink" });
    }
    if (url.origin !== this.origin) {
      throw new GraphRequestError({
        status: 0,
        graphCode: "ForeignNextLink",
        message: `@odata.nextLink points to another origin (${url.origin}); not followed`,
      });
    }
    let rest = url.pathname;
    if (this.basePath && rest.startsWith(this.basePath + "/")) rest = rest.slice(this.basePath.length);
    const match = /^\/(v1\.0|beta)(\/.*)$/.exec(rest);
    if (!match) throw new GraphRequestError({ status: 0, graphCode: "InvalidNextLink", message: `@odata.nextLink has no Graph version: ${url.pathname}` });
    return { version: match[1] as GraphVersion, path: (match[2] ?? "") + url.search };
  }

  /** Wait for the endpoint class's pacer: reports by requests, directory reads by resource units ($batch items count one by one). */
  private async pace(method: GraphMethod, path: string, body?: unknown): Promise<void> {
    if (pacerFor(path) === "reports") return this.pacers.reports.acquire();
    let cost = 0;
    if (/^\/?\$batch(\?|$)/.test(path)) {
      const items = (body as { requests?: { method?: string; url?: string }[] } | undefined)?.requests ?? [];
      for (const item of items) {
        const url = (item.url ?? "").replace(/^\/?(v1\.0|beta)(?=\/)/, "");
        if ((item.method ?? "GET").toUpperCase() === "GET" && isDirectoryPath(url)) cost += resourceUnitCost(url);
      }
    } else if (method === "GET" && isDirectoryPath(path)) cost = resourceUnitCost(path);
    if (cost > 0) await this.pacers.directory.acquire(cost);
  }

  /** A request URL as a path after the version (for classifying it). */
  private relativePath(url: string): string {
    try {
      const u = new URL(url);
      return u.pathname.slice(this.basePath.length).replace(/^\/(v1\.0|beta)/, "") + u.search;
    } catch {
      return url;
    }
  }

  private async send<T>(
    method: "GET" | "POST" | "PATCH" | "PUT",
    path: string,
    version: GraphVersion,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<T> {
    return this.limiter.run(async () => {
      await this.pace(method, path, body);
      const request = this.client.api(path).version(version);
      if (headers) request.headers(headers);
      try {
        switch (method) {
          case "GET":
            return (await request.get()) as T;
          case "POST":
            return (await request.post(body)) as T;
          case "PATCH":
            return (await request.patch(body)) as T;
          case "PUT":
            return (await request.put(body)) as T;
        }
      } catch (err) {
        throw toGraphRequestError(err);
      }
    }, isReports(path));
  }
}

export type GraphMethod = "GET" | "POST" | "PATCH" | "PUT" | "DELETE";

export interface GraphCallResult<T> {
  status: number;
  body: T | undefined;
  requestId: string | undefined;
  clientRequestId: string | undefined;
}

async function readCallResponse<T>(response: Response): Promise<GraphCallResult<T>> {
  const text = await response.text().catch(() => "");
  let body: unknown;
  try {
    body = text.trim() ? JSON.parse(text) : undefined;
  } catch {
    if (response.ok) throw new GraphRequestError({ status: 0, graphCode: "InvalidResponse", message: "the response was not valid JSON (truncated?)" });
  }
  const requestId = response.headers.get("request-id") ?? undefined;
  const clientRequestId = response.headers.get("client-request-id") ?? undefined;
  if (!response.ok) {
    const error = (body as { error?: { code?: string; message?: string } } | undefined)?.error;
    const retryAfter = response.headers.get("Retry-After");
    throw new GraphRequestError({
      status: response.status,
      graphCode: error?.code || `HTTP${response.status}`,
      message: (error?.message || `HTTP ${response.status}`).split("\n", 1)[0] ?? "",
      ...(requestId ? { requestId } : {}),
      ...(retryAfter && Number.isFinite(Number(retryAfter)) ? { retryAfterSeconds: Number(retryAfter) } : {}),
    });
  }
  return { status: response.status, body: body as T | undefined, requestId, clientRequestId };
}

/** Normalise whatever the client threw into a GraphRequestError (status 0 = no usable HTTP response). */
export function toGraphRequestError(err: unknown): GraphRequestError {
  if (err instanceof GraphRequestError) return err;
  if (err instanceof GraphError) {
    const status = err.statusCode;
    // The client wraps transport and parse failures as GraphError with the original error's name as code.
    if (status <= 0 || (status >= 200 && status < 300)) return clientFailure(err.code ?? "Error", String(err.body ?? err.message ?? ""));
    const retryAfter = err.headers?.get("Retry-After");
    return new GraphRequestError({
      status,
      graphCode: err.code || `HTTP${status}`,
      message: (err.message || `HTTP ${status}`).split("\n", 1)[0] ?? "",
      ...(err.requestId ? { requestId: err.requestId } : {}),
      ...(retryAfter && Number.isFinite(Number(retryAfter)) ? { retryAfterSeconds: Number(retryAfter) } : {}),
    });
  }
  const e = err as { name?: string; message?: string } | null | undefined;
  return clientFailure(e?.name ?? "Error", e?.message ?? String(err));
}

const AUTH_ERRORS = new Set(["CredentialUnavailableError", "AuthenticationError", "AuthenticationRequiredError", "AggregateAuthenticationError"]);

function clientFailure(name: string, detail: string): GraphRequestError {
  const firstLine = (detail.split("\n", 1)[0] ?? "").slice(0, 300);
  if (name === "TimeoutError" || name === "AbortError") return new GraphRequestError({ status: 0, graphCode: "Timeout", message: "the request timed out" });
  if (name === "SyntaxError")
    return new GraphRequestError({ status: 0, graphCode: "InvalidResponse", message: "the response was not valid JSON (truncated?)" });
  if (AUTH_ERRORS.has(name)) return new GraphRequestError({ status: 0, graphCode: "AuthenticationFailed", message: `could not get a token: ${firstLine}` });
  return new GraphRequestError({ status: 0, graphCode: "NetworkError", message: `network error: ${firstLine || name}` });
}
