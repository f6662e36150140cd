// Routes trace-user reads: a user's app-role assignments and group memberships, group parents, target audit events.
import type { AppRoleAssignment, DirectoryObject, GraphObject, ProvisioningLogEntry } from "../snapshot/graph-types.js";
import type { RequestContext } from "./context.js";
import { collection } from "./odata.js";
import { notFound } from "./reply.js";
import { route, sameId, type Route } from "./route-table.js";

const USER_TYPE = "#microsoft.graph.user";
const GROUP_TYPE = "#microsoft.graph.group";
const SYNC_FABRIC = { appId: "00000014-0000-0000-c000-000000000000", displayName: "Microsoft.Azure.SyncFabric" };

/** The snapshot's member lists (assigned groups, plus any other group a hand-made snapshot lists). */
function memberLists(ctx: RequestContext): Record<string, DirectoryObject[]> {
  return ctx.state.oneSided(ctx.side, "source.groupMembers");
}

/** Resolve a user id or UPN to the object id, from the users and the member lists the snapshot holds. */
function userId(ctx: RequestContext, idOrUpn: string): string {
  const users: readonly GraphObject[] = ctx.state.has("source.users") ? (ctx.state.data["source.users"] ?? []) : [];
  const members = ctx.state.has("source.groupMembers") ? Object.values(ctx.state.data["source.groupMembers"] ?? {}).flat() : [];
  const hit = [...users, ...members.filter((m) => (m["@odata.type"] ?? USER_TYPE) === USER_TYPE)].find(
    (u) => sameId(u["id"] as string, idOrUpn) || sameId(u["userPrincipalName"] as string | undefined, idOrUpn),
  );
  if (!hit) throw notFound(idOrUpn);
  return hit["id"] as string;
}

/** Group display names: the assignment's principalDisplayName, else the group object inside another group's list. */
function groupNames(ctx: RequestContext): Map<string, string> {
  const names = new Map<string, string>();
  for (const list of Object.values(memberLists(ctx))) {
    for (const m of list) if (m["@odata.type"] === GROUP_TYPE && m.displayName) names.set(m.id.toLowerCase(), m.displayName);
  }
  if (ctx.state.has("source.syncAssignments")) {
    for (const list of Object.values(ctx.state.data["source.syncAssignments"] ?? {})) {
      for (const a of list) if (a.principalType === "Group" && a.principalDisplayName) names.set(a.principalId.toLowerCase(), a.principalDisplayName);
    }
  }
  return names;
}

/** Direct parents of an object: the groups whose member lists name it. */
function parents(ctx: RequestContext, id: string): GraphObject[] {
  const names = groupNames(ctx);
  return Object.entries(memberLists(ctx))
    .filter(([, list]) => list.some((m) => sameId(m.id, id)))
    .map(([gid]) => ({ "@odata.type": GROUP_TYPE, id: gid, displayName: names.get(gid.toLowerCase()) ?? null }));
}

/** As Graph does, a user's assignments include those of the groups the user is a direct member of. */
function assignmentsOf(ctx: RequestContext, id: string): AppRoleAssignment[] {
  const all = Object.values(ctx.state.oneSided(ctx.side, "source.syncAssignments")).flat();
  const groups = new Set(parents(ctx, id).map((g) => (g["id"] as string).toLowerCase()));
  return all.filter((a) => sameId(a.principalId, id) || (a.principalType === "Group" && groups.has(a.principalId.toLowerCase())));
}

/** The sync service's writes in the target, derived from the source's provisioning logs (it records both). */
function syncFabricAudits(ctx: RequestContext): GraphObject[] {
  if (ctx.side !== "target") return [];
  const logs: ProvisioningLogEntry[] = ctx.state.facet("source.provisioningLogs");
  const activity: Record<string, string> = { create: "Add user", update: "Update user", delete: "Delete user", disable: "Update user" };
  return logs
    .filter(
      (e) =>
        (e.sourceIdentity?.identityType ?? "User").toLowerCase() === "user" && e.targetIdentity?.id && activity[(e.provisioningAction ?? "").toLowerCase()],
    )
    .filter((e) => (e.provisioningStatusInfo?.status ?? "").toLowerCase() === "success")
    .map((e) => ({
      id: `SyncFabric_${e.id}`,
      category: "UserManagement",
      correlationId: e.changeId ?? e.id,
      result: "success",
      resultReason: "",
      activityDisplayName: activity[(e.provisioningAction ?? "").toLowerCase()],
      activityDateTime: e.activityDateTime,
      loggedByService: "Core Directory",
      operationType: (e.provisioningAction ?? "").toLowerCase() === "create" ? "Add" : "Update",
      initiatedBy: { user: null, app: { ...SYNC_FABRIC, servicePrincipalId: null, servicePrincipalName: null } },
      targetResources: [
        {
          id: e.targetIdentity?.id,
          displayName: e.targetIdentity?.displayName ?? null,
          type: "User",
          userPrincipalName: e.targetIdentity?.details?.["UserPrincipalName"] ?? null,
          modifiedProperties: [],
        },
      ],
      additionalDetails: [],
    }));
}

