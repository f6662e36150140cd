// Source tenant: cross-tenant sync needs Entra ID P1/P2; group sync and cross-cloud sync need ID Governance or Entra Suite.
import { defineRule } from "../../src/engine/define.js";
import { CLOUDS, sameCloud } from "../../src/config/clouds.js";
import { configurationInUse, groupMapping, jobOf, schemaOf } from "../../src/model/configuration.js";
import type { Pair } from "../../src/model/pair.js";
import type { FacetId } from "../../src/snapshot/facets.js";
import { isLicenceError, NON_PREMIUM_TENANT } from "../../src/snapshot/manifest.js";
import type { ServicePlan, SubscribedSku } from "../../src/snapshot/graph-types.js";

const PREMIUM_PLAN_IDS = new Set(["41781fb2-bc02-4b7c-bd55-b576c07bb09d", "eec0eb4f-6444-4f95-aba0-50c24d67f998"]);
const PREMIUM_PLAN_NAMES = new Set(["aad_premium", "aad_premium_p2"]);
const GOVERNANCE_PLAN_ID = "e866a266-3cff-43a3-acca-0c90a7e00c8b";
/** Entra ID Governance, also inside Microsoft Entra Suite. */
const GOVERNANCE_PLAN_NAME = /identity_governance|entra_suite/i;
const ACTIVE_SKU = new Set(["enabled", "warning"]);
const CONFIG_FACETS: FacetId[] = ["source.syncServicePrincipals", "source.syncJobs", "source.syncSchemas"];

interface ActivePlan extends ServicePlan {
  skuPartNumber: string | null | undefined;
}

/** Service plans that grant the capability now: provisioned (Success) in a SKU that is Enabled or in Warning (grace). */
function activePlans(skus: SubscribedSku[]): ActivePlan[] {
  return skus
    .filter((s) => ACTIVE_SKU.has((s.capabilityStatus ?? "").toLowerCase()))
    .flatMap((s) =>
      (s.servicePlans ?? []).filter((p) => (p.provisioningStatus ?? "").toLowerCase() === "success").map((p) => ({ ...p, skuPartNumber: s.skuPartNumber })),
    );
}

const isPremium = (p: ServicePlan): boolean =>
  PREMIUM_PLAN_IDS.has((p.servicePlanId ?? "").toLowerCase()) || PREMIUM_PLAN_NAMES.has((p.servicePlanName ?? "").toLowerCase());
const isGovernance = (p: ServicePlan): boolean =>
  (p.servicePlanId ?? "").toLowerCase() === GOVERNANCE_PLAN_ID || GOVERNANCE_PLAN_NAME.test(p.servicePlanName ?? "");

/** The provisioning-log read's error when Graph refused it for want of a P1/P2 licence (a 403 no permission fixes). */
function logsLicenceRefusal(pair: Pair): { code: string; message: string } | undefined {
  const error = pair.entry("source.provisioningLogs").error;
  return error && isLicenceError(error.code) ? { code: error.code, message: error.message } : undefined;
}

/** Whether the configuration in use provisions groups; undefined when the configuration facets were not all collected. */
function groupSyncEnabled(pair: Pair): boolean | undefined {
  if (!CONFIG_FACETS.every((id) => pair.has(id))) return undefined;
  const config = configurationInUse(pair);
  const job = config ? jobOf(pair, config) : undefined;
  const schema = config && job ? schemaOf(pair, config, job) : undefined;
  if (config && job && !schema) return undefined;
  return groupMapping(schema)?.enabled === true;
}

