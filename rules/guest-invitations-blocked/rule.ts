// Target tenant: guest invite settings "none" make every create fail with AzureActiveDirectoryForbidden.
import { defineRule } from "../../src/engine/define.js";
import type { AffectedObject } from "../../src/engine/types.js";
import { logErrorCode } from "../../src/model/signals.js";
import type { ProvisioningLogEntry } from "../../src/snapshot/graph-types.js";

/** The code the service emits (docs also print "Microsoft Entra ID Forbidden"; logErrorCode folds the spellings). */
export const FORBIDDEN = "AzureActiveDirectoryForbidden";

/** Entry ids listed in the evidence; the total is always given. */
const MAX_ENTRY_IDS = 50;

const time = (e: ProvisioningLogEntry): number => Date.parse(e.activityDateTime) || 0;

interface Failures {
  entries: ProvisioningLogEntry[];
  users: AffectedObject[];
}

/** Forbidden failures of objects whose latest log entry is still that failure (a later success means provisioned). */
function forbiddenFailures(logs: readonly ProvisioningLogEntry[]): Failures {
  const byObject = new Map<string, ProvisioningLogEntry[]>();
  for (const e of logs) {
    const id = e.sourceIdentity?.id;
    if (id) byObject.set(id, [...(byObject.get(id) ?? []), e]);
  }
  const entries: ProvisioningLogEntry[] = [];
  const users: AffectedObject[] = [];
  for (const [id, list] of byObject) {
    const sorted = [...list].sort((a, b) => time(a) - time(b));
    if (logErrorCode(sorted[sorted.length - 1]!) !== FORBIDDEN) continue;
    const failed = sorted.filter((e) => logErrorCode(e) === FORBIDDEN);
    entries.push(...failed);
    const last = failed[failed.length - 1]!;
    const upn = last.sourceIdentity?.details?.["UserPrincipalName"];
    users.push({
      id,
      type: (last.sourceIdentity?.identityType ?? "User").toLowerCase() === "group" ? "group" : "user",
      displayName: last.sourceIdentity?.displayName || id,
      ...(upn ? { userPrincipalName: upn } : {}),
    });
  }
  entries.sort((a, b) => time(a) - time(b));
  users.sort((a, b) => a.displayName.localeCompare(b.displayName) || a.id.localeCompare(b.id));
  return { entries, users };
}

export default defineRule({
  id: "guest-invitations-blocked",
  title: "Target tenant blocks guest invitations, so users cannot be created",
  severity: "critical",
  side: "target",
  area: "policies",
  symptom:
    "Users in scope fail to provision with error AzureActiveDirectoryForbidden (docs also print \"Microsoft Entra ID Forbidden\"). The provisioning logs details include the following error message: `Guest invitations not allowed for your company. Contact your company administrator for more details.`",
  cause:
    "The Guest invite settings in the target tenant are configured with the most restrictive setting: \"No one in the organization can invite guest users including admins (most restrictive)\" (authorizationPolicy.allowInvitesFrom = none, also the default in US Government clouds). Cross-tenant synchronization creates B2B users through an invitation, so every create fails.",
  detection:
    "Reads the target's authorizationPolicy and, when collected, the provisioning logs. Fails when allowInvitesFrom is 'none', or when objects still fail (their latest entry) with AzureActiveDirectoryForbidden in any of its spellings.",
  messages: {
    blocked:
      "The target tenant {{targetTenantId}} has authorizationPolicy.allowInvitesFrom = none ('No one in the organization can invite guest users including admins'), so cross-tenant synchronization cannot create users; {{failedCount}} object(s) failed with AzureActiveDirectoryForbidden in the logs.",
    forbiddenInLogs:
      "{{failedCount}} object(s) still fail with AzureActiveDirectoryForbidden ('Guest invitations not allowed for your company') although the target's allowInvitesFrom is now {{value}}: check the target's external collaboration settings (collaboration restrictions) and re-provision the users (on demand or at the next cycle).",
  },
  fix: {
    summary:
      "In the target tenant, change the Guest invite settings to any setting less restrictive than 'No one in the organization can invite guest users including admins' (the tenant default is 'Anyone in the organization can invite', everyone), then let the next cycle (or on-demand provisioning) create the failed users.",
    portal:
      "Target tenant: Entra admin center → Entra ID → External Identities → External collaboration settings → Guest invite settings → choose a setting other than 'No one in the organization can invite guest users including admins (most restrictive)' → Save",
    graph: [
      {
        tenant: "target",
        method: "PATCH",
        url: "/v1.0/policies/authorizationPolicy",
        body: { allowInvitesFrom: "adminsAndGuestInviters" },
        permission: "Policy.ReadWrite.Authorization",
      },
    ],
    powershell:
      'Connect-MgGraph -TenantId "{targetTenantId}" -Scopes "Policy.ReadWrite.Authorization"\nUpdate-MgPolicyAuthorizationPolicy -AllowInvitesFrom "adminsAndGuestInviters"',
  },
  references: [
    { title: "Configure cross-tenant synchronization — Troubleshoot: users fail to provision with error AzureActiveDirectoryForbidden", url: "https://learn.microsoft.com/entra/identity/multi-tenant-organizations/cross-tenant-synchronization-configure#troubleshoot-common-cross-tenant-synchronization-scenarios" },
    { title: "Configure external collaboration settings", url: "https://learn.microsoft.com/entra/external-id/external-collaboration-settings-configure" },
    { title: "Update authorizationPolicy", url: "https://learn.microsoft.com/graph/api/authorizationpolicy-update" },
  ],
  needs: ["target.authorizationPolicy"],
  uses: ["source.provisioningLogs"],
  check(pair, ctx) {
    const targetTenantId = pair.target.tenantId;
    const value = pair.get("target.authorizationPolicy").allowInvitesFrom ?? null;
    const logs = pair.maybe("source.provisioningLogs");
    const { entries, users } = forbiddenFailures(logs ?? []);
    const blocked = typeof value === "string" && value.toLowerCase() === "none";
    if (!blocked && entries.length === 0) return;

    const policy: AffectedObject = { id: targetTenantId, type: "policy", displayName: `Target authorization policy (${targetTenantId})` };
    const evidence: Record<string, unknown> = {
      "authorizationPolicy.allowInvitesFrom": value,
      provisioningLogsChecked: logs !== undefined,
      ...(entries.length
        ? {
            errorCode: FORBIDDEN,
            failedEntries: entries.length,
            logEntryIds: entries.slice(0, MAX_ENTRY_IDS).map((e) => e.id),
            firstSeen: entries[0]!.activityDateTime,
            lastSeen: entries[entries.length - 1]!.activityDateTime,
            reason: entries[entries.length - 1]!.provisioningStatusInfo?.errorInformation?.reason ?? null,
          }
        : {}),
    };
    ctx.report({
      messageId: blocked ? "blocked" : "forbiddenInLogs",
      data: { targetTenantId, value: String(value), failedCount: users.length },
      ...(entries.length ? { errorCode: FORBIDDEN } : {}),
      objects: [policy, ...users],
      evidence,
    });
  },
});
