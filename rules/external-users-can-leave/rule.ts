// Target tenant: external users may leave the organization, and in-scope users who leave are provisioned again.
import { defineRule } from "../../src/engine/define.js";

export default defineRule({
  id: "external-users-can-leave",
  title: "Synchronized users can leave the target tenant and are provisioned again",
  severity: "info",
  side: "target",
  area: "policies",
  symptom:
    "Users provisioned by cross-tenant synchronization remove themselves from the target organization ('Leave organization') and reappear in the target after the next provisioning cycle.",
  cause:
    "Even though users are being provisioned in the target tenant, they still might be able to remove themselves. If users remove themselves and they are in scope, they'll be provisioned again during the next provisioning cycle. The target's External user leave settings (externalIdentitiesPolicy.allowExternalIdentitiesToLeave) allow it; the setting also applies to B2B collaboration and B2B direct connect users.",
  detection:
    "Reads the target's externalIdentitiesPolicy (beta). Fails when allowExternalIdentitiesToLeave is true, or not set (the tenant default lets external users leave).",
  messages: {
    allowed:
      "The target tenant {{targetTenantId}} has externalIdentitiesPolicy.allowExternalIdentitiesToLeave = true: synchronized users can leave the organization and are provisioned again at the next cycle while they are in scope.",
    unset:
      "The target tenant {{targetTenantId}} does not set externalIdentitiesPolicy.allowExternalIdentitiesToLeave (the default lets external users leave): synchronized users can leave the organization and are provisioned again at the next cycle while they are in scope.",
  },
  fix: {
    summary:
      "If you want to disallow the ability for users to remove themselves from your organization, set External user leave settings to No in the target tenant (this also applies to B2B collaboration and B2B direct connect users).",
    portal:
      "Target tenant: Entra admin center → Entra ID → External Identities → External collaboration settings → External user leave settings → Allow external users to remove themselves from your organization: No → Save",
    graph: [
      {
        tenant: "target",
        method: "PATCH",
        url: "/beta/policies/externalIdentitiesPolicy",
        body: { allowExternalIdentitiesToLeave: false },
        permission: "Policy.ReadWrite.ExternalIdentities",
      },
    ],
    powershell:
      'Connect-MgGraph -TenantId "{targetTenantId}" -Scopes "Policy.ReadWrite.ExternalIdentities"\nInvoke-MgGraphRequest -Method PATCH -Uri "https://graph.microsoft.com/beta/policies/externalIdentitiesPolicy" -Body \'{"allowExternalIdentitiesToLeave":false}\'',
  },
  references: [
    {
      title: "Configure cross-tenant synchronization — Step 14: Configure leave settings",
      url: "https://learn.microsoft.com/entra/identity/multi-tenant-organizations/cross-tenant-synchronization-configure#step-14-configure-leave-settings",
    },
    {
      title: "Leave an organization as an external user — more information for administrators",
      url: "https://learn.microsoft.com/entra/external-id/leave-the-organization#more-information-for-administrators",
    },
    { title: "Update externalIdentitiesPolicy (beta)", url: "https://learn.microsoft.com/graph/api/externalidentitiespolicy-update?view=graph-rest-beta" },
  ],
  needs: ["target.externalIdentitiesPolicy"],
  check(pair, ctx) {
    const targetTenantId = pair.target.tenantId;
    const value = pair.get("target.externalIdentitiesPolicy").allowExternalIdentitiesToLeave;
    if (value === false) return;
    ctx.report({
      messageId: value === true ? "allowed" : "unset",
      data: { targetTenantId },
      objects: [{ id: targetTenantId, type: "policy", displayName: `Target external identities policy (${targetTenantId})` }],
      evidence: { "externalIdentitiesPolicy.allowExternalIdentitiesToLeave": value ?? null },
    });
  },
});
