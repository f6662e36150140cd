// Both tenants: cross-tenant synchronization only works for the same-cloud and cross-cloud pairs Microsoft documents.
import { defineRule } from "../../src/engine/define.js";
import { CLOUDS, SUPPORTED_CLOUD_PAIRS, cloudPairSupport } from "../../src/config/clouds.js";
import { REFERENCES } from "../references.js";

export default defineRule({
  id: "cross-cloud-pair-unsupported",
  title: "Cross-tenant synchronization does not support this pair of clouds",
  severity: "critical",
  side: "both",
  area: "policies",
  symptom:
    "The source and target tenants are in Microsoft clouds that cross-tenant synchronization does not connect (two clouds cross-cloud synchronization does not pair, or two tenants of Azure operated by 21Vianet): the configuration cannot reach the target tenant (for example, Test connection fails), whatever is configured.",
  cause:
    "Within one cloud, cross-tenant synchronization is supported in the commercial cloud and in Azure Government, and not within Azure operated by 21Vianet (Azure China). Cross-cloud synchronization supports only these cloud pairs: Commercial → Azure Government, Azure Government → Commercial, and Commercial → Azure China (21Vianet). Azure Government → Azure China, Azure China → Commercial and Azure China → Azure Government are not supported.",
  detection:
    "Compares the clouds of the two tenants (GCC High and DoD count as the same Azure Government cloud, microsoftonline.us) with the documented table of supported source → target pairs: Commercial → Commercial, Azure Government → Azure Government, Commercial → Azure Government, Azure Government → Commercial, Commercial → Azure China. Fails for any other pair, same-cloud (Azure China → Azure China) or cross-cloud.",
  messages: {
    unsupported:
      "Cross-cloud synchronization from {{sourceCloud}} (source {{sourceTenantId}}) to {{targetCloud}} (target {{targetTenantId}}) is not supported. Supported cloud pairs: Commercial → Azure Government, Azure Government → Commercial, Commercial → Azure China (21Vianet).",
    sameCloudUnsupported:
      "Cross-tenant synchronization is not supported within {{sourceCloud}}: source {{sourceTenantId}} and target {{targetTenantId}} are both in it. Within one cloud it is supported in the commercial cloud and Azure Government only.",
  },
  fix: {
    summary:
      "Cross-tenant synchronization cannot connect these clouds. Synchronize from a tenant in a supported cloud (for a China target, the source must be a commercial tenant; for a commercial target, a commercial or Azure Government source), or use B2B invitations instead.",
    portal:
      "No setting fixes this: choose a source tenant in a supported cloud for the target (Commercial → Azure Government, Azure Government → Commercial, Commercial → Azure China), then configure cross-tenant synchronization from that tenant",
    graph: [],
  },
  references: [
    {
      title: "Configure cross-tenant synchronization across Microsoft clouds — Supported cloud pairs",
      url: "https://learn.microsoft.com/entra/identity/multi-tenant-organizations/cross-tenant-synchronization-configure?pivots=cross-cloud-synchronization#supported-cloud-pairs",
    },
    {
      title: "Cross-tenant synchronization overview — Within the same cloud, where can I use cross-tenant synchronization?",
      url: "https://learn.microsoft.com/entra/identity/multi-tenant-organizations/cross-tenant-synchronization-overview#within-the-same-cloud-where-can-i-use-cross-tenant-synchronization",
    },
    {
      title: "Cross-tenant synchronization overview — What cloud pairs are supported for cross-cloud synchronization?",
      url: "https://learn.microsoft.com/entra/identity/multi-tenant-organizations/cross-tenant-synchronization-overview#what-cloud-pairs-are-supported-for-cross-cloud-synchronization",
    },
    REFERENCES.overviewClouds,
  ],
  needs: ["source.crossTenantAccessPolicy", "target.crossTenantAccessPolicy"],
  check(pair, ctx) {
    const source = pair.source.cloud;
    const target = pair.target.cloud;
    const support = cloudPairSupport(source, target);
    if (support.supported) return;
    const sourceTenantId = pair.source.tenantId;
    const targetTenantId = pair.target.tenantId;
    ctx.report({
      messageId: support.kind === "same-cloud" ? "sameCloudUnsupported" : "unsupported",
      data: { sourceCloud: CLOUDS[source].label, targetCloud: CLOUDS[target].label, sourceTenantId, targetTenantId },
      objects: [
        { id: sourceTenantId, type: "policy", displayName: `Source tenant ${sourceTenantId} (${CLOUDS[source].label})` },
        { id: targetTenantId, type: "policy", displayName: `Target tenant ${targetTenantId} (${CLOUDS[target].label})` },
      ],
      evidence: {
        sourceCloud: source,
        targetCloud: target,
        sourceAllowedCloudEndpoints: pair.get("source.crossTenantAccessPolicy").allowedCloudEndpoints ?? [],
        targetAllowedCloudEndpoints: pair.get("target.crossTenantAccessPolicy").allowedCloudEndpoints ?? [],
        kind: support.kind,
        supportedPairs: SUPPORTED_CLOUD_PAIRS.map(([s, t]) => `${s} → ${t}`),
      },
    });
  },
});
