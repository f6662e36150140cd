// Source tenant: the partner record for the target must allow outbound automatic redemption.
import { consentBody, documented, patchPartner } from "../../src/engine/fix-recipes.js";
import { defineRule } from "../../src/engine/define.js";

export default defineRule({
  id: "source-outbound-auto-redeem-disabled",
  title: "Source tenant does not automatically redeem invitations for the target",
  severity: "critical",
  side: "source",
  area: "policies",
  symptom:
    'Test connection fails with AzureActiveDirectoryCrossTenantSyncPolicyCheckFailure: "The source tenant has not enabled automatic user consent with the target tenant. Please enable the outbound cross-tenant access policy for automatic user consent in the source tenant." (older name: AzureDirectoryB2BManagementPolicyCheckFailure, "Policy permitting auto-redemption of invitations not configured.")',
  cause:
    "Cross-tenant synchronization needs the source tenant's cross-tenant access settings to have an organizational (partner) record for the target tenant with outbound automatic redemption ('Automatically redeem invitations with the tenant') checked. The default settings can never allow it.",
  detection:
    "Reads the source's partner record for the target tenant. Fails when the record is missing or automaticUserConsentSettings.outboundAllowed is not true.",
  messages: {
    missing:
      "The source tenant has no cross-tenant access partner record for the target tenant {{targetTenantId}}, so outbound automatic redemption is off (the default is always false).",
    disabled: "The source tenant's partner record for {{targetTenantId}} has automaticUserConsentSettings.outboundAllowed = {{value}}; it must be true.",
  },
  fix: {
    summary:
      "In the source tenant, add the target as an organization in cross-tenant access settings and check 'Automatically redeem invitations with the tenant' under Outbound access → Trust settings.",
    portal:
      "Source tenant: Entra admin center → Entra ID → External Identities → Cross-tenant access settings → Organizational settings → (add the target tenant if missing) → Outbound access → Trust settings → check 'Automatically redeem invitations with the tenant {targetTenantId}' → Save",
    graph: [documented(patchPartner("source"), consentBody("outboundAllowed"))],
    powershell:
      'Connect-MgGraph -TenantId "{sourceTenantId}" -Scopes "Policy.ReadWrite.CrossTenantAccess"\n# if the partner record does not exist yet:\n# New-MgPolicyCrossTenantAccessPolicyPartner -TenantId "{targetTenantId}"\nUpdate-MgPolicyCrossTenantAccessPolicyPartner -CrossTenantAccessPolicyConfigurationPartnerTenantId "{targetTenantId}" -AutomaticUserConsentSettings @{ OutboundAllowed = $true }',
  },
  references: [
    {
      title: "Configure cross-tenant synchronization — Step 4: Automatically redeem invitations in the source tenant",
      url: "https://learn.microsoft.com/entra/identity/multi-tenant-organizations/cross-tenant-synchronization-configure#step-4-automatically-redeem-invitations-in-the-source-tenant",
    },
    {
      title: "Configure cross-tenant synchronization using Microsoft Graph — troubleshooting",
      url: "https://learn.microsoft.com/entra/identity/multi-tenant-organizations/cross-tenant-synchronization-configure-graph#troubleshooting-tips",
    },
  ],
  needs: ["source.partner"],
  check(pair, ctx) {
    const partner = pair.get("source.partner");
    const targetTenantId = pair.target.tenantId;
    const object = { id: targetTenantId, type: "policy" as const, displayName: `Source partner record for ${targetTenantId}` };
    if (!partner) {
      ctx.report({ messageId: "missing", data: { targetTenantId }, objects: [object], evidence: { partnerRecord: null } });
      return;
    }
    const value = partner.automaticUserConsentSettings?.outboundAllowed ?? null;
    if (value !== true) {
      ctx.report({
        messageId: "disabled",
        data: { targetTenantId, value: String(value) },
        objects: [object],
        evidence: { "automaticUserConsentSettings.outboundAllowed": value },
      });
    }
  },
});