export default defineRule({
  id: "source-license-missing",
  title: "Source tenant lacks the licences cross-tenant synchronization needs",
  severity: "high",
  side: "source",
  area: "policies",
  symptom: `Cross-tenant synchronization features are unavailable or stop working in the source tenant: the Automatic redemption checkbox is disabled ("Your tenant doesn't have a Microsoft Entra ID P1 or P2 license."), the provisioning logs cannot be read (Graph answers 403 ${NON_PREMIUM_TENANT}: "Neither tenant is B2C or tenant doesn't have premium license"), or group and cross-cloud synchronization cannot be used.`,
  cause:
    "The source tenant needs a Microsoft Entra ID P1 or P2 licence for cross-tenant user sync, and Microsoft Entra ID Governance or Microsoft Entra Suite licences for cross-tenant group sync and for cross-cloud synchronization.",
  detection: `Reads the source's subscribed SKUs, counting only service plans with provisioningStatus Success in SKUs whose capabilityStatus is Enabled or Warning. Fails when no Entra ID P1/P2 plan (AAD_PREMIUM, AAD_PREMIUM_P2) is active, or when no ID Governance plan (Entra_Identity_Governance, also in Entra Suite) is active while the configuration's group mapping is enabled or the pair is cross-cloud. Also fails when Graph refused the provisioning-log read with 403 ${NON_PREMIUM_TENANT}: that is a missing licence, not a missing permission.`,
  messages: {
    noPremium:
      "The source tenant {{sourceTenantId}} has no active Microsoft Entra ID P1 or P2 service plan (AAD_PREMIUM / AAD_PREMIUM_P2); cross-tenant user sync needs one. Active SKUs: {{skus}}.",
    logsUnlicensed:
      'Graph refused to read the source tenant {{sourceTenantId}}\'s provisioning logs with 403 {{errorCode}} ("{{graphMessage}}"): the tenant has no Microsoft Entra ID P1 or P2 licence in effect, which both the provisioning logs and cross-tenant user sync need. This is not a missing permission: granting AuditLog.Read.All does not help. The subscribed SKUs {{premiumSeen}}. Active SKUs: {{skus}}.',
    noGovernance:
      "The source tenant {{sourceTenantId}} has no active Microsoft Entra ID Governance or Microsoft Entra Suite service plan, which {{needs}} requires. Active SKUs: {{skus}}.",
  },
  fix: {
    summary:
      "Buy and assign the missing licences in the source tenant: Microsoft Entra ID P1 or P2 for the users that are synchronized; Microsoft Entra ID Governance or Microsoft Entra Suite when groups are synchronized or the target is in another Microsoft cloud. Or disable the feature that needs them (the group mapping).",
    portal:
      "Source tenant: Microsoft 365 admin center → Billing → Purchase services → Microsoft Entra ID P1/P2, Microsoft Entra ID Governance or Microsoft Entra Suite → then Entra admin center → Entra ID → Billing → Licenses → All products → (the product) → Assign",
    graph: [],
  },
  references: [
    {
      title: "Cross-tenant synchronization overview — License requirements",
      url: "https://learn.microsoft.com/entra/identity/multi-tenant-organizations/cross-tenant-synchronization-overview#license-requirements",
    },
    {
      title: "Configure cross-tenant synchronization — Prerequisites",
      url: "https://learn.microsoft.com/entra/identity/multi-tenant-organizations/cross-tenant-synchronization-configure#prerequisites",
    },
    {
      title: "Analyze provisioning logs — Prerequisites (Microsoft Entra ID P1 or P2)",
      url: "https://learn.microsoft.com/entra/identity/monitoring-health/howto-analyze-provisioning-logs#prerequisites",
    },
    { title: "Microsoft Entra licensing", url: "https://learn.microsoft.com/entra/fundamentals/licensing" },
    { title: "List subscribedSkus", url: "https://learn.microsoft.com/graph/api/subscribedsku-list" },
  ],
  needs: ["source.subscribedSkus"],
  uses: [...CONFIG_FACETS, "source.provisioningLogs", "source.syncSecrets", "target.organization"],
  check(pair, ctx) {
    const sourceTenantId = pair.source.tenantId;
    const skus = pair.get("source.subscribedSkus");
    const plans = activePlans(skus);
    const active = skus.filter((s) => ACTIVE_SKU.has((s.capabilityStatus ?? "").toLowerCase()));
    const skuList = active.map((s) => s.skuPartNumber ?? s.skuId ?? "?").join(", ") || "none";
    const object = { id: sourceTenantId, type: "policy" as const, displayName: `Licences of the source tenant ${sourceTenantId}` };
    const evidence = {
      skus: skus.map((s) => ({ skuPartNumber: s.skuPartNumber ?? null, capabilityStatus: s.capabilityStatus ?? null })),
      premiumPlans: plans.filter(isPremium).map((p) => `${p.servicePlanName} (${p.skuPartNumber})`),
      governancePlans: plans.filter(isGovernance).map((p) => `${p.servicePlanName} (${p.skuPartNumber})`),
    };

    const premium = plans.some(isPremium);
    const refusal = logsLicenceRefusal(pair);
    if (refusal) {
      const premiumSeen = premium
        ? `list an active P1/P2 plan (${evidence.premiumPlans.join(", ")}): check it is assigned and not just bought or expired`
        : "list no active P1/P2 plan either";
      ctx.report({
        messageId: "logsUnlicensed",
        data: { sourceTenantId, errorCode: refusal.code, graphMessage: refusal.message, premiumSeen, skus: skuList },
        errorCode: refusal.code,
        objects: [object],
        evidence: { ...evidence, "source.provisioningLogs": pair.entry("source.provisioningLogs") },
      });
    } else if (!premium) ctx.report({ messageId: "noPremium", data: { sourceTenantId, skus: skuList }, objects: [object], evidence });
    if (plans.some(isGovernance)) return;

    const crossCloud = !sameCloud(pair.source.cloud, pair.target.cloud);
    const groups = groupSyncEnabled(pair);
    if (!crossCloud && groups === undefined) {
      if (!premium) return; // already failing; the governance question cannot change that
      const missing = CONFIG_FACETS.filter((id) => !pair.has(id)).map((id) => `${id}: ${pair.entry(id).status}`);
      return ctx.inconclusive(
        `No ID Governance plan is active, and whether the configuration synchronizes groups is unknown (${missing.join("; ") || "job schema not collected"}).`,
      );
    }
    const reasons = [
      ...(groups ? ["group synchronization (the configuration's group mapping is enabled)"] : []),
      ...(crossCloud ? [`cross-cloud synchronization (${CLOUDS[pair.source.cloud].label} → ${CLOUDS[pair.target.cloud].label})`] : []),
    ];
    if (reasons.length === 0) return;
    ctx.report({
      messageId: "noGovernance",
      data: { sourceTenantId, needs: reasons.join(" and "), skus: skuList },
      objects: [object],
      evidence: { ...evidence, groupSync: groups ?? null, crossCloud },
    });
  },
});
