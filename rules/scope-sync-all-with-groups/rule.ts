// Source tenant: group provisioning needs the "Sync only assigned users and groups" scope, not "Sync all users".
import { defineRule } from "../../src/engine/define.js";
import { requireConfiguration, requireSecrets, requireSchema } from "../../src/engine/preconditions.js";
import { putSyncSecrets } from "../../src/engine/fix-requests.js";
import { groupMapping } from "../../src/model/configuration.js";
import { REFERENCES } from "../references.js";

export default defineRule({
  id: "scope-sync-all-with-groups",
  title: 'Group provisioning is enabled while the scope is "Sync all users"',
  severity: "high",
  side: "source",
  area: "configuration",
  symptom:
    "The 'Provision Microsoft Entra ID Groups' mapping is enabled but no security groups appear in the target tenant: the configuration's Provisioning → Settings → Scope is 'Sync all users', and groups are only synchronized with 'Sync only assigned users and groups'.",
  cause:
    "Cross-tenant group synchronization only provisions groups assigned to the configuration, which requires the scope 'Sync only assigned users and groups' (secret SyncAll = false). With 'Sync all users' (SyncAll = true) the enabled group mapping has nothing in scope.",
  detection:
    "Reads the SyncAll secret of the configuration whose CompanyId is the target tenant and the group object mapping of its job's schema. Fails when SyncAll is true and the group mapping is enabled.",
  messages: {
    syncAllWithGroups:
      "The configuration \"{{configurationName}}\" has scope 'Sync all users' (SyncAll = true) while its group mapping \"{{mappingName}}\" is enabled. Groups are only synchronized with 'Sync only assigned users and groups': switch the scope and assign the groups (and users) to synchronize.",
  },
  fix: {
    summary:
      "Assign the users and groups to synchronize to the configuration first, then set Scope to 'Sync only assigned users and groups' and restart provisioning (a scope change only takes effect after a restart). Users no longer in scope are deprovisioned in the target unless Delete is removed from the user mapping's target object actions. Include SyncNotificationSettings in the PUT if you set notifications.",
    portal:
      "Source tenant: Entra admin center → Entra ID → External Identities → Cross-tenant synchronization → Configurations → the configuration → Users and groups → Add user/group (assign the groups and users); then Provisioning → Settings → Scope: 'Sync only assigned users and groups' → Save; then Overview → Restart provisioning",
    graph: [
      ...putSyncSecrets({ SyncAll: "false" }),
      {
        tenant: "source",
        method: "POST",
        url: "/v1.0/servicePrincipals/{servicePrincipalId}/synchronization/jobs/{jobId}/restart",
        body: { criteria: { resetScope: "QuarantineState, Escrows, Watermark" } },
        permission: "Synchronization.ReadWrite.All",
      },
    ],
  },
  references: [REFERENCES.configureStep7Scope, REFERENCES.overviewGroupSync, REFERENCES.knownIssues],
  needs: ["source.syncServicePrincipals", "source.syncSecrets", "source.syncJobs", "source.syncSchemas"],
  uses: ["target.organization"],
  check(pair, ctx) {
    const config = requireConfiguration(pair, ctx);
    requireSecrets(pair, ctx, config);
    if (config.syncAll !== true) return;
    const { job, schema } = requireSchema(pair, ctx, config);
    const mapping = groupMapping(schema);
    if (mapping?.enabled !== true) return;
    const configurationName = config.name;
    ctx.report({
      messageId: "syncAllWithGroups",
      data: { configurationName, mappingName: mapping.name ?? "Provision Microsoft Entra ID Groups" },
      objects: [{ id: config.servicePrincipal.id, type: "servicePrincipal", displayName: configurationName }],
      evidence: {
        jobId: job.id,
        SyncAll: config.secrets.find((s) => s.key.toLowerCase() === "syncall")?.value ?? null,
        groupMapping: { name: mapping.name ?? null, sourceObjectName: mapping.sourceObjectName ?? null, enabled: mapping.enabled },
      },
    });
  },
});
