// Target tenant: the partner record for the source must allow inbound user synchronization.
import { documented, identitySync, syncAllowedBody } from "../../src/engine/fix-recipes.js";
import { defineRule } from "../../src/engine/define.js";
import { REFERENCES } from "../references.js";

export default defineRule({
  id: "target-inbound-sync-disabled",
  title: "Target tenant does not allow users to sync in from the source",
  severity: "critical",
  side: "target",
  area: "policies",
  symptom:
    'Test connection fails with AzureActiveDirectoryCrossTenantSyncPolicyCheckFailure: "The target tenant has not enabled inbound synchronization with this tenant. Please request the target tenant admin to enable the inbound synchronization on their cross-tenant access policy."',
  cause:
    "The target tenant must have an organizational (partner) record for the source tenant whose cross-tenant sync setting ('Allow users sync into this tenant', identitySynchronization.userSyncInbound.isSyncAllowed) is enabled. Without it the source's configuration cannot provision anyone.",
  detection:
    "Reads the target's partner record for the source tenant and its identitySynchronization policy. Fails when either is missing or userSyncInbound.isSyncAllowed is not true.",
  messages: {
    noPartner:
      "The target tenant has no cross-tenant access partner record for the source tenant {{sourceTenantId}}, so inbound synchronization is not allowed.",
    noPolicy:
      "The target tenant's partner record for {{sourceTenantId}} has no cross-tenant sync (identitySynchronization) policy, so inbound synchronization is not allowed.",
    disabled: "The target tenant's cross-tenant sync policy for {{sourceTenantId}} has userSyncInbound.isSyncAllowed = {{value}}; it must be true.",
  },
  fix: {
    summary:
      "In the target tenant, add the source as an organization in cross-tenant access settings and check 'Allow users sync into this tenant' under Inbound access → Cross-tenant sync. With Graph, PATCH the sync policy when it exists (a PUT over an existing policy is refused with 409 Request_MultipleObjectsWithSameKeyValue); PUT creates it only when its GET answers 404.",
    portal:
      "Target tenant: Entra admin center → Entra ID → External Identities → Cross-tenant access settings → Organizational settings → (add the source tenant if missing) → Inbound access → Cross-tenant sync → check 'Allow users sync into this tenant' → Save",
    graph: [
      documented(identitySync("PATCH", "v1.0"), syncAllowedBody(["userSyncInbound"])),
      documented(identitySync("PUT", "v1.0"), syncAllowedBody(["userSyncInbound"])),
    ],
    powershell:
      'Connect-MgGraph -TenantId "{targetTenantId}" -Scopes "Policy.ReadWrite.CrossTenantAccess"\n# if the partner record does not exist yet:\n# New-MgPolicyCrossTenantAccessPolicyPartner -TenantId "{sourceTenantId}"\n$uri = "https://graph.microsoft.com/v1.0/policies/crossTenantAccessPolicy/partners/{sourceTenantId}/identitySynchronization"\n# PATCH an existing policy (a PUT over it is refused with 409); PUT creates it only when the GET answers 404\n$method = "PATCH"\ntry { Invoke-MgGraphRequest -Method GET -Uri $uri | Out-Null } catch { if ($_.Exception.Response.StatusCode -ne "NotFound") { throw }; $method = "PUT" }\nInvoke-MgGraphRequest -Method $method -Uri $uri -Body \'{"userSyncInbound":{"isSyncAllowed":true}}\'',
  },
  references: [
    {
      title: "Configure cross-tenant synchronization — Step 2: Enable user synchronization in the target tenant",
      url: "https://learn.microsoft.com/entra/identity/multi-tenant-organizations/cross-tenant-synchronization-configure#step-2-enable-user-synchronization-in-the-target-tenant",
    },
    {
      title: "crossTenantIdentitySyncPolicyPartner resource type",
      url: "https://learn.microsoft.com/graph/api/resources/crosstenantidentitysyncpolicypartner",
    },
    REFERENCES.updateSyncPolicyPartner,
    REFERENCES.graphTroubleshootingSameKeyValue,
  ],
  needs: ["target.partner", "target.identitySynchronization"],
  check(pair, ctx) {
    const sourceTenantId = pair.source.tenantId;
    const partner = pair.get("target.partner");
    const policy = pair.get("target.identitySynchronization");
    const object = { id: sourceTenantId, type: "policy" as const, displayName: `Target partner record for ${sourceTenantId}` };
    if (!partner) {
      ctx.report({ messageId: "noPartner", data: { sourceTenantId }, objects: [object], evidence: { partnerRecord: null } });
      return;
    }
    if (!policy) {
      ctx.report({ messageId: "noPolicy", data: { sourceTenantId }, objects: [object], evidence: { identitySynchronization: null } });
      return;
    }
    const value = policy.userSyncInbound?.isSyncAllowed ?? null;
    if (value !== true) {
      ctx.report({
        messageId: "disabled",
        data: { sourceTenantId, value: String(value) },
        objects: [object],
        evidence: { "identitySynchronization.userSyncInbound.isSyncAllowed": value },
      });
    }
  },
});
