// Target tenant: when the source provisions groups, the target's cross-tenant sync policy must allow group sync in.
import { documented, identitySync, syncAllowedBody } from "../../src/engine/fix-recipes.js";
import { defineRule } from "../../src/engine/define.js";
import { requireConfiguration, requireSchema } from "../../src/engine/preconditions.js";
import { groupMapping } from "../../src/model/configuration.js";
import { REFERENCES } from "../references.js";

export default defineRule({
  id: "target-group-sync-inbound-disabled",
  title: "Target tenant does not allow groups to sync in from the source",
  severity: "high",
  side: "target",
  area: "policies",
  symptom:
    "Group provisioning is enabled in the source configuration ('Provision Microsoft Entra ID Groups' set to Yes), but the synchronized security groups never appear in the target tenant, or group exports fail while users are provisioned.",
  cause:
    "Cross-tenant group synchronization needs the target tenant to allow it for the source organization: Inbound access → Cross-tenant sync → 'Allow group synchronization into this tenant' (beta identitySynchronization.groupSyncInbound.isSyncAllowed). It is off unless selected, and it is separate from 'Allow user synchronization into this tenant'.",
  detection:
    "When the source configuration's group object mapping is enabled, reads the target's beta identitySynchronization policy for the source tenant and fails unless groupSyncInbound.isSyncAllowed is true. Not applicable when there is no configuration, no job or the group mapping is disabled.",
  messages: {
    noPolicy:
      "The source provisions groups (group mapping enabled), but the target tenant has no cross-tenant sync (identitySynchronization) policy for the source tenant {{sourceTenantId}}, so group synchronization into the target is not allowed.",
    disabled:
      "The source provisions groups (group mapping enabled), but the target tenant's cross-tenant sync policy for {{sourceTenantId}} has groupSyncInbound.isSyncAllowed = {{value}}; it must be true ('Allow group synchronization into this tenant').",
  },
  fix: {
    summary:
      "In the target tenant, check 'Allow group synchronization into this tenant' (and keep 'Allow user synchronization into this tenant') under Inbound access → Cross-tenant sync for the source organization; or disable group provisioning in the source if groups are not meant to sync. With Graph (beta: v1.0 has no groupSyncInbound), PATCH the sync policy when it exists (a PUT over an existing policy is refused with 409 Request_MultipleObjectsWithSameKeyValue); PUT creates it only when its GET answers 404.",
    portal:
      "Target tenant: Entra admin center → Entra ID → External Identities → Cross-tenant access settings → Organizational settings → (source tenant {sourceTenantId}) → Inbound access → Cross-tenant sync → check 'Allow user synchronization into this tenant' and 'Allow group synchronization into this tenant' → Save",
    graph: [
      documented(identitySync("PATCH", "beta"), syncAllowedBody(["userSyncInbound", "groupSyncInbound"])),
      documented(identitySync("PUT", "beta"), syncAllowedBody(["userSyncInbound", "groupSyncInbound"])),
    ],
    powershell:
      'Connect-MgGraph -TenantId "{targetTenantId}" -Scopes "Policy.ReadWrite.CrossTenantAccess"\n$uri = "https://graph.microsoft.com/beta/policies/crossTenantAccessPolicy/partners/{sourceTenantId}/identitySynchronization"\n# PATCH an existing policy (a PUT over it is refused with 409); PUT creates it only when the GET answers 404\n$method = "PATCH"\ntry { Invoke-MgGraphRequest -Method GET -Uri $uri | Out-Null } catch { if ($_.Exception.Response.StatusCode -ne "NotFound") { throw }; $method = "PUT" }\nInvoke-MgGraphRequest -Method $method -Uri $uri -Body \'{"userSyncInbound":{"isSyncAllowed":true},"groupSyncInbound":{"isSyncAllowed":true}}\'',
  },
  references: [
    {
      title: "Configure cross-tenant synchronization — Step 2: Enable user and group synchronization in the target tenant",
      url: "https://learn.microsoft.com/entra/identity/multi-tenant-organizations/cross-tenant-synchronization-configure#step-2-enable-user-and-group-synchronization-in-the-target-tenant",
    },
    REFERENCES.overviewGroupSync,
    {
      title: "crossTenantGroupSyncInbound resource type (beta)",
      url: "https://learn.microsoft.com/graph/api/resources/crosstenantgroupsyncinbound?view=graph-rest-beta",
    },
    REFERENCES.updateSyncPolicyPartner,
    REFERENCES.graphTroubleshootingSameKeyValue,
  ],
  needs: ["source.syncServicePrincipals", "source.syncJobs", "source.syncSchemas"],
  uses: ["target.identitySynchronization", "source.syncSecrets", "target.organization"],
  check(pair, ctx) {
    const sourceTenantId = pair.source.tenantId;
    const config = requireConfiguration(pair, ctx);
    const { job, schema } = requireSchema(pair, ctx, config);
    const mapping = groupMapping(schema);
    if (mapping?.enabled !== true) return ctx.notApplicable("Group provisioning (the group object mapping) is disabled in the source configuration.");
    if (!pair.has("target.identitySynchronization")) {
      const entry = pair.entry("target.identitySynchronization");
      return ctx.inconclusive(
        `Group provisioning is enabled, but target.identitySynchronization was not collected (${entry.status}${entry.error ? `: ${entry.error.code}` : ""}) — grant Policy.Read.All in the target tenant.`,
      );
    }
    const policy = pair.get("target.identitySynchronization");
    const object = { id: sourceTenantId, type: "policy" as const, displayName: `Target cross-tenant sync policy for ${sourceTenantId}` };
    const evidence = { groupMapping: { name: mapping.name ?? null, enabled: mapping.enabled }, servicePrincipalId: config.servicePrincipal.id, jobId: job.id };
    if (!policy) {
      ctx.report({ messageId: "noPolicy", data: { sourceTenantId }, objects: [object], evidence: { ...evidence, identitySynchronization: null } });
      return;
    }
    // groupSyncInbound exists only in beta; a policy read through v1.0 (a server without beta) does not say.
    if (!("groupSyncInbound" in policy)) {
      return ctx.inconclusive(
        "The target's cross-tenant sync policy was read without groupSyncInbound (v1.0 only has user sync), so whether groups may sync in is unknown.",
      );
    }
    const value = policy.groupSyncInbound?.isSyncAllowed ?? null;
    if (value !== true) {
      ctx.report({
        messageId: "disabled",
        data: { sourceTenantId, value: String(value) },
        objects: [object],
        evidence: {
          ...evidence,
          "identitySynchronization.groupSyncInbound.isSyncAllowed": value,
          "identitySynchronization.userSyncInbound.isSyncAllowed": policy.userSyncInbound?.isSyncAllowed ?? null,
        },
      });
    }
  },
});
