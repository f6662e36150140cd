// Rule metadata that two or more rules share, written once: reference links (titles and URLs as the READMEs show them) and the policy rules.
import type { RuleId } from "../src/engine/rule-ids.js";
import type { Reference } from "../src/engine/types.js";

/** Shared references, by a short name; a rule lists them in its `references`. */
export const REFERENCES = {
  accidentalDeletions: {
    title: "Enable accidental deletions prevention in the Microsoft Entra provisioning service",
    url: "https://learn.microsoft.com/entra/identity/app-provisioning/accidental-deletions",
  },
  configureStep10Settings: {
    title: "Configure cross-tenant synchronization — Step 10: Specify additional provisioning settings",
    url: "https://learn.microsoft.com/entra/identity/multi-tenant-organizations/cross-tenant-synchronization-configure#step-10-specify-additional-provisioning-settings",
  },
  configureStep6TestConnection: {
    title: "Configure cross-tenant synchronization — Step 6: Test the connection to the target tenant",
    url: "https://learn.microsoft.com/entra/identity/multi-tenant-organizations/cross-tenant-synchronization-configure#step-6-test-the-connection-to-the-target-tenant",
  },
  configureStep7Scope: {
    title: "Configure cross-tenant synchronization — Step 7: Define who is in scope for provisioning",
    url: "https://learn.microsoft.com/entra/identity/multi-tenant-organizations/cross-tenant-synchronization-configure#step-7-define-who-is-in-scope-for-provisioning",
  },
  configureTroubleshoot: {
    title: "Configure cross-tenant synchronization — Troubleshoot common cross-tenant synchronization scenarios",
    url: "https://learn.microsoft.com/entra/identity/multi-tenant-organizations/cross-tenant-synchronization-configure#troubleshoot-common-cross-tenant-synchronization-scenarios",
  },
  crossCloudStep1Settings: {
    title: "Configure cross-tenant synchronization across Microsoft clouds — Step 1: Enable cross-cloud settings in both tenants",
    url: "https://learn.microsoft.com/entra/identity/multi-tenant-organizations/cross-tenant-synchronization-configure?pivots=cross-cloud-synchronization#step-1-enable-cross-cloud-settings-in-both-tenants",
  },
  grantAppRoleAssignment: {
    title: "Grant an appRoleAssignment for a service principal",
    url: "https://learn.microsoft.com/graph/api/serviceprincipal-post-approleassignedto",
  },
  graphTroubleshootingSameKeyValue: {
    title: "Configure cross-tenant synchronization using Microsoft Graph — Troubleshooting tips (Request_MultipleObjectsWithSameKeyValue)",
    url: "https://learn.microsoft.com/entra/identity/multi-tenant-organizations/cross-tenant-synchronization-configure-graph#troubleshooting-tips",
  },
  knownIssues: {
    title: "Known issues for provisioning in Microsoft Entra ID",
    url: "https://learn.microsoft.com/entra/identity/app-provisioning/known-issues",
  },
  knownIssuesCrossTenant: {
    title: "Known issues for provisioning in Microsoft Entra ID — Cross-tenant synchronization",
    url: "https://learn.microsoft.com/entra/identity/app-provisioning/known-issues#cross-tenant-synchronization",
  },
  onDemandLimitations: {
    title: "On-demand provisioning — known limitations",
    url: "https://learn.microsoft.com/entra/identity/app-provisioning/provision-on-demand?pivots=cross-tenant-synchronization#known-limitations",
  },
  overviewClouds: {
    title: "Cross-tenant synchronization overview — Clouds",
    url: "https://learn.microsoft.com/entra/identity/multi-tenant-organizations/cross-tenant-synchronization-overview#clouds",
  },
  overviewGroupSync: {
    title: "Cross-tenant synchronization overview — Group synchronization",
    url: "https://learn.microsoft.com/entra/identity/multi-tenant-organizations/cross-tenant-synchronization-overview#group-synchronization",
  },
  overviewMesh: {
    title: "Cross-tenant synchronization overview — Can I sync a mesh between multiple tenants?",
    url: "https://learn.microsoft.com/entra/identity/multi-tenant-organizations/cross-tenant-synchronization-overview#can-i-sync-a-mesh-between-multiple-tenants",
  },
  putSyncSecrets: {
    title: "Add synchronization secrets (PUT /servicePrincipals/{id}/synchronization/secrets)",
    url: "https://learn.microsoft.com/graph/api/synchronization-serviceprincipal-put-synchronization",
  },
  quarantineStatus: {
    title: "Application provisioning in quarantine status",
    url: "https://learn.microsoft.com/entra/identity/app-provisioning/application-provisioning-quarantine-status",
  },
  updateSchema: { title: "Update synchronizationSchema", url: "https://learn.microsoft.com/graph/api/synchronization-synchronizationschema-update" },
  updateSyncPolicyPartner: {
    title: "Update crossTenantIdentitySyncPolicyPartner (PATCH)",
    url: "https://learn.microsoft.com/graph/api/crosstenantidentitysyncpolicypartner-update",
  },
} satisfies Record<string, Reference>;

/**
 * The cross-tenant access policy and cross-cloud rules whose failure explains a failed policy check: both a failed
 * connection test and a quarantined job name them in `explainedBy`, in this order.
 */
export const POLICY_RULES: RuleId[] = [
  "source-outbound-auto-redeem-disabled",
  "target-inbound-sync-disabled",
  "target-inbound-auto-redeem-disabled",
  "cross-cloud-config-not-marked",
  "cross-cloud-sync-not-enabled-in-target",
];
