// OData query options over in-memory collections: $filter, $orderby, $count, $top/$skiptoken paging and $select.
import type { GraphObject } from "../snapshot/graph-types.js";
import { option, type RequestContext } from "./context.js";
import { matchesFilter } from "./filter-eval.js";
import { FilterError, parseFilter } from "./odata-filter.js";
import { nextLink } from "./paging.js";
import { GraphFault, type Reply } from "./reply.js";

/** Graph's default user properties; the rest (userType, externalUserState, identities…) are "returned only on $select". */
export const DEFAULT_USER_PROPERTIES = [
  "businessPhones",
  "displayName",
  "givenName",
  "jobTitle",
  "mail",
  "mobilePhone",
  "officeLocation",
  "preferredLanguage",
  "surname",
  "userPrincipalName",
  "id",
];

/**
 * directory: users, members, servicePrincipals… (case-insensitive $filter, $top 1–999, default page 100);
 * provisioning: auditLogs/provisioning (case-sensitive $filter, default page 50, $top clamped to 500, newest first);
 * plain: small unpaged lists (organization, subscribedSkus, jobs…).
 */
export type CollectionKind = "directory" | "provisioning" | "plain";

export const DEFAULT_PAGE = { directory: 100, provisioning: 50 } as const;
const MAX_TOP = { directory: 999, provisioning: 500 } as const;

export type Projection = (item: GraphObject) => GraphObject;

/** Keep only Graph's default user properties (plus @odata.type and any extra names given). */
export function userDefaults(...extra: string[]): Projection {
  return (item) => pick(item, [...DEFAULT_USER_PROPERTIES, ...extra]);
}

export function selectList(ctx: RequestContext): string[] | undefined {
  const raw = option(ctx, "$select");
  if (raw === undefined) return undefined;
  const names = raw
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  return names.length ? names : undefined;
}

/** The selected properties that exist on the item (missing ones are omitted, not nulled), plus @odata.type. */
function pick(item: GraphObject, names: readonly string[]): GraphObject {
  const wanted = new Set(names.map((n) => n.toLowerCase()));
  wanted.add("@odata.type");
  const out: GraphObject = {};
  for (const [k, v] of Object.entries(item)) if (wanted.has(k.toLowerCase())) out[k] = v;
  return out;
}

/** Navigation properties named in $expand (`identitySynchronization($select=x)` → `identitySynchronization`). */
export function expandList(ctx: RequestContext): string[] {
  const raw = option(ctx, "$expand");
  if (raw === undefined) return [];
  return raw
    .split(",")
    .map((s) => s.trim().replace(/\(.*\)$/, ""))
    .filter(Boolean);
}

function project(ctx: RequestContext, item: GraphObject, defaults?: Projection): GraphObject {
  const select = selectList(ctx);
  // Graph returns expanded navigation properties even when $select does not name them.
  if (select) return pick(item, [...select, ...expandList(ctx)]);
  return defaults ? defaults(item) : item;
}

/** `#users` → `#users(id,displayName)`, `#x/$entity` → `#x(id)/$entity`, as Graph writes contexts for $select. */
function contextUrl(ctx: RequestContext, fragment: string): string {
  const select = selectList(ctx);
  if (select) {
    const cut = fragment.endsWith("/$entity") ? fragment.length - "/$entity".length : fragment.length;
    fragment = `${fragment.slice(0, cut)}(${select.join(",")})${fragment.slice(cut)}`;
  }
  return `${ctx.base}/$metadata#${fragment}`;
}

/** A single entity with `@odata.context` first, as Graph serialises it. */
export function entity(ctx: RequestContext, fragment: string, item: object, defaults?: Projection): Reply {
  const rest: GraphObject = { ...(item as GraphObject) };
  delete rest["@odata.context"];
  return { status: 200, body: { "@odata.context": contextUrl(ctx, `${fragment}/$entity`), ...project(ctx, rest, defaults) } };
}

export interface CollectionOptions {
  kind: CollectionKind;
  /** Metadata fragment, e.g. `users` or `servicePrincipals('id')/appRoleAssignedTo`. */
  context: string;
  /** Projection when there is no $select (user default properties). */
  defaults?: Projection;
}

