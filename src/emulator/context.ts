// The per-request view routes work from: tenant side, version, decoded path, query, and the paging settings.
import type { TenantSide } from "../snapshot/facets.js";
import type { SkipTokens } from "./paging.js";
import type { EmulatorState } from "./state.js";

export type GraphVersion = "v1.0" | "beta";

/** Largest page the server hands out per collection kind, whatever `$top` asks for (Graph may return fewer). */
export interface PageLimits {
  directory: number;
  provisioning: number;
}

export interface RequestContext {
  state: EmulatorState;
  side: TenantSide;
  tenantId: string;
  otherTenantId: string;
  version: GraphVersion;
  method: string;
  /** Decoded path segments after the version; `users('x')` is already split into `users`, `x`. */
  segments: string[];
  /** Path after the version exactly as the client sent it (for nextLink), e.g. `/users`. */
  rawPath: string;
  rawQuery: string;
  query: URLSearchParams;
  /** Request headers, names lower-cased. */
  headers: Record<string, string>;
  body: unknown;
  /** Origin + tenant path prefix (if used) + `/` + version: the base of nextLink and @odata.context. */
  base: string;
  tokens: SkipTokens;
  limits: PageLimits;
}

/** A query option by name, matched case-insensitively (`$top`, `$TOP`). */
export function option(ctx: RequestContext, name: string): string | undefined {
  const want = name.toLowerCase();
  for (const [k, v] of ctx.query) if (k.toLowerCase() === want) return v;
  return undefined;
}
