// Scripted faults (429 with Retry-After, 5xx, latency, dropped connections, truncated bodies) matched by method and path.

/** One fault rule; it fires on the next `times` matching requests, then stops. */
export interface FaultRule {
  /** HTTP method to match (any when absent). */
  method?: string;
  /** Substring of the path+query after the version prefix, or `/regex/flags` tried on the path and on path+query. */
  path: string;
  /** Answer with this status and a Graph error body (429 when absent but retryAfter is set, or on a $batch item). */
  status?: number;
  /** How many matching requests it fires on: default 1, `Infinity` for sticky. */
  times?: number;
  /** `Retry-After` value: seconds, an HTTP-date, or `date+N` (an HTTP-date N seconds after the fault fires). */
  retryAfter?: string;
  /** Wait this long before answering. */
  delayMs?: number;
  /** Destroy the socket instead of answering (a network error the SDK's RetryHandler does not retry). */
  reset?: true;
  /** Send only the first half of the JSON body, then end the response cleanly. */
  truncate?: true;
  /**
   * Put the request's bearer token into the error message, as a careless or hostile server might: Graph's messages
   * "often contain dynamic information specific to the failed request" (microsoft-graph-docs-contrib
   * concepts/errors.md, "Code property"), so a client must never trust them to be free of secrets.
   */
  echoToken?: true;
  /** true: apply to $batch sub-requests only (per-item status, Retry-After in the item's headers); otherwise top-level only. */
  inBatch?: boolean;
  /** Error body `code` and `message` instead of the status's usual ones (with `status`). */
  code?: string;
  message?: string;
  /** Answer normally, but with the entity wrapped in `{"value": {…}}` (see `wrapInValue`). */
  wrap?: true;
}

/**
 * CLI syntax, whitespace separated: `[METHOD] PATH [STATUS] [options…]`
 *   METHOD        GET POST PUT PATCH DELETE, or * for any (optional)
 *   PATH          substring of the path after /v1.0 or /beta (query included, case-insensitive), or /regex/flags
 *                 (a regex needs a character a plain path cannot have, e.g. ^ \ [ ( |; `/users/` stays a substring)
 *   STATUS        a 3-digit HTTP status (optional)
 *   times=N       fire N times (default 1); times=inf or the flag `sticky` fires forever
 *   retry-after=V seconds, date+N (HTTP-date N s after firing) or a quoted HTTP-date: retry-after="Wed, 21 Oct 2015 07:28:00 GMT"
 *   delay=MS      delay the answer (delay-ms= also accepted)
 *   reset         drop the connection          truncate   send half the body          batch   apply to $batch items
 *   code=C        error body code (with STATUS)     message="M"   error body message (with STATUS)
 *   wrap          answer the entity wrapped in {"value": {…}}, as Microsoft's published examples show some singletons
 *   echo-token    the error message quotes the request's bearer token (with a STATUS)
 * Examples: `GET /auditLogs/provisioning 429 times=2 retry-after=1`, `/users 503 sticky`, `POST /$batch reset`,
 * `GET /users/ 429 batch retry-after=0`, `/\/partners\/[0-9a-f-]+$/i 500`, `/^\/policies\/crossTenantAccessPolicy$/ wrap sticky`,
 * `POST /validateCredentials 400 code=BadRequest message="… AzureActiveDirectoryCrossTenantSyncPolicyCheckFailure …"`.
 */
export function parseFault(spec: string): FaultRule {
  const words = tokenize(spec);
  if (words.length === 0) throw new Error("empty fault rule");
  const rule: Partial<FaultRule> = {};
  let i = 0;
  if (/^(GET|POST|PUT|PATCH|DELETE|\*)$/i.test(words[0] as string)) {
    const m = (words[0] as string).toUpperCase();
    if (m !== "*") rule.method = m;
    i++;
  }
  const path = words[i++];
  if (path === undefined) throw new Error(`fault rule "${spec}" has no path`);
  rule.path = path;
  for (; i < words.length; i++) {
    const word = words[i] as string;
    const eq = word.indexOf("=");
    const key = (eq < 0 ? word : word.slice(0, eq)).toLowerCase();
    const value = eq < 0 ? undefined : word.slice(eq + 1);
    if (eq < 0 && /^\d{3}$/.test(word)) rule.status = Number(word);
    else if (key === "times" && value !== undefined) rule.times = /^(inf|infinity|sticky)$/i.test(value) ? Infinity : positiveInt(value, spec);
    else if (key === "sticky" && value === undefined) rule.times = Infinity;
    else if ((key === "retry-after" || key === "retryafter") && value) rule.retryAfter = value;
    else if ((key === "delay" || key === "delay-ms" || key === "delayms") && value !== undefined) rule.delayMs = positiveInt(value, spec, true);
    else if (key === "reset" && value === undefined) rule.reset = true;
    else if (key === "truncate" && value === undefined) rule.truncate = true;
    else if ((key === "batch" || key === "inbatch") && value === undefined) rule.inBatch = true;
    else if (key === "code" && value) rule.code = value;
    else if (key === "message" && value) rule.message = value;
    else if (key === "wrap" && value === undefined) rule.wrap = true;
    else if ((key === "echo-token" || key === "echotoken") && value === undefined) rule.echoToken = true;
    else throw new Error(`fault rule "${spec}": unknown option "${word}"`);
  }
  if (looksLikeRegex(rule.path)) toRegex(rule.path); // fail early on a bad pattern
  return rule as FaultRule;
}

