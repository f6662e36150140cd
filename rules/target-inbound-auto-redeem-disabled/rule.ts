// Target tenant: the partner record for the source must allow inbound automatic redemption.
import { consentBody, documented, patchPartner } from "../../src/engine/fix-recipes.js";
import { defineRule } from "../../src/engine/define.js";

export default defineRule({
  id: "target-inbound-auto-redeem-disabled",
  title: "Target tenant does not automatically redeem invitations from the source",
  severity: "critical",
  side: "target",
  area: "policies",
  symptom:
    'Test connection fails with AzureActiveDirectoryCrossTenantSyncPolicyCheckFailure ("The target tenant has not enabled inbound synchronization with this tenant…") or AzureDirectoryB2BManagementPolicyCheckFailure ("Policy permitting auto-redemption of invitations not configured."); synchronized users would otherwise get consent prompts.',
  cause:
    "The target tenant's partner record for the source must have inbound automatic redemption ('Automatically redeem invitations with the tenant' under Inbound access → Trust settings) checked. Unless configured it is null and inherits the default, which is always false.",
  detection:
    "Reads the target's partner record for the source tenant. Fails when the record is missing or automaticUserConsentSettings.inboundAllowed is not true.",
  messages: {
    missing: "The target tenant has no cross-tenant access partner record for the source tenant {{sourceTenantId}}, so inbound automatic redemption is off.",
    disabled: "The target tenant's partner record for {{sourceTenantId}} has automaticUserConsentSettings.inboundAllowed = {{value}}; it must be true.",
  },
  fix: {
    summary:
      "In the target tenant, check 'Automatically redeem invitations with the tenant' under Inbound access → Trust settings for the source organization.",
    portal:
      "Target tenant: Entra admin center → Entra ID → External Identities → Cross-tenant access settings → Organizational settings → (source tenant) → Inbound access → Trust settings → check 'Automatically redeem invitations with the tenant {sourceTenantId}' → Save",
    graph: [documented(patchPartner("target"), consentBody("inboundAllowed"))],
    powershell:
      'Connect-MgGraph -TenantId "{targetTenantId}" -Scopes "Policy.ReadWrite.CrossTenantAccess"\nUpdate-MgPolicyCrossTenantAccessPolicyPartner -CrossTenantAccessPolicyConfigurationPartnerTenantId "{sourceTenantId}" -AutomaticUserConsentSettings @{ InboundAllowed = $true }',
  },
  references: [
    {
      title: "Configure cross-tenant synchronization — Step 3: Automatically redeem invitations in the target tenant",
      url: "https://learn.microsoft.com/entra/identity/multi-tenant-organizations/cross-tenant-synchronization-configure#step-3-automatically-redeem-invitations-in-the-target-tenant",
    },
    {
      title: "crossTenantAccessPolicyConfigurationPartner resource type",
      url: "https://learn.microsoft.com/graph/api/resources/crosstenantaccesspolicyconfigurationpartner",
    },
  ],
  needs: ["target.partner"],
  check(pair, ctx) {
    const partner = pair.get("target.partner");
    const sourceTenantId = pair.source.tenantId;
    const object = { id: sourceTenantId, type: "policy" as const, displayName: `Target partner record for ${sourceTenantId}` };
    if (!partner) {
      ctx.report({ messageId: "missing", data: { sourceTenantId }, objects: [object], evidence: { partnerRecord: null } });
      return;
    }
    const value = partner.automaticUserConsentSettings?.inboundAllowed ?? null;
    if (value !== true) {
      ctx.report({
        messageId: "disabled",
        data: { sourceTenantId, value: String(value) },
        objects: [object],
        evidence: { "automaticUserConsentSettings.inboundAllowed": value },
      });
    }
  },
});
