// Target tenant: hand-invited B2B users still in PendingAcceptance are never joined, so their UPN is never updated.
import { documented, jobAction, provisionUserBody, recipePath } from "../../src/engine/fix-recipes.js";
import { defineRule } from "../../src/engine/define.js";
import { requireConfiguration } from "../../src/engine/preconditions.js";
import { jobOf, schemaOf, userRuleId } from "../../src/model/configuration.js";
import { correlateUsers, homeAddressFromUpn } from "../../src/model/correlate.js";
import { isExternalUser } from "../../src/model/external-user.js";
import { scopeOf } from "../../src/model/scope.js";
import { REFERENCES } from "../references.js";

const norm = (s: string | null | undefined): string | undefined => (s ? s.trim().toLowerCase() : undefined);

const ON_DEMAND = jobAction("provisionOnDemand");

export default defineRule({
  id: "pending-acceptance-upn-stale",
  title: "Invited users in pending acceptance keep a stale UPN",
  severity: "medium",
  side: "target",
  area: "users",
  symptom:
    "UserPrincipalName does not update for existing B2B users in pending acceptance state: the guest user in the target tenant was created with a UPN prefix from the source user's mail (user.mail_domain.com#EXT#@…) and, once the source user is in scope for cross-tenant sync, the UPN is not updated to match the source UPN (user.upn_otherdomain.com#EXT#@…) during incremental cycles; the change is ignored.",
  cause:
    "The B2B user which was manually invited into the target tenant didn't accept or redeem the invitation, so its state is pending acceptance and it has no alternativeSecurityIdentifier. Cross-tenant sync joins source and target users on that attribute, so it never matches the invited user and won't update its UPN. It happens when the UPN and mail of the source user differ, the user was invited before cross-tenant sync was enabled, never accepted, and is then brought into scope.",
  detection:
    "Correlates in-scope source users with the target's external users (mail, otherMails, #EXT# UPN prefix) and fails for each target user created by invitation with externalUserState PendingAcceptance whose source UPN differs from the source mail and is not the address the target UPN encodes.",
  messages: {
    stale:
      "Target user {{targetUpn}} ({{targetId}}) is a manually invited B2B user in PendingAcceptance matching source user {{sourceUpn}} (mail {{sourceMail}}); cross-tenant sync will not update its UPN to the source UPN until the user is provisioned on demand or provisioning is restarted.",
  },
  fix: {
    summary:
      "In the source tenant, run on-demand provisioning for each listed user (provisionOnDemand: 5 requests per 10 seconds; ruleId is the schema's user rule, given in the evidence with the exact request), or restart provisioning to update all of them (this triggers an initial cycle, which can take a long time for large tenants).",
    portal:
      "Source tenant: Entra admin center → Entra ID → External Identities → Cross-tenant synchronization → Configurations → (configuration) → Provision on demand → select the user → Provision (or Overview → Restart provisioning)",
    graph: [
      documented(ON_DEMAND, provisionUserBody("{ruleId}", "{userId}")),
      documented(jobAction("restart"), { criteria: { resetScope: "Watermark, Escrows, QuarantineState" } }),
    ],
    powershell: [
      "# List the manually invited users in pending acceptance state (target tenant):",
      'Connect-MgGraph -TenantId "{targetTenantId}" -Scopes "User.Read.All"',
      "$users = Get-MgUser -Filter \"userType eq 'Guest' and externalUserState eq 'PendingAcceptance'\"",
      '$users | Select-Object DisplayName, UserPrincipalName | Export-Csv "C:\\Temp\\GuestUsersPending.csv"',
      "# Provision each affected source user on demand (source tenant; at most 5 requests per 10 seconds):",
      'Connect-MgGraph -TenantId "{sourceTenantId}" -Scopes "Synchronization.ReadWrite.All"',
      '$params = @{ parameters = @( @{ ruleId = "{ruleId}"; subjects = @( @{ objectId = "{userId}"; objectTypeName = "User" } ) } ) }',
      'New-MgServicePrincipalSynchronizationJobOnDemand -ServicePrincipalId "{servicePrincipalId}" -SynchronizationJobId "{jobId}" -BodyParameter $params',
    ].join("\n"),
  },
  references: [
    {
      title: "Configure cross-tenant synchronization — Troubleshoot: UserPrincipalName does not update for existing B2B users in pending acceptance state",
      url: "https://learn.microsoft.com/entra/identity/multi-tenant-organizations/cross-tenant-synchronization-configure#troubleshoot-common-cross-tenant-synchronization-scenarios",
    },
    { title: "synchronizationJob: provisionOnDemand", url: "https://learn.microsoft.com/graph/api/synchronization-synchronizationjob-provisionondemand" },
    REFERENCES.onDemandLimitations,
  ],
  needs: ["source.syncServicePrincipals", "source.syncAssignments", "source.users", "target.users"],
  uses: ["source.groupMembers", "source.syncJobs", "source.syncSchemas", "source.syncSecrets", "target.organization"],
  check(pair, ctx) {
    const config = requireConfiguration(pair, ctx);
    const scope = scopeOf(pair, config);
    // Guests and external users of the source are never synchronized, so they cannot be joined either.
    const sourceUsers = [...scope.users.values()].filter((u) => !isExternalUser(u));
    const correlations = correlateUsers(sourceUsers, pair.get("target.users"));

    const servicePrincipalId = config.servicePrincipal.id;
    const job = pair.has("source.syncJobs") ? jobOf(pair, config) : undefined;
    const ruleId = job && pair.has("source.syncSchemas") ? userRuleId(schemaOf(pair, config, job)) : undefined;

    for (const { source, target, matchedBy } of correlations) {
      if (!target) continue;
      if (target.externalUserState?.toLowerCase() !== "pendingacceptance") continue;
      if (target.creationType?.toLowerCase() !== "invitation") continue;
      const upn = norm(source.userPrincipalName);
      const mail = norm(source.mail);
      if (!upn || !mail || upn === mail) continue;
      // Already carries the source UPN (e.g. invited with it): nothing left to update.
      if (homeAddressFromUpn(target.userPrincipalName) === upn) continue;
      ctx.report({
        messageId: "stale",
        data: {
          targetUpn: target.userPrincipalName ?? target.id,
          targetId: target.id,
          sourceUpn: source.userPrincipalName,
          sourceMail: source.mail,
        },
        objects: [
          {
            id: target.id,
            type: "user",
            displayName: target.displayName ?? target.id,
            ...(target.userPrincipalName ? { userPrincipalName: target.userPrincipalName } : {}),
          },
        ],
        evidence: {
          sourceUserId: source.id,
          sourceUserPrincipalName: source.userPrincipalName ?? null,
          sourceMail: source.mail ?? null,
          targetUserPrincipalName: target.userPrincipalName ?? null,
          targetUserType: target.userType ?? null,
          creationType: target.creationType ?? null,
          externalUserState: target.externalUserState ?? null,
          externalUserStateChangeDateTime: target.externalUserStateChangeDateTime ?? null,
          matchedBy: matchedBy ?? null,
          inScopeBy: scope.reason(source.id) ?? null,
          provisionOnDemand: {
            method: ON_DEMAND.method,
            url: `/${ON_DEMAND.version}${recipePath(ON_DEMAND, { servicePrincipalId, jobId: job?.id ?? "{jobId}" })}`,
            body: provisionUserBody(ruleId ?? "{ruleId}", source.id),
          },
        },
      });
    }
  },
});