/** The target's admin, as the initiator of hand-made changes (a user, with `app: null`). */
function targetAdmin(ctx: RequestContext): GraphObject {
  const domain = ctx.state.sideFacet("target", "organization")[0]?.verifiedDomains?.find((d) => d.isInitial)?.name ?? "target.onmicrosoft.com";
  return { id: "0d9b7a3e-6c1f-4e2a-8b5d-3f4a2c1e9d70", displayName: "Target Admin", userPrincipalName: `admin@${domain}`, ipAddress: "203.0.113.10" };
}

/**
 * Invitations an admin sent by hand: external users the sync logs never wrote, with the shape of docs-contrib
 * `directoryaudit-list.md` Example 1 (`initiatedBy.user`, `app: null`). They share `targetResources` with the sync
 * service's events, so a client filtering on the target object alone must tell the initiators apart itself.
 */
function invitationAudits(ctx: RequestContext, synced: ReadonlySet<string>): GraphObject[] {
  if (ctx.side !== "target" || !ctx.state.has("target.users")) return [];
  const admin = targetAdmin(ctx);
  return (ctx.state.data["target.users"] ?? [])
    .filter((u) => u.creationType === "Invitation" && !synced.has(u.id.toLowerCase()))
    .map((u) => ({
      id: `Invite_${u.id}`,
      category: "UserManagement",
      correlationId: u.id,
      result: "success",
      resultReason: "",
      activityDisplayName: "Invite external user",
      activityDateTime: u.createdDateTime ?? u.externalUserStateChangeDateTime ?? "2025-01-01T00:00:00Z",
      loggedByService: "Invited Users",
      operationType: "Add",
      initiatedBy: { app: null, user: admin },
      targetResources: [{ id: u.id, displayName: u.displayName ?? null, type: "User", userPrincipalName: u.userPrincipalName ?? null, modifiedProperties: [] }],
      additionalDetails: [],
    }));
}

function targetAudits(ctx: RequestContext): GraphObject[] {
  const synced = syncFabricAudits(ctx);
  const ids = new Set(synced.flatMap((a) => (a["targetResources"] as { id: string }[]).map((t) => t.id.toLowerCase())));
  return [...synced, ...invitationAudits(ctx, ids)];
}

const groupsOnly = (items: GraphObject[]) => items.filter((g) => g["@odata.type"] === GROUP_TYPE);

export const TRACE_ROUTES: Route[] = [
  route("GET", "users/:id/appRoleAssignments", (ctx, p) =>
    collection(ctx, assignmentsOf(ctx, userId(ctx, p.id as string)), { kind: "directory", context: `users('${p.id}')/appRoleAssignments` }),
  ),
  route("GET", "users/:id/memberOf", (ctx, p) =>
    collection(ctx, parents(ctx, userId(ctx, p.id as string)), { kind: "directory", context: "directoryObjects" }),
  ),
  route("GET", "users/:id/memberOf/microsoft.graph.group", (ctx, p) =>
    collection(ctx, groupsOnly(parents(ctx, userId(ctx, p.id as string))), { kind: "directory", context: "groups" }),
  ),
  route("GET", "groups/:id/memberOf", (ctx, p) => collection(ctx, parents(ctx, p.id as string), { kind: "directory", context: "directoryObjects" })),
  route("GET", "groups/:id/memberOf/microsoft.graph.group", (ctx, p) =>
    collection(ctx, groupsOnly(parents(ctx, p.id as string)), { kind: "directory", context: "groups" }),
  ),
  route("GET", "auditLogs/directoryAudits", (ctx) => collection(ctx, targetAudits(ctx), { kind: "provisioning", context: "auditLogs/directoryAudits" })),
];
