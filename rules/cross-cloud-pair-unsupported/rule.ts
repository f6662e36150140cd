// Both tenants: cross-cloud synchronization only works for the cloud pairs Microsoft documents.
import { defineRule } from "../../src/engine/define.js";
import { CLOUDS, sameCloud, type CloudName } from "../../src/config/clouds.js";

/** Supported cross-cloud directions (source → target), by the clouds' endpoint names, as the configure guide lists them. */
const SUPPORTED: readonly (readonly [string, string])[] = [
  [CLOUDS.global.cloudEndpoint, CLOUDS.usgov.cloudEndpoint],
  [CLOUDS.usgov.cloudEndpoint, CLOUDS.global.cloudEndpoint],
  [CLOUDS.global.cloudEndpoint, CLOUDS.china.cloudEndpoint],
];

function supported(source: CloudName, target: CloudName): boolean {
  return SUPPORTED.some(([s, t]) => CLOUDS[source].cloudEndpoint === s && CLOUDS[target].cloudEndpoint === t);
}

export default defineRule({
  id: "cross-cloud-pair-unsupported",
  title: "Cross-cloud synchronization does not support this pair of clouds",
  severity: "critical",
  side: "both",
  area: "policies",
  symptom:
    "The source and target tenants are in different Microsoft clouds that cross-cloud synchronization does not connect: the configuration cannot reach the target tenant (for example, Test connection fails), whatever is configured.",
  cause:
    "Cross-cloud synchronization supports only these cloud pairs: Commercial → Azure Government, Azure Government → Commercial, and Commercial → Azure China (21Vianet). Azure Government → Azure China, Azure China → Commercial and Azure China → Azure Government are not supported.",
  detection:
    "Compares the clouds of the two tenants (GCC High and DoD count as the same Azure Government cloud, microsoftonline.us). Fails when they differ and the direction is not one of the supported cross-cloud pairs; not applicable to same-cloud pairs.",
  messages: {
    unsupported:
      "Cross-cloud synchronization from {{sourceCloud}} (source {{sourceTenantId}}) to {{targetCloud}} (target {{targetTenantId}}) is not supported. Supported cloud pairs: Commercial → Azure Government, Azure Government → Commercial, Commercial → Azure China (21Vianet).",
  },
  fix: {
    summary:
      "Cross-tenant synchronization cannot connect these clouds. Synchronize from a tenant in a supported cloud (for a China target, the source must be a commercial tenant; for a commercial target, a commercial or Azure Government source), or use B2B invitations instead.",
    portal:
      "No setting fixes this: choose a source tenant in a supported cloud for the target (Commercial → Azure Government, Azure Government → Commercial, Commercial → Azure China), then configure cross-tenant synchronization from that tenant",
    graph: [],
  },
  references: [
    { title: "Configure cross-tenant synchronization across Microsoft clouds — Supported cloud pairs", url: "https://learn.microsoft.com/entra/identity/multi-tenant-organizations/cross-tenant-synchronization-configure?pivots=cross-cloud-synchronization#supported-cloud-pairs" },
    { title: "Cross-tenant synchronization overview — Clouds", url: "https://learn.microsoft.com/entra/identity/multi-tenant-organizations/cross-tenant-synchronization-overview#clouds" },
  ],
  needs: ["source.crossTenantAccessPolicy", "target.crossTenantAccessPolicy"],
  appliesTo(pair) {
    const source = pair.source.cloud;
    const target = pair.target.cloud;
    return sameCloud(source, target) ? `Both tenants are in the same Microsoft cloud (${CLOUDS[source].cloudEndpoint}); this is not cross-cloud synchronization.` : undefined;
  },
  check(pair, ctx) {
    const source = pair.source.cloud;
    const target = pair.target.cloud;
    if (supported(source, target)) return;
    const sourceTenantId = pair.source.tenantId;
    const targetTenantId = pair.target.tenantId;
    ctx.report({
      messageId: "unsupported",
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
        supportedPairs: SUPPORTED.map(([s, t]) => `${s} → ${t}`),
      },
    });
  },
});
