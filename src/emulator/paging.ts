// Server-driven paging: opaque signed $skiptoken values and absolute @odata.nextLink on the emulator's own origin.
import { createHmac, timingSafeEqual } from "node:crypto";
import { GraphFault } from "./reply.js";

/** What a skiptoken is bound to: the same tenant, version, path and query options (minus $skiptoken). */
export interface PageKey {
  tenantId: string;
  version: string;
  path: string;
  query: URLSearchParams;
}

function canonical(key: PageKey): string {
  const pairs = [...key.query.entries()].filter(([k]) => k.toLowerCase() !== "$skiptoken").sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify([key.tenantId.toLowerCase(), key.version, key.path.toLowerCase(), pairs]);
}

/**
 * Skiptokens are the offset plus an HMAC over the request they belong to, so a forged token, a token moved to
 * another query, or one from an earlier emulator run is rejected with 400 — clients must follow nextLink verbatim.
 */
export class SkipTokens {
  constructor(private readonly secret: Buffer) {}

  issue(key: PageKey, offset: number): string {
    const head = Buffer.alloc(4);
    head.writeUInt32BE(offset);
    return Buffer.concat([head, this.mac(key, offset)]).toString("base64url");
  }

  /** The offset a token stands for; throws the 400 Graph gives for a bad page token. */
  read(key: PageKey, token: string, code: string): number {
    const raw = /^[A-Za-z0-9_-]+$/.test(token) ? Buffer.from(token, "base64url") : Buffer.alloc(0);
    if (raw.length === 16) {
      const offset = raw.readUInt32BE(0);
      if (timingSafeEqual(raw.subarray(4), this.mac(key, offset))) return offset;
    }
    throw new GraphFault(400, code, "The specified page token value has expired and can no longer be included in your request.");
  }

  private mac(key: PageKey, offset: number): Buffer {
    return createHmac("sha256", this.secret)
      .update(`${offset}|${canonical(key)}`)
      .digest()
      .subarray(0, 12);
  }
}

/** The request's raw query with $skiptoken replaced, so every other option is carried exactly as the client sent it. */
export function nextLink(base: string, rawPath: string, rawQuery: string, token: string): string {
  const kept = rawQuery.split("&").filter((part) => part !== "" && safeDecode(part.split("=")[0] ?? "").toLowerCase() !== "$skiptoken");
  kept.push(`$skiptoken=${token}`);
  return `${base}${rawPath}?${kept.join("&")}`;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, " "));
  } catch {
    return s;
  }
}
