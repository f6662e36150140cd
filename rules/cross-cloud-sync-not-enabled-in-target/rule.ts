// Target tenant: across clouds, the target must enable cross-cloud synchronization for the source on Microsoft cloud settings.
import { defineRule } from "../../src/engine/define.js";
import { CLOUDS, sameCloud } from "../../src/config/clouds.js";
import { errorSignals, namesCtsCode, type CtsErrorCode, whereSeen } from "../../src/model/signals.js";
import { REFERENCES } from "../references.js";

const CODE = "AzureActiveDirectoryTokenExpired" satisfies CtsErrorCode;

export default defineRule({
  id: "cross-cloud-sync-not-enabled-in-target",
  title: "Target tenant has not enabled cross-cloud synchronization for the source",
  severity: "critical",
  side: "target",
  area: "policies",
  symptom:
    'Test connection fails with "You appear to have entered invalid credentials. Please confirm you are using the correct information for an administrative account. Error code: AzureActiveDirectoryTokenExpired Details: The identity of the calling application could not be established."',
  cause:
    "Across Microsoft clouds, the target tenant must select the cross-cloud synchronization checkbox for the source tenant on Cross-tenant access settings → Microsoft cloud settings. Selecting it creates the service principal the source's configuration signs in as (permissions User.ReadWrite.CrossCloud, User.Invite.All, Organization.Read.All, Policy.Read.All); without it the calling application cannot be identified.",
  detection:
    "For a pair whose tenants are in different clouds, fails when AzureActiveDirectoryTokenExpired appears in the connection test, the job's last execution or quarantine error or the provisioning logs, or when the target's beta identitySynchronization policy for the source has no externalCloudAuthorizedApplicationId. That property is undocumented: reading it as the cross-cloud checkbox is inferred, not documented.",
  messages: {
    tokenExpired:
      'AzureActiveDirectoryTokenExpired in {{where}}: "{{message}}". The target tenant ({{targetCloud}}) has not enabled cross-cloud synchronization for the source tenant {{sourceTenantId}} ({{sourceCloud}}) on Microsoft cloud settings (externalCloudAuthorizedApplicationId = {{appId}}).',
    notAuthorized:
      "The target tenant's cross-tenant sync policy for the source tenant {{sourceTenantId}} has no externalCloudAuthorizedApplicationId, which suggests cross-cloud synchronization for {{sourceCloud}} is not enabled on Microsoft cloud settings (inferred: the property is undocumented).",
    noPolicy:
      "The target tenant ({{targetCloud}}) has no cross-tenant sync (identitySynchronization) policy for the source tenant {{sourceTenantId}}, so cross-cloud synchronization from {{sourceCloud}} is not enabled.",
  },
  fix: {
    summary:
      "In the target tenant, on Microsoft cloud settings, select the cross-cloud synchronization checkbox for the source tenant's cloud (this creates the service principal cross-cloud sync signs in as). There is no documented Graph request for it.",
    portal:
      "Target tenant: Entra admin center → Entra ID → External Identities → Cross-tenant access settings → Microsoft cloud settings → select the cross-cloud synchronization checkbox for the source tenant's cloud (e.g. Microsoft Azure Commercial) → Save",
    graph: [],
  },
  references: [
    REFERENCES.crossCloudStep1Settings,
    {
      title: "Configure cross-tenant synchronization across Microsoft clouds — Troubleshoot (AzureActiveDirectoryTokenExpired)",
      url: "https://learn.microsoft.com/entra/identity/multi-tenant-organizations/cross-tenant-synchronization-configure?pivots=cross-cloud-synchronization#troubleshoot-common-cross-tenant-synchronization-scenarios",
    },
    {
      title: "crossTenantIdentitySyncPolicyPartner resource type (beta)",
      url: "https://learn.microsoft.com/graph/api/resources/crosstenantidentitysyncpolicypartner?view=graph-rest-beta",
    },
  ],
  needs: ["target.identitySynchronization"],
  uses: ["source.syncServicePrincipals", "source.connectionTest", "source.syncJobs", "source.provisioningLogs", "source.syncSecrets", "target.organization"],
  appliesTo(pair) {
    const source = pair.source.cloud;
    const target = pair.target.cloud;
    return sameCloud(source, target)
      ? `Both tenants are in the same Microsoft cloud (${CLOUDS[source].cloudEndpoint}); cross-cloud synchronization does not apply.`
      : undefined;
  },
  check(pair, ctx) {
    const source = pair.source.cloud;
    const target = pair.target.cloud;
    const sourceTenantId = pair.source.tenantId;
    const policy = pair.get("target.identitySynchronization");
    const appId = policy?.externalCloudAuthorizedApplicationId || null;
    const hits = errorSignals(pair).filter((s) => namesCtsCode(s.code, s.message, CODE));
    const object = { id: sourceTenantId, type: "policy" as const, displayName: `Target cross-tenant sync policy for ${sourceTenantId}` };
    const data = { sourceTenantId, sourceCloud: CLOUDS[source].label, targetCloud: CLOUDS[target].label, appId: String(appId) };
    const evidence = {
      sourceCloud: source,
      targetCloud: target,
      identitySynchronization: policy ? { externalCloudAuthorizedApplicationId: appId } : null,
    };
    const [first] = hits;
    if (first) {
      ctx.report({
        messageId: "tokenExpired",
        errorCode: CODE,
        data: { ...data, where: whereSeen(hits), message: first.message },
        objects: [object],
        evidence: { ...evidence, seenIn: hits.map((h) => ({ source: h.source, ref: h.ref, ...(h.at ? { at: h.at } : {}) })) },
      });
      return;
    }
    if (!policy) {
      ctx.report({ messageId: "noPolicy", data, objects: [object], evidence });
      return;
    }
    if (!appId) ctx.report({ messageId: "notAuthorized", data, objects: [object], evidence });
  },
});
