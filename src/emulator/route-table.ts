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

const indexes = new WeakMap<object, Map<string, { length: number; byKey: Map<string, unknown> }>>();

/**
 * The first item of `items` whose `key` equals `value` (case-insensitive), through an index kept per array: a
 * 100,000-user pair answers 15,000 phone-method reads, and a scan per read made the emulator, not Graph, the
 * bottleneck. Items are the state's own objects (writes change them in place); an array that changed length is
 * indexed again.
 */
export function findBy<T extends object>(items: readonly T[], key: keyof T & string, value: string): T | undefined {
  let perKey = indexes.get(items);
  if (!perKey) indexes.set(items, (perKey = new Map<string, { length: number; byKey: Map<string, unknown> }>()));
  let index = perKey.get(key);
  if (index?.length !== items.length) {
    const byKey = new Map<string, unknown>();
    for (const item of items) {
      const v = item[key];
      if (typeof v === "string" && !byKey.has(v.toLowerCase())) byKey.set(v.toLowerCase(), item);
    }
    perKey.set(key, (index = { length: items.length, byKey }));
  }
  return index.byKey.get(value.toLowerCase()) as T | undefined;
}
