// Both tenants: across Microsoft clouds, each tenant's Microsoft cloud settings must list the other tenant's cloud.
import { defineRule } from "../../src/engine/define.js";
import { CLOUDS, sameCloud } from "../../src/config/clouds.js";
import { REFERENCES } from "../references.js";

export default defineRule({
  id: "cross-cloud-endpoints-missing",
  title: "A tenant's Microsoft cloud settings do not include the other tenant's cloud",
  severity: "critical",
  side: "both",
  area: "policies",
  symptom:
    "Cross-cloud synchronization cannot be set up or fails: the partner tenant in the other Microsoft cloud cannot be added under Organizational settings or the test connection fails, because collaboration with that cloud is not enabled on the Microsoft cloud settings tab.",
  cause:
    "Cross-cloud synchronization (Commercial → Azure Government, Azure Government → Commercial, Commercial → Azure China) requires both tenants to enable the other cloud on Cross-tenant access settings → Microsoft cloud settings (crossTenantAccessPolicy.allowedCloudEndpoints: microsoftonline.com, microsoftonline.us or partner.microsoftonline.cn). By default the list is empty.",
  detection:
    "For a pair whose tenants are in different clouds, reads each tenant's crossTenantAccessPolicy.allowedCloudEndpoints and reports each tenant whose list lacks the other tenant's cloud endpoint. Not applicable to same-cloud pairs (GCC High and DoD count as the same cloud).",
  messages: {
    missing:
      "The {{side}} tenant {{tenantId}} ({{cloud}}) does not list {{required}} in its Microsoft cloud settings (allowedCloudEndpoints = [{{current}}]), so it cannot collaborate with the {{otherSide}} tenant in {{otherCloud}}. Add {{required}}.",
  },
  fix: {
    summary:
      "In each tenant reported, enable the other tenant's cloud on Microsoft cloud settings. With Graph, PATCH allowedCloudEndpoints with the full list: the values already there plus the endpoint named in the finding (the finding's evidence has the exact body).",
    portal:
      "Reported tenant: Entra admin center → Entra ID → External Identities → Cross-tenant access settings → Microsoft cloud settings → check the other tenant's cloud (e.g. Microsoft Azure Government, Microsoft Azure Commercial, Microsoft Azure China) → Save",
    graph: [
      {
        tenant: "source",
        method: "PATCH",
        url: "/v1.0/policies/crossTenantAccessPolicy",
        body: { allowedCloudEndpoints: ["<existing values>", "<the target tenant's cloud endpoint>"] },
        permission: "Policy.ReadWrite.CrossTenantAccess",
      },
      {
        tenant: "target",
        method: "PATCH",
        url: "/v1.0/policies/crossTenantAccessPolicy",
        body: { allowedCloudEndpoints: ["<existing values>", "<the source tenant's cloud endpoint>"] },
        permission: "Policy.ReadWrite.CrossTenantAccess",
      },
    ],
    powershell:
      '# In the reported tenant. The list replaces the old one: keep the values already there. Example: a commercial source collaborating with an Azure Government target.\nConnect-MgGraph -TenantId "{sourceTenantId}" -Scopes "Policy.ReadWrite.CrossTenantAccess"\nUpdate-MgPolicyCrossTenantAccessPolicy -AllowedCloudEndpoints @("microsoftonline.us")',
  },
  references: [
    REFERENCES.crossCloudStep1Settings,
    {
      title: "Cross-tenant access overview — Microsoft cloud settings",
      url: "https://learn.microsoft.com/entra/external-id/cross-tenant-access-overview#microsoft-cloud-settings",
    },
    { title: "crossTenantAccessPolicy resource type (allowedCloudEndpoints)", url: "https://learn.microsoft.com/graph/api/resources/crosstenantaccesspolicy" },
  ],
  needs: ["source.crossTenantAccessPolicy", "target.crossTenantAccessPolicy"],
  appliesTo(pair) {
    const clouds = { source: pair.source.cloud, target: pair.target.cloud };
    return sameCloud(clouds.source, clouds.target)
      ? `Both tenants are in the same Microsoft cloud (${CLOUDS[clouds.source].cloudEndpoint}); Microsoft cloud settings only matter across clouds.`
      : undefined;
  },
  check(pair, ctx) {
    const clouds = { source: pair.source.cloud, target: pair.target.cloud };
    for (const side of ["source", "target"] as const) {
      const other = side === "source" ? "target" : "source";
      const tenantId = pair[side].tenantId;
      const current = pair.get(`${side}.crossTenantAccessPolicy`).allowedCloudEndpoints ?? [];
      const required = CLOUDS[clouds[other]].cloudEndpoint;
      if (current.some((e) => e.trim().toLowerCase() === required)) continue;
      ctx.report({
        messageId: "missing",
        side,
        data: {
          side,
          tenantId,
          cloud: CLOUDS[clouds[side]].label,
          required,
          current: current.join(", "),
          otherSide: other,
          otherCloud: CLOUDS[clouds[other]].label,
        },
        objects: [{ id: tenantId, type: "policy", displayName: `Microsoft cloud settings of the ${side} tenant ${tenantId}` }],
        evidence: {
          tenantCloud: clouds[side],
          otherCloud: clouds[other],
          allowedCloudEndpoints: current,
          requiredEndpoint: required,
          patchBody: { allowedCloudEndpoints: [...current, required] },
        },
      });
    }
  },
});
