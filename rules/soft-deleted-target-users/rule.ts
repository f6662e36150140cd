// Target tenant: synchronized users deleted in the target are not restored by cross-tenant synchronization.
import { defineRule } from "../../src/engine/define.js";
import { requireConfiguration } from "../../src/engine/preconditions.js";
import { correlateUsers } from "../../src/model/correlate.js";
import { isExternalUser } from "../../src/model/external-user.js";
import { scopeOf } from "../../src/model/scope.js";
import { REFERENCES } from "../references.js";

export default defineRule({
  id: "soft-deleted-target-users",
  title: "In-scope users are soft-deleted in the target and will not be restored",
  severity: "medium",
  side: "target",
  area: "users",
  symptom:
    "Recently deleted user in the target tenant is not restored: after soft deleting a synchronized user in the target tenant, the user isn't restored during the next synchronization cycle. If you try to soft delete a user with on-demand provisioning and then restore the user, it can result in duplicate users.",
  cause:
    "Restoring a previously soft-deleted user in the target tenant isn't supported by cross-tenant synchronization; on-demand provisioning does not restore it either and can create a duplicate.",
  detection:
    "Correlates in-scope source users with the target's soft-deleted users (mail, otherMails, #EXT# UPN prefix after the deleted-item id prefix) and fails for each deleted target user whose source user has no live counterpart in the target.",
  messages: {
    deleted:
      "Target user {{targetUpn}} ({{targetId}}), deleted on {{deletedDateTime}}, corresponds to in-scope source user {{sourceUpn}}; cross-tenant synchronization will not restore it. Restore it by hand in the target tenant (do not use on-demand provisioning, which can create a duplicate).",
  },
  fix: {
    summary: "In the target tenant, restore each listed soft-deleted user by hand (within 30 days of deletion); the next cycle then updates it again.",
    portal: "Target tenant: Entra admin center → Entra ID → Users → Deleted users → select the user → Restore users",
    graph: [
      {
        tenant: "target",
        method: "POST",
        url: "/v1.0/directory/deletedItems/{userId}/restore",
        permission: "User.ReadWrite.All",
      },
    ],
    powershell: 'Connect-MgGraph -TenantId "{targetTenantId}" -Scopes "User.ReadWrite.All"\nRestore-MgDirectoryDeletedItem -DirectoryObjectId "{userId}"',
  },
  references: [
    {
      title: "Configure cross-tenant synchronization — Troubleshoot: recently deleted user in the target tenant is not restored",
      url: "https://learn.microsoft.com/entra/identity/multi-tenant-organizations/cross-tenant-synchronization-configure#troubleshoot-common-cross-tenant-synchronization-scenarios",
    },
    { title: "Restore or remove a recently deleted user", url: "https://learn.microsoft.com/entra/fundamentals/users-restore" },
    { title: "Restore deleted item (directory object)", url: "https://learn.microsoft.com/graph/api/directory-deleteditems-restore" },
    REFERENCES.onDemandLimitations,
  ],
  needs: ["source.syncServicePrincipals", "source.syncAssignments", "source.users", "target.users", "target.deletedUsers"],
  uses: ["source.groupMembers", "source.syncSecrets", "target.organization"],
  check(pair, ctx) {
    const config = requireConfiguration(pair, ctx);
    const scope = scopeOf(pair, config);
    // Guests and external users of the source are never synchronized, so their deleted copies are not CTS users.
    const sourceUsers = [...scope.users.values()].filter((u) => !isExternalUser(u));
    const correlations = correlateUsers(sourceUsers, pair.get("target.users"), pair.get("target.deletedUsers"));

    for (const { source, target, deleted } of correlations) {
      // A live counterpart means the user exists in the target again; the deleted copy is only a leftover.
      if (!deleted || target) continue;
      ctx.report({
        messageId: "deleted",
        data: {
          targetUpn: deleted.userPrincipalName ?? deleted.id,
          targetId: deleted.id,
          deletedDateTime: deleted.deletedDateTime ?? "an unknown date",
          sourceUpn: source.userPrincipalName ?? source.id,
        },
        objects: [
          {
            id: deleted.id,
            type: "user",
            displayName: deleted.displayName ?? deleted.id,
            ...(deleted.userPrincipalName ? { userPrincipalName: deleted.userPrincipalName } : {}),
          },
        ],
        evidence: {
          deletedDateTime: deleted.deletedDateTime ?? null,
          targetUserPrincipalName: deleted.userPrincipalName ?? null,
          targetMail: deleted.mail ?? null,
          sourceUserId: source.id,
          sourceUserPrincipalName: source.userPrincipalName ?? null,
          sourceMail: source.mail ?? null,
          inScopeBy: scope.reason(source.id) ?? null,
          restore: { method: "POST", url: `/v1.0/directory/deletedItems/${deleted.id}/restore` },
        },
      });
    }
  },
});
