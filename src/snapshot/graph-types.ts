// Our names for Microsoft's published Graph entity types (v1.0, beta where we read beta) and the snapshot-only shapes.
import type * as Graph from "@microsoft/microsoft-graph-types";
import type * as GraphBeta from "@microsoft/microsoft-graph-types-beta";

export type { Graph, GraphBeta };

/** Any Graph JSON object, for code that passes entities through without reading them (the emulator, annotations). */
export interface GraphObject {
  [key: string]: unknown;
}

/**
 * Microsoft's type with the properties `K` present and not null. Microsoft makes nearly every property optional; the
 * ones listed here are those the snapshot's shape check (`shapes.ts`) verifies at load, so the model may index by them.
 */
export type WithRequired<T, K extends keyof T> = Omit<T, K> & { [P in K]-?: NonNullable<T[P]> };

/**
 * `detailsInfo` is an open type in the CSDL (its members are whatever the service sends, e.g. `SkipReason`,
 * `ReportableIdentifier`), which Microsoft's typings render as `{}`: we read it as string pairs.
 */
export type DetailsInfo = Record<string, string>;

export type InboundOutbound = Graph.InboundOutboundPolicyConfiguration;
export type Organization = WithRequired<Graph.Organization, "id">;
export type CrossTenantAccessPolicy = Graph.CrossTenantAccessPolicy;
export type CrossTenantAccessDefault = Graph.CrossTenantAccessPolicyConfigurationDefault;
export type PartnerConfiguration = WithRequired<Graph.CrossTenantAccessPolicyConfigurationPartner, "tenantId">;

/**
 * Read on beta. `groupSyncInbound` is published for beta (docs-contrib `api-reference/beta/resources/
 * crosstenantgroupsyncinbound.md`) but not yet in `microsoft-graph-types-beta` 0.44.
 */
export type IdentitySynchronization = GraphBeta.CrossTenantIdentitySyncPolicyPartner & {
  groupSyncInbound?: Graph.NullableOption<{ isSyncAllowed?: Graph.NullableOption<boolean> }>;
};

export type AuthorizationPolicy = Graph.AuthorizationPolicy;
export type ExternalIdentitiesPolicy = GraphBeta.ExternalIdentitiesPolicy;
export type ServicePlan = Graph.ServicePlanInfo;
export type SubscribedSku = Graph.SubscribedSku;
export type ServicePrincipal = WithRequired<Graph.ServicePrincipal, "id">;

/** One synchronization secret; the snapshot keeps only the documented keys it needs, both always strings. */
export type KeyValue = { key: string; value: string };

export type SynchronizationError = Graph.SynchronizationError;
export type SynchronizationJob = WithRequired<Graph.SynchronizationJob, "id">;
export type FilterClause = Graph.FilterClause;
export type FilterGroup = Graph.FilterGroup;
export type AttributeMappingSource = Graph.AttributeMappingSource;
export type AttributeMapping = Graph.AttributeMapping;
export type ObjectMapping = Graph.ObjectMapping;
export type SynchronizationRule = Graph.SynchronizationRule;
export type SynchronizationSchema = Graph.SynchronizationSchema;
export type AppRoleAssignment = WithRequired<Graph.AppRoleAssignment, "id" | "principalId">;

/** A group member: a user or a nested group (`@odata.type` says which), read with the member `$select`. */
export type DirectoryObject = User & Pick<Graph.Group, "displayName">;

/** `@odata.type` is kept where Graph sends it (deleted items, group members). */
export type User = WithRequired<Graph.User, "id"> & { "@odata.type"?: string };
export type PhoneMethod = WithRequired<Graph.PhoneAuthenticationMethod, "id">;

/** Snapshot-only: one user's phone methods (the facet groups Graph's per-user lists). */
export interface UserPhoneMethods {
  userId: string;
  value: PhoneMethod[];
}

export type ProvisioningErrorInfo = Graph.ProvisioningErrorInfo;
export type ProvisioningStep = Omit<Graph.ProvisioningStep, "details"> & { details?: Graph.NullableOption<DetailsInfo> };
export type ProvisionedIdentity = Omit<Graph.ProvisionedIdentity, "details"> & { details?: Graph.NullableOption<DetailsInfo> };
export type ProvisioningLogEntry = Omit<
  WithRequired<Graph.ProvisioningObjectSummary, "id" | "activityDateTime">,
  "provisioningSteps" | "sourceIdentity" | "targetIdentity"
> & {
  provisioningSteps?: Graph.NullableOption<ProvisioningStep[]>;
  sourceIdentity?: Graph.NullableOption<ProvisionedIdentity>;
  targetIdentity?: Graph.NullableOption<ProvisionedIdentity>;
};

/** Snapshot-only: the outcome of `validateCredentials` (which answers 204 with no body). */
export interface ConnectionTest {
  ok: boolean;
  status: number;
  testedAt: string;
  servicePrincipalId: string;
  jobId?: string;
  error?: { code: string; message: string; requestId?: string };
}

/** The data type each facet file holds. */
export interface FacetData {
  "source.organization": Organization[];
  "source.crossTenantAccessPolicy": CrossTenantAccessPolicy;
  "source.crossTenantAccessDefault": CrossTenantAccessDefault;
  "source.partner": PartnerConfiguration | null;
  "source.authorizationPolicy": AuthorizationPolicy;
  "source.subscribedSkus": SubscribedSku[];
  "source.syncServicePrincipals": ServicePrincipal[];
  "source.syncSecrets": Record<string, KeyValue[]>;
  "source.syncJobs": Record<string, SynchronizationJob[]>;
  "source.syncSchemas": Record<string, Record<string, SynchronizationSchema>>;
  "source.syncAssignments": Record<string, AppRoleAssignment[]>;
  "source.groupMembers": Record<string, DirectoryObject[]>;
  "source.users": User[];
  "source.phoneMethods": UserPhoneMethods[];
  "source.provisioningLogs": ProvisioningLogEntry[];
  "source.provisioningOutcomes": ProvisioningLogEntry[];
  "source.connectionTest": ConnectionTest | null;
  "target.organization": Organization[];
  "target.crossTenantAccessPolicy": CrossTenantAccessPolicy;
  "target.crossTenantAccessDefault": CrossTenantAccessDefault;
  "target.partner": PartnerConfiguration | null;
  "target.authorizationPolicy": AuthorizationPolicy;
  "target.subscribedSkus": SubscribedSku[];
  "target.identitySynchronization": IdentitySynchronization | null;
  "target.externalIdentitiesPolicy": ExternalIdentitiesPolicy;
  "target.users": User[];
  "target.deletedUsers": User[];
}
