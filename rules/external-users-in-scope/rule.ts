// Source tenant: guests and external users assigned to the configuration are never synchronized.
import { defineRule } from "../../src/engine/define.js";
import { requireConfiguration } from "../../src/engine/preconditions.js";
import type { AffectedObject } from "../../src/engine/types.js";
import { externalReason } from "../../src/model/external-user.js";
import { scopeOf } from "../../src/model/scope.js";
import { REFERENCES } from "../references.js";

export default defineRule({
  id: "external-users-in-scope",
  title: "Guests or external users are assigned to the configuration",
  severity: "medium",
  side: "source",
  area: "users",
  symptom:
    "Users assigned to the configuration (directly or as direct members of an assigned group) never appear in the target tenant; their provisioning-log entries are skips by the scoping filter \"Filter external users.alternativeSecurityIds EQUALS 'None'\", although they have no SMS sign-in.",
  cause:
    'Cross-tenant synchronization only provisions internal members of the source tenant: "You can synchronize internal members from source tenants. You can\'t synchronize internal guests from source tenants", and it "syncs only users who are internal to the home/source tenant" so a user can never loop back. A guest, an invited (B2B) user or a user whose identity another tenant issues is skipped by design, whatever the assignment.',
  detection:
    "Evaluates the scope of the configuration for the target (direct assignments and direct members of assigned groups; Sync all users is left out, since it covers every guest of the tenant on purpose) over the collected source users, and fails for each in-scope user that is external: userType Guest, creationType Invitation, a UPN with #EXT#, or an identity issued by ExternalAzureAD.",
  messages: {
    external:
      '{{count}} user(s) assigned to configuration "{{configurationName}}" are guests or external users of the source tenant and are never synchronized: {{users}}. Synchronize them from their home tenant, or remove them from the assignment.',
  },
  fix: {
    summary:
      "Remove the listed users (or their membership in the assigned group) from the configuration's assignments; an external user is synchronized by a configuration in their home tenant, if at all.",
    portal:
      "Source tenant: Entra admin center → Entra ID → External Identities → Cross-tenant synchronization → Configurations → the configuration → Users and groups → select the user → Remove (or remove them from the assigned group)",
    graph: [
      {
        tenant: "source",
        method: "DELETE",
        url: "/v1.0/servicePrincipals/{servicePrincipalId}/appRoleAssignedTo/{appRoleAssignmentId}",
        permission: "AppRoleAssignment.ReadWrite.All",
      },
    ],
  },
  references: [
    {
      title: "Cross-tenant synchronization overview — What user types can I synchronize?",
      url: "https://learn.microsoft.com/entra/identity/multi-tenant-organizations/cross-tenant-synchronization-overview#what-user-types-can-i-synchronize",
    },
    REFERENCES.overviewMesh,
    REFERENCES.knownIssuesCrossTenant,
  ],
  needs: ["source.syncServicePrincipals", "source.syncAssignments", "source.users"],
  uses: ["source.groupMembers", "source.syncSecrets", "target.organization"],
  check(pair, ctx) {
    const config = requireConfiguration(pair, ctx);
    const scope = scopeOf(pair, config);
    const found = [...scope.users.values()]
      .map((user) => ({ user, why: externalReason(user), by: scope.syncAll ? undefined : scope.reason(user.id) }))
      .filter((x) => x.why !== undefined && x.by !== undefined)
      .sort((a, b) => (a.user.displayName ?? a.user.id).localeCompare(b.user.displayName ?? b.user.id) || a.user.id.localeCompare(b.user.id));
    if (found.length === 0) return;
    const objects: AffectedObject[] = found.map(({ user }) => ({
      id: user.id,
      type: "user",
      displayName: user.displayName ?? user.id,
      ...(user.userPrincipalName ? { userPrincipalName: user.userPrincipalName } : {}),
    }));
    ctx.report({
      messageId: "external",
      data: {
        count: found.length,
        configurationName: config.name,
        users: found.map(({ user, why }) => `${user.userPrincipalName ?? user.displayName ?? user.id} (${why})`).join(", "),
      },
      objects,
      evidence: {
        servicePrincipalId: config.servicePrincipal.id,
        users: found.map(({ user, why, by }) => ({
          userId: user.id,
          userType: user.userType ?? null,
          creationType: user.creationType ?? null,
          reason: why,
          inScopeBy: by,
        })),
      },
    });
  },
});
