// The $select lists: the properties rules and reports use, and nothing else (smaller pages, fewer resource units).

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
];

export const DELETED_USER_SELECT = ["id", "displayName", "userPrincipalName", "mail", "otherMails", "userType", "creationType", "deletedDateTime"];

export const MEMBER_SELECT = ["id", "displayName", "userPrincipalName", "mail", "otherMails", "userType", "creationType", "accountEnabled", "createdDateTime"];

export const SERVICE_PRINCIPAL_SELECT = ["id", "appId", "displayName", "applicationTemplateId", "appRoleAssignmentRequired", "appRoles"];

export const ASSIGNMENT_SELECT = ["id", "appRoleId", "principalId", "principalType", "principalDisplayName", "resourceId", "createdDateTime"];

export const SKU_SELECT = ["id", "skuId", "skuPartNumber", "capabilityStatus", "appliesTo", "servicePlans", "prepaidUnits", "consumedUnits"];

/** Directory collections allow up to 999 per page. */
export const DIRECTORY_PAGE = 999;

/** Provisioning-log page size used by the Entra admin center and Microsoft's examples (the maximum is undocumented). */
export const LOG_PAGE = 500;
