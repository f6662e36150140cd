// Source tenant: a cross-tenant synchronization configuration must provision into the target (CompanyId = target tenant).
import { defineRule } from "../../src/engine/define.js";
import { putSyncSecrets } from "../../src/engine/fix-requests.js";
import { describeMissing } from "../../src/engine/missing.js";
import { CTS_APPLICATION_TEMPLATE_ID, configurationForTarget, syncConfigurations } from "../../src/model/configuration.js";
import type { Pair } from "../../src/model/pair.js";
import { REFERENCES } from "../references.js";

/** Why CompanyId is unknown: the secrets facet's failure, or each unreadable configuration's read. */
function secretsCause(pair: Pair): string {
  const entry = pair.entry("source.syncSecrets");
  if (!pair.has("source.syncSecrets")) {
    return describeMissing({
      facet: "source.syncSecrets",
      status: entry.status,
      ...(entry.error?.httpStatus ? { httpStatus: entry.error.httpStatus } : {}),
      code: entry.error?.code,
      message: entry.error?.message,
      permission: entry.permission,
    });
  }
  const unread = Object.entries(entry.reads ?? {}).flatMap(([id, r]) => (r.error ? [`${id}: ${r.error.code}: ${r.error.message}`] : []));
  return unread.length ? unread.join("; ") : "a secrets document without CompanyId";
}

export default defineRule({
  id: "configuration-missing",
  title: "No cross-tenant synchronization configuration in the source targets this tenant",
  severity: "critical",
  side: "source",
  area: "configuration",
  symptom:
    "Nobody from the source tenant is provisioned into the target tenant: the source's Cross-tenant synchronization → Configurations page lists no configuration whose Tenant Id is the target tenant (or none at all), so there is no job, no provisioning logs and no 'Microsoft.Azure.SyncFabric' activity in the target's audit logs.",
  cause:
    "Cross-tenant synchronization is configured only in the source tenant, as a configuration (an enterprise application instantiated from the template 518e5f48-1fc8-4c48-9387-9fdf28b0dfe7) whose admin credentials use the 'Cross Tenant Synchronization Policy' authentication method with the target's tenant id (the CompanyId secret). Either the configuration was never created, it was deleted, its credentials were never saved, or it was saved with another tenant id.",
  detection:
    "Lists the source's configuration service principals and their CompanyId secret (read on beta, then v1.0). Fails when none has CompanyId equal to the target tenant id, naming every configuration found and the tenant it points at. A configuration whose secrets cannot be read, or have no CompanyId, is unknown rather than missing: the rule is then inconclusive unless the configuration is named with --configuration.",
  messages: {
    none: "The source tenant {{sourceTenantId}} has no cross-tenant synchronization configuration at all (no service principal from the application template {{templateId}}), so nothing is provisioned into {{targetTenantId}}.",
    otherTargets:
      "No cross-tenant synchronization configuration in the source tenant provisions into the target tenant {{targetTenantId}}. The source has {{count}} configuration(s), none with CompanyId {{targetTenantId}}: {{configurations}}.",
  },
  fix: {
    summary:
      "In the source tenant, create a configuration for the target (or open the existing one meant for it), set Provisioning Mode to Automatic with the 'Cross Tenant Synchronization Policy' authentication method and the target's tenant id, test the connection and save. Only one configuration can exist between a source and a target.",
    portal:
      "Source tenant: Entra admin center → Entra ID → External Identities → Cross-tenant synchronization → Configurations → New configuration → name it → Create; then the configuration → Provisioning → Get started → Provisioning Mode: Automatic → Admin Credentials: Authentication Method 'Cross Tenant Synchronization Policy', Tenant Id {targetTenantId} → Test Connection → Save",
    graph: [
      {
        tenant: "source",
        method: "POST",
        url: "/v1.0/applicationTemplates/518e5f48-1fc8-4c48-9387-9fdf28b0dfe7/instantiate",
        body: { displayName: "Cross-tenant sync to {targetTenantId}" },
        permission: "Application.ReadWrite.All",
      },
      {
        tenant: "source",
        method: "POST",
        url: "/v1.0/servicePrincipals/{servicePrincipalId}/synchronization/jobs",
        body: { templateId: "Azure2Azure" },
        permission: "Synchronization.ReadWrite.All",
      },
      ...putSyncSecrets({ AuthenticationType: "SyncPolicy", CompanyId: "{targetTenantId}" }),
    ],
  },
  references: [
    {
      title: "Configure cross-tenant synchronization — Step 5: Create a configuration in the source tenant",
      url: "https://learn.microsoft.com/entra/identity/multi-tenant-organizations/cross-tenant-synchronization-configure#step-5-create-a-configuration-in-the-source-tenant",
    },
    REFERENCES.configureStep6TestConnection,
    {
      title: "Configure cross-tenant synchronization using Microsoft Graph",
      url: "https://learn.microsoft.com/entra/identity/multi-tenant-organizations/cross-tenant-synchronization-configure-graph",
    },
  ],
  needs: ["source.syncServicePrincipals"],
  uses: ["source.syncSecrets", "target.organization"],
  check(pair, ctx) {
    const choice = configurationForTarget(pair);
    if (choice.confirmed) return;
    const sourceTenantId = pair.source.tenantId;
    const targetTenantId = pair.target.tenantId;
    const configs = syncConfigurations(pair);
    // CompanyId unknown for some configuration: "none targets this tenant" would be a guess.
    if (configs.length > 0 && !choice.absent)
      ctx.inconclusive(
        `CompanyId could not be read for every configuration (${secretsCause(pair)}), so it cannot be told whether one targets ${targetTenantId}: ${choice.evidence}.`,
      );
    if (configs.length === 0) {
      ctx.report({
        messageId: "none",
        data: { sourceTenantId, targetTenantId, templateId: CTS_APPLICATION_TEMPLATE_ID },
        objects: [{ id: sourceTenantId, type: "policy", displayName: `Cross-tenant synchronization configurations of ${sourceTenantId}` }],
        evidence: { applicationTemplateId: CTS_APPLICATION_TEMPLATE_ID, configurations: [] },
      });
      return;
    }
    const found = configs.map((c) => ({
      servicePrincipalId: c.servicePrincipal.id,
      displayName: c.name,
      companyId: c.companyId ?? null,
    }));
    ctx.report({
      messageId: "otherTargets",
      data: {
        targetTenantId,
        count: found.length,
        configurations: found.map((f) => `"${f.displayName}" (${f.servicePrincipalId}): CompanyId ${f.companyId}`).join("; "),
      },
      objects: configs.map((c) => ({
        id: c.servicePrincipal.id,
        type: "servicePrincipal" as const,
        displayName: c.name,
      })),
      evidence: { targetTenantId, configurations: found },
    });
  },
});
