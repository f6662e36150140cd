// Source tenant: groups are assigned (or skipped as EntityTypeNotSupported) while the group object mapping is off.
import { defineRule } from "../../src/engine/define.js";
import { requireConfiguration, requireSchema } from "../../src/engine/preconditions.js";
import type { AffectedObject } from "../../src/engine/types.js";
import { assignmentsOf, groupMapping } from "../../src/model/configuration.js";
import { ENTITY_TYPE_NOT_SUPPORTED } from "../../src/model/log-codes.js";
import { REFERENCES } from "../references.js";

export default defineRule({
  id: "group-mapping-disabled",
  title: "Groups are in scope but group provisioning is disabled",
  severity: "medium",
  side: "source",
  area: "configuration",
  symptom:
    'Provisioning logs show "Group skipped due to EntityTypeNotSupported": "Group is skipped from synchronization because EntityTypeNotSupported." (skip reason "Groups can be used to determine what users are in scope for provisioning. Group objects cannot be synchronized."), and the assigned security groups never appear in the target tenant.',
  cause:
    "The 'Provision Microsoft Entra ID Groups' object mapping of the configuration is disabled (its Enabled toggle is No by default). Assigned groups then only decide which users are in scope; the groups themselves are skipped. Group sync also needs Microsoft Entra ID Governance or Microsoft Entra Suite licences and the target's 'Allow group synchronization into this tenant' (groupSyncInbound).",
  detection:
    "Collects the groups assigned to the configuration and the groups logged as skipped with EntityTypeNotSupported (sourceIdentity of type Group). Fails when there is at least one and the schema's group object mapping (source object Group) is missing or not enabled; not applicable when no group is assigned or logged.",
  messages: {
    disabled:
      "Group provisioning ('{{mappingName}}') is disabled in configuration {{configName}}, so these groups only scope users and are never created in the target tenant: {{groups}}.",
    noMapping:
      "The schema of configuration {{configName}} has no group object mapping, so these groups only scope users and are never created in the target tenant: {{groups}}.",
  },
  fix: {
    summary:
      "If you want the groups in the target tenant, enable the 'Provision Microsoft Entra ID Groups' mapping of the configuration (needs Microsoft Entra ID Governance or Microsoft Entra Suite licences, 'Sync only assigned users and groups', and the target's 'Allow group synchronization into this tenant'); otherwise assign the users directly instead of through groups. With Graph this is a PUT of the whole job schema — use the admin center, or the PowerShell below.",
    portal:
      "Source tenant: Entra admin center → Entra ID → External Identities → Cross-tenant synchronization → Configurations → (the configuration) → Provisioning → Mappings → Provision Microsoft Entra ID Groups → Enabled: Yes → Save. Target tenant (if not yet): Cross-tenant access settings → Organizational settings → {sourceTenantId} → Inbound access → Cross-tenant sync → check 'Allow group synchronization into this tenant'.",
    graph: [],
    powershell:
      '# PUT replaces the whole schema: keep a copy of the GET output before changing it.\nConnect-MgGraph -TenantId "{sourceTenantId}" -Scopes "Synchronization.ReadWrite.All"\n$uri = "https://graph.microsoft.com/v1.0/servicePrincipals/{servicePrincipalId}/synchronization/jobs/{jobId}/schema"\n$schema = Invoke-MgGraphRequest -Method GET -Uri $uri\n$schema | ConvertTo-Json -Depth 100 | Set-Content schema-backup.json\nforeach ($rule in $schema.synchronizationRules) { foreach ($m in $rule.objectMappings) { if ($m.sourceObjectName -eq "Group") { $m.enabled = $true } } }\nInvoke-MgGraphRequest -Method PUT -Uri $uri -Body ($schema | ConvertTo-Json -Depth 100) -ContentType "application/json"',
  },
  references: [
    {
      title: "Configure cross-tenant synchronization — troubleshooting: Group skipped due to EntityTypeNotSupported",
      url: "https://learn.microsoft.com/entra/identity/multi-tenant-organizations/cross-tenant-synchronization-configure#troubleshoot-common-cross-tenant-synchronization-scenarios",
    },
    {
      title: "Configure cross-tenant synchronization — Step 8: Provision Microsoft Entra ID Groups",
      url: "https://learn.microsoft.com/entra/identity/multi-tenant-organizations/cross-tenant-synchronization-configure#step-8-optional-define-who-is-in-scope-for-provisioning-with-scoping-filters",
    },
    {
      title: "Cross-tenant synchronization overview — group synchronization",
      url: "https://learn.microsoft.com/entra/identity/multi-tenant-organizations/cross-tenant-synchronization-overview#group-synchronization",
    },
    { title: "Analyze provisioning logs — error codes", url: "https://learn.microsoft.com/entra/identity/monitoring-health/howto-analyze-provisioning-logs" },
    REFERENCES.updateSchema,
  ],
  needs: ["source.syncServicePrincipals", "source.syncJobs", "source.syncSchemas", "source.syncAssignments"],
  uses: ["source.provisioningLogs", "source.syncSecrets", "target.organization"],
  check(pair, ctx) {
    const config = requireConfiguration(pair, ctx);
    const sp = config.servicePrincipal;

    // Groups in play: assigned ones first, then any the logs show skipped as EntityTypeNotSupported.
    const groups = new Map<string, AffectedObject>();
    const assignedGroupIds: string[] = [];
    for (const a of assignmentsOf(pair, config)) {
      if (a.principalType?.toLowerCase() !== "group") continue;
      assignedGroupIds.push(a.principalId);
      if (!groups.has(a.principalId)) groups.set(a.principalId, { id: a.principalId, type: "group", displayName: a.principalDisplayName ?? a.principalId });
    }
    const skipped: { logEntryId: string; groupId: string; errorCode: string; activityDateTime: string }[] = [];
    // Group entries failed or skipped with EntityTypeNotSupported (error code or step SkipReason), in log order.
    for (const entry of pair.logs()?.groupSkips ?? []) {
      if (entry.servicePrincipalId && entry.servicePrincipalId !== sp.id) continue;
      skipped.push({ logEntryId: entry.logEntryId, groupId: entry.groupId, errorCode: ENTITY_TYPE_NOT_SUPPORTED, activityDateTime: entry.activityDateTime });
      if (!groups.has(entry.groupId)) groups.set(entry.groupId, { id: entry.groupId, type: "group", displayName: entry.displayName });
    }
    if (groups.size === 0) return ctx.notApplicable("No group is assigned to the configuration and no group appears in the provisioning logs.");

    const { job, schema } = requireSchema(pair, ctx, config);
    const mapping = groupMapping(schema);
    if (mapping?.enabled === true) return;

    const objects = [...groups.values()];
    ctx.report({
      messageId: mapping ? "disabled" : "noMapping",
      data: {
        configName: config.name,
        mappingName: mapping?.name ?? "Provision Microsoft Entra ID Groups",
        groups: objects.map((g) => g.displayName).join(", "),
      },
      ...(skipped.length > 0 ? { errorCode: ENTITY_TYPE_NOT_SUPPORTED } : {}),
      objects,
      evidence: {
        servicePrincipalId: sp.id,
        jobId: job.id,
        groupObjectMapping: mapping ? { name: mapping.name ?? null, enabled: mapping.enabled ?? null } : null,
        assignedGroupIds,
        skippedLogEntries: skipped,
        provisioningLogsCollected: pair.has("source.provisioningLogs"),
      },
    });
  },
});
