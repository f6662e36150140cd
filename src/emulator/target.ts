// Splitting a request URL into tenant prefix, version, decoded path segments and query, without losing the raw form.
import { GraphFault } from "./reply.js";
import type { GraphVersion } from "./context.js";
import { GUID } from "../guid.js";

/** The part of a URL after the version: what routes, faults and $batch sub-requests work on. */
export interface RelativeTarget {
  /** Decoded segments; `users('a''b')` becomes `users`, `a'b`. */
  segments: string[];
  /** As sent, starting with `/`. */
  rawPath: string;
  rawQuery: string;
  query: URLSearchParams;
  /** Decoded path for fault matching and logs, e.g. `/users/x#EXT#@contoso.com`. */
  path: string;
  /** Decoded query (`+` read as space, like Graph). */
  decodedQuery: string;
}

export interface FullTarget extends RelativeTarget {
  /** Tenant id from a `/<tenantId>/v1.0/…` prefix. */
  prefixTenant?: string;
  /** `/<tenantId>` or empty. */
  prefix: string;
  version: GraphVersion;
}

function decode(s: string, plusIsSpace: boolean): string {
  try {
    return decodeURIComponent(plusIsSpace ? s.replace(/\+/g, " ") : s);
  } catch {
    throw new GraphFault(400, "BadRequest", "The request URI is not valid: bad percent-encoding.");
  }
}

/** Parse `/users/x?$select=id` (no version). */
export function parseRelative(pathAndQuery: string): RelativeTarget {
  const q = pathAndQuery.indexOf("?");
  let rawPath = q < 0 ? pathAndQuery : pathAndQuery.slice(0, q);
  const rawQuery = q < 0 ? "" : pathAndQuery.slice(q + 1);
  if (!rawPath.startsWith("/")) rawPath = `/${rawPath}`;
  const segments: string[] = [];
  for (const raw of rawPath.split("/").slice(1)) {
    const seg = decode(raw, false);
    // OData key syntax: entity('key') is the same resource as entity/key.
    const key = /^([^(]+)\('((?:[^']|'')*)'\)$/.exec(seg);
    if (key) segments.push(key[1] as string, (key[2] as string).replace(/''/g, "'"));
    else segments.push(seg);
  }
  while (segments.length > 0 && segments[segments.length - 1] === "") segments.pop();
  return {
    segments,
    rawPath,
    rawQuery,
    query: new URLSearchParams(rawQuery),
    path: `/${segments.join("/")}`,
    decodedQuery: decode(rawQuery, true),
  };
}

/** Parse a top-level request URL: optional tenant prefix, then v1.0 or beta. */
export function parseFull(url: string): FullTarget {
  const pathEnd = url.indexOf("?");
  const pathname = pathEnd < 0 ? url : url.slice(0, pathEnd);
  const parts = pathname.split("/");
  let i = 1;
  let prefixTenant: string | undefined;
  if (GUID.test(parts[1] ?? "")) {
    prefixTenant = parts[1];
    i = 2;
  }
  const version = (parts[i] ?? "").toLowerCase();
  if (version !== "v1.0" && version !== "beta") {
    throw new GraphFault(400, "BadRequest", `Invalid version: '${parts[i] ?? ""}'. Use /v1.0 or /beta.`);
  }
  const consumed = parts.slice(0, i + 1).join("/").length;
  const rel = parseRelative(url.slice(consumed) || "/");
  return { ...rel, prefixTenant, prefix: prefixTenant ? `/${prefixTenant}` : "", version };
}
