// Route declarations: a method, a path pattern (`:name` captures one segment) and a handler returning a Reply.
import type { RequestContext } from "./context.js";
import type { Reply } from "./reply.js";

export type Params = Record<string, string>;
export type Handler = (ctx: RequestContext, params: Params) => Reply;

export interface Route {
  method: string;
  pattern: string[];
  handler: Handler;
}

export function route(method: string, pattern: string, handler: Handler): Route {
  return { method, pattern: pattern.split("/"), handler };
}

/** Captures for `segments` if they fit `pattern` (literal segments compare case-insensitively, as Graph does). */
export function matchPattern(pattern: readonly string[], segments: readonly string[]): Params | undefined {
  if (pattern.length !== segments.length) return undefined;
  const params: Params = {};
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i] as string;
    const s = segments[i] as string;
    if (p.startsWith(":")) params[p.slice(1)] = s;
    else if (p.toLowerCase() !== s.toLowerCase()) return undefined;
  }
  return params;
}

/** Case-insensitive key lookup in a facet map keyed by object id. */
export function lookup<T>(map: Record<string, T>, key: string): T | undefined {
  if (Object.hasOwn(map, key)) return map[key];
  const lower = key.toLowerCase();
  const found = Object.keys(map).find((k) => k.toLowerCase() === lower);
  return found === undefined ? undefined : map[found];
}

export const sameId = (a: string | null | undefined, b: string): boolean => typeof a === "string" && a.toLowerCase() === b.toLowerCase();
