// Directory and report routes: users (by id or UPN), group members, deleted users, phone methods, provisioning logs.
import type { GraphObject, User } from "../snapshot/graph-types.js";
import type { RequestContext } from "./context.js";
import { collection, entity, userDefaults, type Projection } from "./odata.js";
import { notFound } from "./reply.js";
import { findBy, lookup, route, type Route } from "./route-table.js";

const USER_TYPE = "#microsoft.graph.user";

function findUser(users: readonly User[], idOrUpn: string): User | undefined {
  return findBy(users, "id", idOrUpn) ?? findBy(users, "userPrincipalName", idOrUpn);
}

/** Members come back with each type's default properties; users are the type whose defaults matter to us. */
const memberDefaults: Projection = (item) => (item["@odata.type"] === USER_TYPE ? userDefaults()(item) : item);

function members(ctx: RequestContext, groupId: string): GraphObject[] {
  const list = lookup(ctx.state.oneSided(ctx.side, "source.groupMembers"), groupId);
  if (!list) throw notFound(groupId);
  return list;
}

export const DIRECTORY_ROUTES: Route[] = [
  route("GET", "users", (ctx) => collection(ctx, ctx.state.sideFacet(ctx.side, "users"), { kind: "directory", context: "users", defaults: userDefaults() })),
  route("GET", "users/:id", (ctx, p) => {
    const user = findUser(ctx.state.sideFacet(ctx.side, "users"), p.id as string);
    if (!user) throw notFound(p.id as string);
    return entity(ctx, "users", user, userDefaults());
  }),
  route("GET", "users/:id/authentication/phoneMethods", (ctx, p) => {
    const idOrUpn = p.id as string;
    const all = ctx.state.oneSided(ctx.side, "source.phoneMethods");
    let entry = findBy(all, "userId", idOrUpn);
    if (!entry && ctx.state.has("source.users")) {
      const user = findUser(ctx.state.data["source.users"] ?? [], idOrUpn);
      if (user) entry = findBy(all, "userId", user.id);
    }
    if (!entry) throw notFound(idOrUpn);
    return collection(ctx, entry.value, { kind: "plain", context: `users('${entry.userId}')/authentication/phoneMethods` });
  }),
  route("GET", "groups/:id/members", (ctx, p) =>
    collection(ctx, members(ctx, p.id as string), { kind: "directory", context: "directoryObjects", defaults: memberDefaults }),
  ),
  route("GET", "groups/:id/members/microsoft.graph.user", (ctx, p) => {
    const users = members(ctx, p.id as string).filter((m) => m["@odata.type"] === USER_TYPE);
    return collection(ctx, users, { kind: "directory", context: "users", defaults: userDefaults() });
  }),
  route("GET", "directory/deletedItems/microsoft.graph.user", (ctx) =>
    collection(ctx, ctx.state.oneSided(ctx.side, "target.deletedUsers"), {
      kind: "directory",
      context: "directoryObjects/microsoft.graph.user",
      defaults: userDefaults("deletedDateTime"),
    }),
  ),
  route("GET", "directory/deletedItems/:id", (ctx, p) => {
    const user = findUser(ctx.state.oneSided(ctx.side, "target.deletedUsers"), p.id as string);
    if (!user) throw notFound(p.id as string);
    return entity(ctx, "directoryObjects", user, userDefaults("deletedDateTime"));
  }),
  route("GET", "auditLogs/provisioning", (ctx) =>
    collection(ctx, ctx.state.oneSided(ctx.side, "source.provisioningLogs"), { kind: "provisioning", context: "auditLogs/provisioning" }),
  ),
  route("GET", "auditLogs/provisioning/:id", (ctx, p) => {
    const entry = ctx.state.oneSided(ctx.side, "source.provisioningLogs").find((e) => e.id === p.id);
    if (!entry) throw notFound(p.id as string);
    return entity(ctx, "auditLogs/provisioning", entry);
  }),
];
