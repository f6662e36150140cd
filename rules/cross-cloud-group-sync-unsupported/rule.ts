// Source configuration: cross-cloud synchronization provisions users only; a group mapping is not supported there.
import { defineRule } from "../../src/engine/define.js";
import { requireConfiguration, requireSchema } from "../../src/engine/preconditions.js";
import { CLOUDS, sameCloud } from "../../src/config/clouds.js";
import { groupMapping } from "../../src/model/configuration.js";
import { REFERENCES } from "../references.js";

export default defineRule({
  id: "cross-cloud-group-sync-unsupported",
  title: "Group synchronization is configured on a cross-cloud pair",
  severity: "medium",
  side: "source",
  area: "configuration",
  symptom:
    "Groups assigned to a cross-cloud configuration never appear in the target tenant although 'Provision Microsoft Entra ID Groups' is enabled; only users are provisioned.",
  cause:
    "Cross-cloud synchronization creates, updates and removes B2B users only: group synchronization (and 'Allow group synchronization into this tenant') is offered for same-cloud cross-tenant synchronization, not between Microsoft clouds.",
  detection:
    "For a pair whose tenants are in different clouds, reads the schema of the configuration's job and fails when the group object mapping (Provision Microsoft Entra ID Groups) is enabled. Not applicable to same-cloud pairs or when there is no configuration or job.",
  messages: {
    enabled:
      'The configuration "{{configurationName}}" synchronizes from {{sourceCloud}} to {{targetCloud}} with the group mapping "{{mappingName}}" enabled, but cross-cloud synchronization provisions users only; groups will not be created in the target. Disable the group mapping and assign users (or groups, for scope) instead.',
  },
  fix: {
    summary:
      "Disable the 'Provision Microsoft Entra ID Groups' mapping of the cross-cloud configuration; assigned groups still put their direct members in scope. With Graph this is a PUT of the whole job schema — use the admin center, or the PowerShell below.",
    portal:
      "Source tenant: Entra admin center → Entra ID → External Identities → Cross-tenant synchronization → Configurations → (the configuration) → Provisioning → Mappings → Provision Microsoft Entra ID Groups → Enabled: No → Save",
    graph: [],
    powershell:
      '# PUT replaces the whole schema: keep a copy of the GET output before changing it.\nConnect-MgGraph -TenantId "{sourceTenantId}" -Scopes "Synchronization.ReadWrite.All"\n$uri = "https://graph.microsoft.com/v1.0/servicePrincipals/{servicePrincipalId}/synchronization/jobs/{jobId}/schema"\n$schema = Invoke-MgGraphRequest -Method GET -Uri $uri\n$schema | ConvertTo-Json -Depth 100 | Set-Content schema-backup.json\nforeach ($rule in $schema.synchronizationRules) { foreach ($m in $rule.objectMappings) { if ($m.sourceObjectName -eq "Group") { $m.enabled = $false } } }\nInvoke-MgGraphRequest -Method PUT -Uri $uri -Body ($schema | ConvertTo-Json -Depth 100) -ContentType "application/json"',
  },
  references: [
    {
      title: "Configure cross-tenant synchronization across Microsoft clouds — Learning objectives (B2B users only)",
      url: "https://learn.microsoft.com/entra/identity/multi-tenant-organizations/cross-tenant-synchronization-configure?pivots=cross-cloud-synchronization#learning-objectives",
    },
    REFERENCES.overviewClouds,
  ],
  needs: ["source.syncServicePrincipals", "source.syncJobs", "source.syncSchemas"],
  uses: ["source.syncSecrets", "target.organization"],
  appliesTo(pair) {
    const source = pair.source.cloud;
    const target = pair.target.cloud;
    return sameCloud(source, target)
      ? `Both tenants are in the same Microsoft cloud (${CLOUDS[source].cloudEndpoint}); group synchronization is supported there.`
      : undefined;
  },
  check(pair, ctx) {
    const source = pair.source.cloud;
    const target = pair.target.cloud;
    const config = requireConfiguration(pair, ctx);
    const { job, schema } = requireSchema(pair, ctx, config);
    const mapping = groupMapping(schema);
    if (mapping?.enabled !== true) return;
    const name = config.name;
    ctx.report({
      messageId: "enabled",
      data: { configurationName: name, sourceCloud: CLOUDS[source].label, targetCloud: CLOUDS[target].label, mappingName: mapping.name ?? "Group" },
      objects: [{ id: config.servicePrincipal.id, type: "servicePrincipal", displayName: name }],
      evidence: {
        sourceCloud: source,
        targetCloud: target,
        jobId: job.id,
        groupMapping: { name: mapping.name ?? null, enabled: mapping.enabled, sourceObjectName: mapping.sourceObjectName ?? null },
      },
    });
  },
});
