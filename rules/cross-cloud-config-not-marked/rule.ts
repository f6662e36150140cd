// Source configuration: across clouds, the configuration must be created with the cross-cloud checkbox.
import { defineRule } from "../../src/engine/define.js";
import { requireConfiguration } from "../../src/engine/preconditions.js";
import { CLOUDS, sameCloud } from "../../src/config/clouds.js";
import type { Pair } from "../../src/model/pair.js";
import { errorSignals, namesCtsCode, type CtsErrorCode, whereSeen } from "../../src/model/signals.js";

const CODE = "ExternalTenantNotFound" satisfies CtsErrorCode;

const SIGNAL_FACETS = ["source.connectionTest", "source.syncJobs", "source.provisioningLogs"] as const;

function facetStates(pair: Pair): string {
  return SIGNAL_FACETS.map((id) => {
    const e = pair.entry(id);
    return `${id}: ${e.status}${e.error ? ` (${e.error.code})` : ""}`;
  }).join("; ");
}

export default defineRule({
  id: "cross-cloud-config-not-marked",
  title: "Cross-cloud configuration was created without the cross-cloud checkbox",
  severity: "critical",
  side: "source",
  area: "configuration",
  symptom:
    'Test connection fails with "You appear to have entered invalid credentials. Please confirm you are using the correct information for an administrative account. Error code: ExternalTenantNotFound Details: This tenant was not found by the authentication authority of the current cloud: <targetTenantId>. The authentication authority is https://login.microsoftonline.com/<targetTenantId>."',
  cause:
    "The configuration was created without checking 'Setup cross-tenant synchronization across Microsoft clouds', so the service looks the target tenant up in the source tenant's own cloud, where it does not exist. The setting can only be chosen when the configuration is created.",
  detection:
    "For a pair whose tenants are in different clouds, looks for the error code ExternalTenantNotFound in the connection test, the job's last execution and quarantine errors and the provisioning logs, and fails when it appears anywhere. Not applicable to same-cloud pairs or when the source has no configuration for the target.",
  messages: {
    notMarked:
      'ExternalTenantNotFound in {{where}} ({{count}} occurrence(s)): "{{message}}". The configuration "{{configurationName}}" was created without "Setup cross-tenant synchronization across Microsoft clouds", so the target tenant ({{targetCloud}}) is looked up in the source\'s cloud ({{sourceCloud}}). Delete it and create a new one with the checkbox selected.',
  },
  fix: {
    summary:
      "In the source tenant, delete the failing configuration and create a new one with 'Setup cross-tenant synchronization across Microsoft clouds' checked, then redo its provisioning settings, assignments and mappings. The checkbox has no documented Graph equivalent, so create the new configuration in the admin center.",
    portal:
      "Source tenant: Entra admin center → Entra ID → External Identities → Cross-tenant synchronization → Configurations → select the configuration → Delete; then New configuration → name it → check 'Setup cross-tenant synchronization across Microsoft clouds' → Create",
    graph: [],
  },
  references: [
    {
      title: "Configure cross-tenant synchronization across Microsoft clouds — Troubleshoot (ExternalTenantNotFound)",
      url: "https://learn.microsoft.com/entra/identity/multi-tenant-organizations/cross-tenant-synchronization-configure?pivots=cross-cloud-synchronization#troubleshoot-common-cross-tenant-synchronization-scenarios",
    },
    {
      title: "Configure cross-tenant synchronization across Microsoft clouds — Step 5: Create a configuration in the source tenant",
      url: "https://learn.microsoft.com/entra/identity/multi-tenant-organizations/cross-tenant-synchronization-configure?pivots=cross-cloud-synchronization#step-5-create-a-configuration-in-the-source-tenant",
    },
  ],
  needs: ["source.syncServicePrincipals"],
  uses: ["source.connectionTest", "source.syncJobs", "source.provisioningLogs", "source.syncSecrets", "target.organization"],
  appliesTo(pair) {
    const source = pair.source.cloud;
    const target = pair.target.cloud;
    return sameCloud(source, target)
      ? `Both tenants are in the same Microsoft cloud (${CLOUDS[source].cloudEndpoint}); the cross-cloud checkbox only matters across clouds.`
      : undefined;
  },
  check(pair, ctx) {
    const source = pair.source.cloud;
    const target = pair.target.cloud;
    const config = requireConfiguration(pair, ctx);
    const collected = SIGNAL_FACETS.filter((id) => pair.has(id) && !(id === "source.connectionTest" && pair.get(id) === null));
    if (collected.length === 0) return ctx.inconclusive(`No error source was collected: ${facetStates(pair)}.`);

    const hits = errorSignals(pair).filter((s) => namesCtsCode(s.code, s.message, CODE));
    const [first] = hits;
    if (!first) return;
    ctx.report({
      messageId: "notMarked",
      errorCode: CODE,
      data: {
        where: whereSeen(hits),
        count: hits.length,
        message: first.message,
        configurationName: config.name,
        sourceCloud: CLOUDS[source].label,
        targetCloud: CLOUDS[target].label,
      },
      objects: [{ id: config.servicePrincipal.id, type: "servicePrincipal", displayName: config.name }],
      evidence: {
        errorCode: CODE,
        sourceCloud: source,
        targetCloud: target,
        seenIn: hits.map((h) => ({ source: h.source, ref: h.ref, message: h.message, ...(h.at ? { at: h.at } : {}) })),
        checkedSources: collected,
      },
    });
  },
});
