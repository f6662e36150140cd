// Who the configuration in use covers: sync-all, direct assignments, direct members of assigned groups, nested groups.
import type { AppRoleAssignment, DirectoryObject, User } from "../snapshot/graph-types.js";
import { assignmentsOf, type SyncConfiguration } from "./configuration.js";
import type { FacetId } from "../snapshot/facets.js";
import type { Pair } from "./pair.js";

/** The facets scopeOf reads (a rule calling it declares them). */
export const SCOPE_READS = { scopeOf: ["source.syncAssignments", "source.groupMembers", "source.users"] } satisfies Record<string, readonly FacetId[]>;

export interface AssignedGroup {
  id: string;
  displayName: string;
  /** Direct user members: the only members CTS provisions. */
  userIds: string[];
  /** Groups nested in this one: their members are NOT in scope. */
  nestedGroups: DirectoryObject[];
}

export type ScopeReason = { kind: "sync-all" } | { kind: "assigned" } | { kind: "group"; groupId: string; groupName: string };

export interface Scope {
  syncAll: boolean;
  assignments: AppRoleAssignment[];
  directUserIds: string[];
  groups: AssignedGroup[];
  /** In-scope users as collected (source.users), by id. */
  users: Map<string, User>;
  /** Why a user is in scope, or undefined when it is not. */
  reason(userId: string): ScopeReason | undefined;
}

const isGroup = (o: DirectoryObject) => o["@odata.type"] === "#microsoft.graph.group";
const isUser = (o: DirectoryObject) => o["@odata.type"] === undefined || o["@odata.type"] === "#microsoft.graph.user";

/**
 * The scope of a configuration. Needs source.syncAssignments and source.users; source.groupMembers when groups are
 * assigned (a missing members facet leaves those groups with no known members).
 */
export function scopeOf(pair: Pair, config: SyncConfiguration): Scope {
  const assignments = assignmentsOf(pair, config);
  const members = pair.maybe("source.groupMembers") ?? {};
  const syncAll = config.syncAll === true;
  const directUserIds = assignments.filter((a) => a.principalType === "User").map((a) => a.principalId);
  const groups: AssignedGroup[] = assignments
    .filter((a) => a.principalType === "Group")
    .map((a) => {
      const list = members[a.principalId] ?? [];
      return {
        id: a.principalId,
        displayName: a.principalDisplayName ?? a.principalId,
        userIds: list.filter(isUser).map((m) => m.id),
        nestedGroups: list.filter(isGroup),
      };
    });
  const users = new Map((pair.maybe("source.users") ?? []).map((u) => [u.id, u]));
  const direct = new Set(directUserIds);
  // First assigned group holding each user (groups.find order), so reason() is a lookup at 100,000 users.
  const groupOf = new Map<string, AssignedGroup>();
  for (const g of groups) for (const id of g.userIds) if (!groupOf.has(id)) groupOf.set(id, g);
  return {
    syncAll,
    assignments,
    directUserIds,
    groups,
    users,
    reason(userId) {
      if (syncAll) return { kind: "sync-all" };
      if (direct.has(userId)) return { kind: "assigned" };
      const g = groupOf.get(userId);
      return g ? { kind: "group", groupId: g.id, groupName: g.displayName } : undefined;
    },
  };
}