/** Split on whitespace, keeping "double quoted" runs (for HTTP-dates) together and dropping the quotes. */
function tokenize(spec: string): string[] {
  const words: string[] = [];
  const re = /(?:[^\s"]+|"[^"]*")+/g;
  for (const m of spec.matchAll(re)) words.push(m[0].replace(/"/g, ""));
  return words;
}

function positiveInt(value: string, spec: string, allowZero = false): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < (allowZero ? 0 : 1)) throw new Error(`fault rule "${spec}": "${value}" is not a valid count`);
  return n;
}

/** `/…/flags` is a regex only when it holds a character a plain path cannot, so `/users/` stays a substring. */
function looksLikeRegex(path: string): boolean {
  return /^\/.+\/[a-z]*$/.test(path) && !/^\/[\w$.~%-]*(\/[\w$.~%-]*)*$/.test(path);
}

function toRegex(path: string): RegExp {
  const m = /^\/(.+)\/([a-z]*)$/.exec(path);
  if (!m) throw new Error(`bad regex ${path}`);
  try {
    return new RegExp(m[1] as string, m[2]);
  } catch (err) {
    throw new Error(`fault rule path ${path} is not a valid regex: ${(err as Error).message}`);
  }
}

interface ActiveRule {
  rule: FaultRule;
  left: number;
  regex: RegExp | null;
}

/** The live rule list: each matching request consumes one firing of the first rule that matches. */
export class FaultBook {
  private rules: ActiveRule[] = [];

  add(rules: readonly FaultRule[]): void {
    for (const rule of rules) {
      this.rules.push({ rule, left: rule.times ?? 1, regex: looksLikeRegex(rule.path) ? toRegex(rule.path) : null });
    }
  }

  clear(): void {
    this.rules = [];
  }

  /** `path` is without the version (and tenant) prefix; `query` is the decoded query string, possibly empty. */
  take(method: string, path: string, query: string, inBatch: boolean): FaultRule | undefined {
    const full = query ? `${path}?${query}` : path;
    for (const active of this.rules) {
      const { rule } = active;
      if (active.left <= 0 || (rule.inBatch === true) !== inBatch) continue;
      if (rule.method && rule.method.toUpperCase() !== method.toUpperCase()) continue;
      const hit = active.regex ? active.regex.test(path) || active.regex.test(full) : full.toLowerCase().includes(rule.path.toLowerCase());
      if (!hit) continue;
      active.left--;
      return rule;
    }
    return undefined;
  }
}

/** The Retry-After header value a rule asks for, resolving `date+N` at the moment it fires. */
export function retryAfterValue(rule: FaultRule): string | undefined {
  const v = rule.retryAfter;
  if (v === undefined) return undefined;
  const rel = /^date\+(\d+(?:\.\d+)?)$/i.exec(v);
  return rel ? new Date(Date.now() + Number(rel[1]) * 1000).toUTCString() : v;
}

/**
 * A successful entity answer as `{"value": {…}}`. Microsoft's published v1.0 and beta examples of
 * `GET /policies/crossTenantAccessPolicy` answer this way, though the CSDL declares a singleton (docs-contrib
 * `api-reference/v1.0/api/crosstenantaccesspolicy-get.md`, "Response"); clients must accept both.
 */
export function wrapInValue(body: unknown): unknown {
  if (body === null || typeof body !== "object" || Array.isArray(body)) return body;
  const { ["@odata.context"]: context, ...entity } = body as Record<string, unknown>;
  return { ...(context !== undefined ? { "@odata.context": context } : {}), value: entity };
}
