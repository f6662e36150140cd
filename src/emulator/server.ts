// The HTTP side: authentication, tenant routing, fault injection, journal, $batch, and writing Graph-shaped responses.
import { randomBytes, randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { bearerToken, requestTenant, unauthorized } from "./auth.js";
import { readBatch, runBatch, type BatchItem } from "./batch.js";
import type { GraphVersion, PageLimits, RequestContext } from "./context.js";
import { FaultBook, retryAfterValue, wrapInValue, type FaultRule } from "./faults.js";
import type { RealisticLimits } from "./limits.js";
import { SkipTokens } from "./paging.js";
import { codeForStatus, errorBody, GraphFault, type Reply } from "./reply.js";
import { dispatch } from "./router.js";
import type { TenantSide } from "../snapshot/facets.js";
import { MAX_JSON_DEPTH, nestsDeeperThan } from "../snapshot/store.js";
import type { EmulatorState } from "./state.js";
import { requestPermissions, tokenPermissions } from "../permissions/table.js";
import { readClaims } from "./token.js";
import { parseFull, parseRelative, type RelativeTarget } from "./target.js";

/** One request as the emulator saw it; $batch items get their own entries (inBatch: true) after the batch's own. */
export interface JournalEntry {
  /** Arrival time, ms since the epoch. */
  at: number;
  method: string;
  /** Path with query as sent (batch items: prefix + version + the item's relative url). */
  path: string;
  tenantId?: string;
  /** Status answered; 0 when the connection was reset by a fault. */
  status: number;
  inBatch: boolean;
  hasBearer: boolean;
  /** `Retry-Attempt` header set by the SDK's RetryHandler. */
  retryAttempt?: string;
  clientRequestId?: string;
}

const JSON_TYPE = "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8";
const MAX_BODY = 4 * 1024 * 1024;

/** Everything needed to answer one request (shared by top-level requests and $batch items). */
interface Call {
  method: string;
  target: RelativeTarget;
  headers: Record<string, string>;
  body: unknown;
  tenantId: string;
  version: GraphVersion;
  base: string;
  requestId: string;
  clientRequestId: string;
  /** The token's roles and scopes, when the server enforces them. */
  permissions?: ReadonlySet<string>;
  /** The request's Authorization header ($batch items inherit it): the app a throttle counts against. */
  authorization?: string;
}

/** Realistic timing: Graph's documented throttles and a fixed delay per HTTP request. */
export interface ServerTiming {
  realistic?: RealisticLimits;
  latencyMs?: number;
}

export class EmulatorServer {
  readonly journal: JournalEntry[] = [];
  readonly faults = new FaultBook();
  private readonly tokens = new SkipTokens(randomBytes(32));
  private readonly http: Server;
  private fallbackOrigin = "http://127.0.0.1";

  constructor(
    readonly state: EmulatorState,
    private readonly limits: PageLimits,
    /** Refuse requests whose token lacks the Graph permission the route needs (403 Authorization_RequestDenied). */
    private readonly enforceRoles = false,
    private readonly timing: ServerTiming = {},
  ) {
    this.http = createServer((req, res) => void this.handle(req, res));
  }

  listen(port: number, host: string): Promise<string> {
    return new Promise((resolve, reject) => {
      this.http.once("error", reject);
      this.http.listen(port, host, () => {
        const addr = this.http.address() as AddressInfo;
        const h = addr.address.includes(":") ? `[${addr.address}]` : addr.address;
        this.fallbackOrigin = `http://${h}:${addr.port}`;
        resolve(this.fallbackOrigin);
      });
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.http.close(() => {
        resolve();
      });
      this.http.closeAllConnections();
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const at = Date.now();
    const method = (req.method ?? "GET").toUpperCase();
    const headers = lowerHeaders(req);
    const requestId = randomUUID();
    const clientRequestId = headers["client-request-id"] ?? randomUUID();
    const token = bearerToken(headers["authorization"]);
    const entry: JournalEntry = {
      at,
      method,
      path: req.url ?? "/",
      status: 0,
      inBatch: false,
      hasBearer: token !== undefined,
      ...(headers["retry-attempt"] !== undefined ? { retryAttempt: headers["retry-attempt"] } : {}),
      ...(headers["client-request-id"] !== undefined ? { clientRequestId: headers["client-request-id"] } : {}),
    };
    let reply: Reply;
    let truncate = false;
    try {
      const rawBody = await readBody(req);
      if (this.timing.latencyMs) await sleep(this.timing.latencyMs);
      const target = parseFull(req.url ?? "/");
      const tenantId = requestTenant(token, target.prefixTenant);
      entry.tenantId = tenantId;
      if (!this.state.sideOf(tenantId)) throw unauthorized("Access token validation failure. The tenant is not part of this snapshot.");
      const fault = this.faults.take(method, target.path, target.decodedQuery, false);
      if (fault?.delayMs) await sleep(fault.delayMs);
      if (fault?.reset) {
        this.journal.push(entry);
        req.socket.destroy();
        return;
      }
      truncate = fault?.truncate === true;
      const origin = headers["host"] ? `http://${headers["host"]}` : this.fallbackOrigin;
      const call: Call = {
        method,
        target,
        headers,
        body: parseJson(rawBody),
        tenantId,
        version: target.version,
        base: `${origin}${target.prefix}/${target.version}`,
        requestId,
        clientRequestId,
        ...(headers["authorization"] !== undefined ? { authorization: headers["authorization"] } : {}),
        ...(this.enforceRoles ? { permissions: tokenPermissions(readClaims(token ?? "")).permissions } : {}),
      };
      reply = fault && (fault.status || fault.retryAfter) ? faultReply(fault, call) : await this.answer(call, target.prefix);
      if (fault?.wrap && reply.status === 200) reply = { ...reply, body: wrapInValue(reply.body) };
    } catch (err) {
      reply = errorReply(err, requestId, clientRequestId);
    }
    entry.status = reply.status;
    this.journal.push(entry);
    write(res, reply, requestId, clientRequestId, truncate);
  }

  /** Route a call (top-level or $batch item); errors become replies so batch items never throw. */
  private async answer(call: Call, prefix: string): Promise<Reply> {
    try {
      const side = this.state.sideOf(call.tenantId) as TenantSide;
      if (call.target.segments.length === 1 && call.target.segments[0] === "$batch") {
        if (call.method !== "POST") throw new GraphFault(405, "Request_BadRequest", "Specified HTTP method is not allowed for the request target.");
        const items = readBatch(call.body);
        return await runBatch(
          items,
          (item) => this.batchItem(call, item, prefix),
          (s, c, m) => ({ status: s, body: errorBody(s, c, m, call.requestId, call.clientRequestId) }),
        );
      }
      if (call.permissions) checkPermissions(call.method, call.target.path, call.permissions);
      const ctx: RequestContext = {
        state: this.state,
        side,
        tenantId: call.tenantId,
        otherTenantId: this.state.tenantId(side === "source" ? "target" : "source"),
        version: call.version,
        method: call.method,
        segments: call.target.segments,
        rawPath: call.target.rawPath,
        rawQuery: call.target.rawQuery,
        query: call.target.query,
        headers: call.headers,
        body: call.body,
        base: call.base,
        tokens: this.tokens,
        limits: this.limits,
      };
      const throttle = this.timing.realistic?.admit(call.tenantId, side, call.authorization, call.method, call.target);
      const reply = dispatch(ctx);
      return throttle && Object.keys(throttle).length ? { ...reply, headers: { ...reply.headers, ...throttle } } : reply;
    } catch (err) {
      return errorReply(err, call.requestId, call.clientRequestId);
    }
  }

  private async batchItem(outer: Call, item: BatchItem, prefix: string): Promise<Reply> {
    const requestId = randomUUID();
    const clientRequestId = item.headers["client-request-id"] ?? outer.clientRequestId;
    const url = item.url.startsWith("/") ? item.url : `/${item.url}`;
    const entry: JournalEntry = {
      at: Date.now(),
      method: item.method,
      path: `${prefix}/${outer.version}${url}`,
      tenantId: outer.tenantId,
      status: 0,
      inBatch: true,
      hasBearer: true,
      clientRequestId,
      ...(outer.headers["retry-attempt"] !== undefined ? { retryAttempt: outer.headers["retry-attempt"] } : {}),
    };
    let reply: Reply;
    try {
      if (/^[a-z]+:\/\//i.test(item.url)) throw new GraphFault(400, "BadRequest", "Invalid request URL: batch request URLs must be relative.");
      const relative = withoutVersion(url, outer.version);
      entry.path = `${prefix}/${outer.version}${relative}`;
      const target = parseRelative(relative);
      const call: Call = { ...outer, method: item.method, target, headers: item.headers, body: item.body, requestId, clientRequestId };
      const fault = this.faults.take(item.method, target.path, target.decodedQuery, true);
      if (fault?.delayMs) await sleep(fault.delayMs);
      if (fault) reply = faultReply({ ...fault, status: fault.status ?? 429 }, call);
      else if (target.segments[0] === "$batch") throw new GraphFault(400, "BadRequest", "A batch request cannot contain another batch.");
      else reply = await this.answer(call, prefix);
    } catch (err) {
      reply = errorReply(err, requestId, clientRequestId);
    }
    entry.status = reply.status;
    this.journal.push(entry);
    return reply;
  }
}

/**
 * BatchRequestContent (SDK 3.0.7) strips only scheme and host, so items arrive as `/v1.0/users`: accept the batch's
 * own version there, refuse the other one (all items run against the batch's version).
 */
function withoutVersion(url: string, version: GraphVersion): string {
  const m = /^\/(v1\.0|beta)(?=\/|\?|$)/i.exec(url);
  if (!m) return url;
  if ((m[1] as string).toLowerCase() !== version) {
    throw new GraphFault(400, "BadRequest", `Batch items run against the batch's version (${version}); '${m[1]}' cannot be used here.`);
  }
  return url.slice(m[0].length) || "/";
}

/** Graph answers a token without the needed role with 403 before looking at the resource. */
function checkPermissions(method: string, path: string, held: ReadonlySet<string>): void {
  const needed = requestPermissions(method, path);
  if (!needed) return;
  const lower = new Set([...held].map((p) => p.toLowerCase()));
  if (needed.some((alt) => alt.every((p) => lower.has(p.toLowerCase())))) return;
  throw new GraphFault(403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.");
}

function faultReply(rule: FaultRule, call: Call): Reply {
  const status = rule.status ?? 429;
  const usual = codeForStatus(status);
  const code = rule.code ?? usual.code;
  const text = rule.message ?? usual.message;
  const message = rule.echoToken ? `${text} Token presented: ${bearerToken(call.authorization) ?? "none"}.` : text;
  const retryAfter = retryAfterValue(rule);
  return { status, body: errorBody(status, code, message, call.requestId, call.clientRequestId), headers: retryAfter ? { "Retry-After": retryAfter } : {} };
}

function errorReply(err: unknown, requestId: string, clientRequestId: string): Reply {
  if (err instanceof GraphFault) {
    return { status: err.status, body: errorBody(err.status, err.code, err.message, requestId, clientRequestId), headers: err.headers };
  }
  // Never echo internals (paths, stacks) to a client: the emulator may serve a customer's snapshot.
  return { status: 500, body: errorBody(500, "generalException", "An internal server error occurred.", requestId, clientRequestId) };
}

function write(res: ServerResponse, reply: Reply, requestId: string, clientRequestId: string, truncate: boolean): void {
  res.statusCode = reply.status;
  res.setHeader("request-id", requestId);
  res.setHeader("client-request-id", clientRequestId);
  for (const [k, v] of Object.entries(reply.headers ?? {})) res.setHeader(k, v);
  if (reply.body === undefined) {
    res.end();
    return;
  }
  res.setHeader("Content-Type", JSON_TYPE);
  const text = Buffer.from(JSON.stringify(reply.body), "utf8");
  res.end(truncate ? text.subarray(0, Math.floor(text.length / 2)) : text);
}

function lowerHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(", ") : v;
  return out;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) reject(new GraphFault(413, "Request_EntityTooLarge", "The request body is too large."));
      else chunks.push(c);
    });
    req.on("end", () => {
      resolve(Buffer.concat(chunks).toString("utf8"));
    });
    req.on("error", reject);
  });
}

const UNREADABLE_PAYLOAD = "Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.";

function parseJson(text: string): unknown {
  if (text.trim() === "") return undefined;
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new GraphFault(400, "BadRequest", UNREADABLE_PAYLOAD);
  }
  // A body nested deeper than any Graph document would overflow the stack when it is served back (JSON.stringify).
  // microsoft-graph-docs-contrib concepts/errors.md, "HTTP status codes": 400, "Can't process the request because
  // it's malformed or incorrect."
  if (nestsDeeperThan(body, MAX_JSON_DEPTH)) throw new GraphFault(400, "BadRequest", UNREADABLE_PAYLOAD);
  return body;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