/** A collection response with $filter, $orderby, $count, paging and $select applied in Graph's order. */
export function collection(ctx: RequestContext, items: readonly object[], opts: CollectionOptions): Reply {
  const { kind } = opts;
  if (option(ctx, "$search") !== undefined) throw unsupported("$search is not supported by the emulator.");
  let list = filterItems(ctx, items as readonly GraphObject[], kind);
  list = orderItems(ctx, list, kind);
  const body: GraphObject = { "@odata.context": contextUrl(ctx, opts.context) };
  const count = option(ctx, "$count");
  if (count !== undefined && count.toLowerCase() === "true" && kind === "directory") {
    if (!eventual(ctx)) throw new GraphFault(400, "Request_BadRequest", "$count is not currently supported.");
    body["@odata.count"] = list.length;
  }
  let page = list;
  if (kind !== "plain") {
    const size = pageSize(ctx, kind);
    const key = { tenantId: ctx.tenantId, version: ctx.version, path: ctx.segments.join("/"), query: ctx.query };
    const token = option(ctx, "$skiptoken");
    const offset = token === undefined ? 0 : ctx.tokens.read(key, token, kind === "directory" ? "Directory_ExpiredPageToken" : "BadRequest");
    if (token !== undefined) delete body["@odata.count"];
    page = list.slice(offset, offset + size);
    if (offset + size < list.length) body["@odata.nextLink"] = nextLink(ctx.base, ctx.rawPath, ctx.rawQuery, ctx.tokens.issue(key, offset + size));
  }
  body.value = page.map((item) => project(ctx, item, opts.defaults));
  return { status: 200, body };
}

function eventual(ctx: RequestContext): boolean {
  return (ctx.headers["consistencylevel"] ?? "").toLowerCase() === "eventual";
}

function unsupported(message: string): GraphFault {
  return new GraphFault(400, "Request_UnsupportedQuery", message);
}

function filterItems(ctx: RequestContext, items: readonly GraphObject[], kind: CollectionKind): readonly GraphObject[] {
  const text = option(ctx, "$filter");
  if (text === undefined) return items;
  let filter;
  try {
    filter = parseFilter(text);
  } catch (err) {
    if (err instanceof FilterError) throw unsupported(`Invalid filter clause: ${err.message}`);
    throw err;
  }
  // Directory objects only accept ne/not/endswith as an "advanced query" (ConsistencyLevel: eventual + $count=true).
  if (filter.advanced && kind === "directory" && !(eventual(ctx) && option(ctx, "$count")?.toLowerCase() === "true")) {
    throw unsupported("Unsupported or invalid query filter clause specified: ne, not and endsWith need ConsistencyLevel: eventual and $count=true.");
  }
  const caseInsensitive = kind !== "provisioning";
  return items.filter((item) => matchesFilter(filter, item, { caseInsensitive }));
}

function orderItems(ctx: RequestContext, items: readonly GraphObject[], kind: CollectionKind): readonly GraphObject[] {
  const raw = option(ctx, "$orderby") ?? (kind === "provisioning" ? "activityDateTime desc" : undefined);
  if (raw === undefined) return items;
  const keys = raw.split(",").map((part) => {
    const m = /^\s*([A-Za-z_][\w/]*)\s*(asc|desc)?\s*$/i.exec(part);
    if (!m) throw unsupported(`Invalid $orderby '${raw}'.`);
    return { path: (m[1] as string).split("/"), desc: (m[2] ?? "asc").toLowerCase() === "desc" };
  });
  const value = (item: GraphObject, path: string[]): unknown => {
    let v: unknown = item;
    for (const seg of path) v = v !== null && typeof v === "object" ? (v as GraphObject)[seg] : undefined;
    if (typeof v === "string" && /^\d{4}-\d{2}-\d{2}T/.test(v)) return Date.parse(v);
    return typeof v === "string" ? v.toLowerCase() : v;
  };
  return [...items].sort((a, b) => {
    for (const { path, desc } of keys) {
      const x = value(a, path);
      const y = value(b, path);
      if (x === y) continue;
      // Nulls sort first ascending, as Graph does.
      const cmp = x === undefined || x === null ? -1 : y === undefined || y === null ? 1 : (x as number) < (y as number) ? -1 : 1;
      return desc ? -cmp : cmp;
    }
    return 0;
  });
}

function pageSize(ctx: RequestContext, kind: "directory" | "provisioning"): number {
  const raw = option(ctx, "$top");
  let top: number = DEFAULT_PAGE[kind];
  if (raw !== undefined) {
    const n = Number(raw);
    if (!/^\d+$/.test(raw.trim()) || n < 1 || (kind === "directory" && n > MAX_TOP.directory)) {
      throw new GraphFault(400, "Request_BadRequest", `Invalid page size specified: '${raw}'. Must be between 1 and ${MAX_TOP[kind]} inclusive.`);
    }
    top = Math.min(n, MAX_TOP[kind]);
  }
  return Math.min(top, ctx.limits[kind]);
}
