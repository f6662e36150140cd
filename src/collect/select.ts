// The $select lists: the properties rules and reports use, and nothing else (smaller pages, fewer resource units).
import type { Graph } from "../snapshot/graph-types.js";

// Each list `satisfies` the keys of Microsoft's entity type, so a misspelt property is a compile error, not a 400.

export const USER_SELECT = [
  "id",
  "displayName",
  "userPrincipalName",
  "mail",
  "otherMails",
  "userType",
  "creationType",
  "externalUserState",
  "externalUserStateChangeDateTime",
  "identities",
  "accountEnabled",
  "createdDateTime",
] satisfies (keyof Graph.User)[];

export const DELETED_USER_SELECT = [
  "id",
  "displayName",
  "userPrincipalName",
  "mail",
  "otherMails",
  "userType",
  "creationType",
  "deletedDateTime",
] satisfies (keyof Graph.User)[];

export const MEMBER_SELECT = [
  "id",
  "displayName",
  "userPrincipalName",
  "mail",
  "otherMails",
  "userType",
  "creationType",
  "accountEnabled",
  "createdDateTime",
] satisfies (keyof Graph.User)[];

export const SERVICE_PRINCIPAL_SELECT = [
  "id",
  "appId",
  "displayName",
  "applicationTemplateId",
  "appRoleAssignmentRequired",
  "appRoles",
] satisfies (keyof Graph.ServicePrincipal)[];

export const ASSIGNMENT_SELECT = [
  "id",
  "appRoleId",
  "principalId",
  "principalType",
  "principalDisplayName",
  "resourceId",
  "createdDateTime",
] satisfies (keyof Graph.AppRoleAssignment)[];

export const SKU_SELECT = [
  "id",
  "skuId",
  "skuPartNumber",
  "capabilityStatus",
  "appliesTo",
  "servicePlans",
  "prepaidUnits",
  "consumedUnits",
] satisfies (keyof Graph.SubscribedSku)[];

export const ORGANIZATION_SELECT = ["id", "displayName", "verifiedDomains"] satisfies (keyof Graph.Organization)[];

export const CROSS_TENANT_ACCESS_POLICY_SELECT = ["id", "displayName", "allowedCloudEndpoints"] satisfies (keyof Graph.CrossTenantAccessPolicy)[];

export const AUTHORIZATION_POLICY_SELECT = [
  "id",
  "allowInvitesFrom",
  "guestUserRoleId",
  "allowedToSignUpEmailBasedSubscriptions",
] satisfies (keyof Graph.AuthorizationPolicy)[];

/** A user's groups, for the trace's group-assignment step. */
export const GROUP_SELECT = ["id", "displayName"] satisfies (keyof Graph.Group)[];

/** Directory collections allow up to 999 per page. */
export const DIRECTORY_PAGE = 999;

/** Provisioning-log page size used by the Entra admin center and Microsoft's examples (the maximum is undocumented). */
export const LOG_PAGE = 500;
