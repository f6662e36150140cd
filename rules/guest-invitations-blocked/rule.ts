// Target tenant: guest invite settings "none" make every create fail with AzureActiveDirectoryForbidden.
import { ALLOW_ADMIN_INVITES, documented, patchAuthorizationPolicy } from "../../src/engine/fix-recipes.js";
import { defineRule } from "../../src/engine/define.js";
import type { AffectedObject } from "../../src/engine/types.js";
import { withoutSuccesses } from "../../src/model/log-queries.js";

/** The code the service emits (docs also print "Microsoft Entra ID Forbidden"; logErrorCode folds the spellings). */
export const FORBIDDEN = "AzureActiveDirectoryForbidden";

/** Entry ids listed in the evidence; the total is always given. */
const MAX_ENTRY_IDS = 50;

export default defineRule({
  id: "guest-invitations-blocked",
  title: "Target tenant blocks guest invitations, so users cannot be created",
  severity: "critical",
  side: "target",
  area: "policies",
  symptom:
    'Users in scope fail to provision with error AzureActiveDirectoryForbidden (docs also print "Microsoft Entra ID Forbidden"). The provisioning logs details include the following error message: `Guest invitations not allowed for your company. Contact your company administrator for more details.`',
  cause:
    'The Guest invite settings in the target tenant are configured with the most restrictive setting: "No one in the organization can invite guest users including admins (most restrictive)" (authorizationPolicy.allowInvitesFrom = none, also the default in US Government clouds). Cross-tenant synchronization creates B2B users through an invitation, so every create fails.',
  detection:
    "Reads the target's authorizationPolicy and, when collected, the provisioning logs. Fails when allowInvitesFrom is 'none', or when objects still fail (their latest entry) with AzureActiveDirectoryForbidden in any of its spellings. Logs collected without successes cannot show that a failure was later fixed; the evidence then says logsCollectedWithoutSuccesses.",
  messages: {
    blocked:
      "The target tenant {{targetTenantId}} has authorizationPolicy.allowInvitesFrom = none ('No one in the organization can invite guest users including admins'), so cross-tenant synchronization cannot create users; {{failedCount}} object(s) failed with AzureActiveDirectoryForbidden in the logs.",
    blockedLogsUnread:
      "The target tenant {{targetTenantId}} has authorizationPolicy.allowInvitesFrom = none ('No one in the organization can invite guest users including admins'), so cross-tenant synchronization cannot create users; the provisioning logs were not collected, so the objects that failed are not counted.",
    forbiddenInLogs:
      "{{failedCount}} object(s) still fail with AzureActiveDirectoryForbidden ('Guest invitations not allowed for your company') although the target's allowInvitesFrom is now {{value}}: check the target's external collaboration settings (collaboration restrictions) and re-provision the users (on demand or at the next cycle).",
  },
  fix: {
    summary:
      "In the target tenant, change the Guest invite settings to any setting less restrictive than 'No one in the organization can invite guest users including admins' (the tenant default is 'Anyone in the organization can invite', everyone), then let the next cycle (or on-demand provisioning) create the failed users.",
    portal:
      "Target tenant: Entra admin center → Entra ID → External Identities → External collaboration settings → Guest invite settings → choose a setting other than 'No one in the organization can invite guest users including admins (most restrictive)' → Save",
    graph: [documented(patchAuthorizationPolicy, ALLOW_ADMIN_INVITES)],
    powershell:
      'Connect-MgGraph -TenantId "{targetTenantId}" -Scopes "Policy.ReadWrite.Authorization"\nUpdate-MgPolicyAuthorizationPolicy -AllowInvitesFrom "adminsAndGuestInviters"',
  },
  references: [
    {
      title: "Configure cross-tenant synchronization — Troubleshoot: users fail to provision with error AzureActiveDirectoryForbidden",
      url: "https://learn.microsoft.com/entra/identity/multi-tenant-organizations/cross-tenant-synchronization-configure#troubleshoot-common-cross-tenant-synchronization-scenarios",
    },
    { title: "Configure external collaboration settings", url: "https://learn.microsoft.com/entra/external-id/external-collaboration-settings-configure" },
    { title: "Update authorizationPolicy", url: "https://learn.microsoft.com/graph/api/authorizationpolicy-update" },
  ],
  needs: ["target.authorizationPolicy"],
  uses: ["source.provisioningLogs"],
  check(pair, ctx) {
    const targetTenantId = pair.target.tenantId;
    const value = pair.get("target.authorizationPolicy").allowInvitesFrom ?? null;
    const logs = pair.logs();
    // Forbidden failures of objects whose latest log entry is still that failure (a later success means provisioned).
    const failures = logs?.stillFailing(FORBIDDEN) ?? { count: 0, firstIds: [], objects: [] };
    const users: AffectedObject[] = [...failures.objects].sort((a, b) => a.displayName.localeCompare(b.displayName) || a.id.localeCompare(b.id));
    const blocked = typeof value === "string" && value.toLowerCase() === "none";
    if (!blocked && failures.count === 0) return;

    const policy: AffectedObject = { id: targetTenantId, type: "policy", displayName: `Target authorization policy (${targetTenantId})` };
    const evidence: Record<string, unknown> = {
      "authorizationPolicy.allowInvitesFrom": value,
      provisioningLogsChecked: logs !== undefined,
      ...(failures.count
        ? {
            errorCode: FORBIDDEN,
            failedEntries: failures.count,
            logEntryIds: failures.firstIds.slice(0, MAX_ENTRY_IDS),
            firstSeen: failures.firstSeen,
            lastSeen: failures.last?.activityDateTime,
            reason: failures.last?.reason ?? null,
            // Successes were not collected, so a later success cannot have cleared these: reported conservatively.
            ...(withoutSuccesses(pair.entry("source.provisioningLogs")) ? { logsCollectedWithoutSuccesses: true } : {}),
          }
        : {}),
    };
    ctx.report({
      messageId: blocked ? (logs ? "blocked" : "blockedLogsUnread") : "forbiddenInLogs",
      data: { targetTenantId, value: String(value), failedCount: users.length },
      ...(failures.count ? { errorCode: FORBIDDEN } : {}),
      objects: [policy, ...users],
      evidence,
    });
  },
});
