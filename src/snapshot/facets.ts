// The facet catalogue: every piece of tenant data a snapshot can hold, its file, shape and the permission to read it.
import type { FacetData } from "./graph-types.js";

/** Facet ids are `<side>.<name>`; FacetData (graph-types.ts) gives each one's data type. */
export type FacetId = keyof FacetData;

export type TenantSide = "source" | "target";
export type FacetFormat = "json" | "ndjson";

export interface FacetSpec {
  id: FacetId;
  side: TenantSide;
  /** Path of the facet file inside the snapshot folder. */
  file: string;
  format: FacetFormat;
  /** What the file holds, in Graph terms. */
  description: string;
  /** Graph request(s) that produce it (documentation and `permissions`). */
  endpoint: string;
  /** Least application permission that makes it readable. */
  permission: string;
}

function facet(side: TenantSide, name: string, format: FacetFormat, endpoint: string, permission: string, description: string): FacetSpec {
  return { id: `${side}.${name}` as FacetId, side, file: `${side}/${name}.${format}`, format, endpoint, permission, description };
}

const bothSides = (side: TenantSide): FacetSpec[] => {
  const other = side === "source" ? "{targetTenantId}" : "{sourceTenantId}";
  return [
    facet(side, "organization", "json", "GET /organization", "Organization.Read.All", "array of organization objects"),
    facet(
      side,
      "crossTenantAccessPolicy",
      "json",
      "GET /policies/crossTenantAccessPolicy",
      "Policy.Read.All",
      "crossTenantAccessPolicy entity (allowedCloudEndpoints)",
    ),
    facet(
      side,
      "crossTenantAccessDefault",
      "json",
      "GET /policies/crossTenantAccessPolicy/default",
      "Policy.Read.All",
      "crossTenantAccessPolicyConfigurationDefault entity",
    ),
    facet(
      side,
      "partner",
      "json",
      `GET /policies/crossTenantAccessPolicy/partners/${other}`,
      "Policy.Read.All",
      "crossTenantAccessPolicyConfigurationPartner entity for the other tenant, or null when none exists (404)",
    ),
    facet(side, "authorizationPolicy", "json", "GET /policies/authorizationPolicy", "Policy.Read.All", "authorizationPolicy entity (allowInvitesFrom)"),
    facet(side, "subscribedSkus", "json", "GET /subscribedSkus", "LicenseAssignment.Read.All", "array of subscribedSku objects"),
  ];
};

/** Every facet, in collection order. */
export const FACETS: readonly FacetSpec[] = [
  ...bothSides("source"),
  facet(
    "source",
    "syncServicePrincipals",
    "json",
    "GET /servicePrincipals?$filter=applicationTemplateId eq '518e5f48-1fc8-4c48-9387-9fdf28b0dfe7'",
    "Application.Read.All",
    "array of servicePrincipal objects: the cross-tenant synchronization configurations",
  ),
  facet(
    "source",
    "syncSecrets",
    "json",
    "GET beta (then v1.0) /servicePrincipals/{id}/synchronization/secrets",
    "Synchronization.ReadWrite.All",
    "object: servicePrincipal id -> array of {key, value} (CompanyId, SyncAll, SyncNotificationSettings; credentials dropped); a service principal whose secrets no version answered is absent, its error in the manifest entry's reads",
  ),
  facet(
    "source",
    "syncJobs",
    "json",
    "GET /servicePrincipals/{id}/synchronization/jobs",
    "Synchronization.Read.All",
    "object: servicePrincipal id -> array of synchronizationJob (the configuration for the target, or every candidate when it cannot be identified)",
  ),
  facet(
    "source",
    "syncSchemas",
    "json",
    "GET /servicePrincipals/{id}/synchronization/jobs/{jobId}/schema",
    "Synchronization.Read.All",
    "object: servicePrincipal id -> job id -> synchronizationSchema",
  ),
  facet(
    "source",
    "syncAssignments",
    "json",
    "GET /servicePrincipals/{id}/appRoleAssignedTo",
    "Application.Read.All",
    "object: servicePrincipal id -> array of appRoleAssignment",
  ),
  facet(
    "source",
    "groupMembers",
    "json",
    "GET /groups/{id}/members",
    "GroupMember.Read.All",
    "object: assigned group id -> array of direct members (directoryObject with @odata.type)",
  ),
  facet(
    "source",
    "users",
    "ndjson",
    "GET /users/{id} ($batch) or GET /users",
    "User.Read.All",
    "one user object per line: the users in scope of the configuration",
  ),
  facet(
    "source",
    "phoneMethods",
    "ndjson",
    "GET /users/{id}/authentication/phoneMethods ($batch)",
    "UserAuthMethod-Phone.Read.All",
    "one {userId, value: phoneAuthenticationMethod[]} per line, for in-scope users",
  ),
  facet(
    "source",
    "provisioningLogs",
    "ndjson",
    "GET /auditLogs/provisioning?$filter=servicePrincipal/id eq '{id}'",
    "AuditLog.Read.All",
    "one provisioningObjectSummary per line within the collection window",
  ),
  facet(
    "source",
    "provisioningOutcomes",
    "json",
    "GET /auditLogs/provisioning?$filter=servicePrincipal/id eq '{id}' and provisioningStatusInfo/status eq 'success' and activityDateTime gt {first problem} and (sourceIdentity/id eq '{objectId}' or …)",
    "AuditLog.Read.All",
    "array of provisioningObjectSummary (id, activityDateTime, cycleId, provisioningAction, servicePrincipal.id, sourceIdentity.id, provisioningStatusInfo.status): the latest success of each object that failed, was skipped or warned in the logs, when one came after its first problem",
  ),
  facet(
    "source",
    "connectionTest",
    "json",
    "POST /servicePrincipals/{id}/synchronization/jobs/{jobId}/validateCredentials",
    "Synchronization.ReadWrite.All",
    "{ok, status, error?: {code, message}, testedAt} from the live connection test",
  ),
  ...bothSides("target"),
  facet(
    "target",
    "identitySynchronization",
    "json",
    "GET beta /policies/crossTenantAccessPolicy/partners/{sourceTenantId}/identitySynchronization",
    "Policy.Read.All",
    "crossTenantIdentitySyncPolicyPartner entity (beta, with groupSyncInbound), or null when none exists (404)",
  ),
  facet(
    "target",
    "externalIdentitiesPolicy",
    "json",
    "GET beta /policies/externalIdentitiesPolicy",
    "Policy.Read.All",
    "externalIdentitiesPolicy entity (allowExternalIdentitiesToLeave)",
  ),
  facet("target", "users", "ndjson", "GET /users?$select=…", "User.Read.All", "one external (B2B) user object per line"),
  facet("target", "deletedUsers", "json", "GET /directory/deletedItems/microsoft.graph.user", "User.Read.All", "array of soft-deleted user objects"),
];

export const FACET_IDS: readonly FacetId[] = FACETS.map((f) => f.id);

const byId = new Map<string, FacetSpec>(FACETS.map((f) => [f.id, f]));

export function facetSpec(id: FacetId): FacetSpec {
  const spec = byId.get(id);
  if (!spec) throw new Error(`unknown facet ${id}`);
  return spec;
}

export function isFacetId(id: string): id is FacetId {
  return byId.has(id);
}
