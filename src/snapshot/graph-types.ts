// The Graph JSON shapes the tool reads, as documented (fields we do not use are kept but untyped).

export interface GraphObject {
  [key: string]: unknown;
}

export interface InboundOutbound {
  inboundAllowed?: boolean | null;
  outboundAllowed?: boolean | null;
}

export interface Organization extends GraphObject {
  id: string;
  displayName?: string | null;
  verifiedDomains?: { name?: string; isDefault?: boolean; isInitial?: boolean }[];
}

export interface CrossTenantAccessPolicy extends GraphObject {
  id?: string;
  allowedCloudEndpoints?: string[] | null;
}

export interface CrossTenantAccessDefault extends GraphObject {
  isServiceDefault?: boolean | null;
  automaticUserConsentSettings?: InboundOutbound | null;
}

export interface PartnerConfiguration extends GraphObject {
  tenantId: string;
  automaticUserConsentSettings?: InboundOutbound | null;
  isInMultiTenantOrganization?: boolean | null;
  identitySynchronization?: IdentitySynchronization | null;
}

export interface IdentitySynchronization extends GraphObject {
  tenantId?: string;
  displayName?: string | null;
  externalCloudAuthorizedApplicationId?: string | null;
  userSyncInbound?: { isSyncAllowed?: boolean | null } | null;
  groupSyncInbound?: { isSyncAllowed?: boolean | null } | null;
}

export interface AuthorizationPolicy extends GraphObject {
  id?: string;
  allowInvitesFrom?: "none" | "adminsAndGuestInviters" | "adminsGuestInvitersAndAllMembers" | "everyone" | string | null;
}

export interface ExternalIdentitiesPolicy extends GraphObject {
  allowExternalIdentitiesToLeave?: boolean | null;
}

export interface ServicePlan {
  servicePlanId?: string;
  servicePlanName?: string;
  provisioningStatus?: string;
  appliesTo?: string;
}

export interface SubscribedSku extends GraphObject {
  skuId?: string;
  skuPartNumber?: string;
  capabilityStatus?: string;
  servicePlans?: ServicePlan[];
}

export interface ServicePrincipal extends GraphObject {
  id: string;
  appId?: string;
  displayName?: string | null;
  applicationTemplateId?: string | null;
}

export interface KeyValue {
  key: string;
  value: string;
}

export interface SynchronizationError {
  code?: string | null;
  message?: string | null;
  tenantActionable?: boolean | null;
}

export interface SynchronizationJob extends GraphObject {
  id: string;
  templateId?: string;
  schedule?: { expiration?: string | null; interval?: string; state?: "Active" | "Disabled" | "Paused" | string } | null;
  status?: {
    code?: "NotConfigured" | "NotRun" | "Active" | "Paused" | "Quarantine" | string;
    countSuccessiveCompleteFailures?: number;
    lastExecution?: { state?: string; error?: SynchronizationError | null; timeBegan?: string; timeEnded?: string } | null;
    lastSuccessfulExecution?: { timeEnded?: string } | null;
    quarantine?: {
      currentBegan?: string;
      nextAttempt?: string;
      reason?: string;
      seriesBegan?: string;
      seriesCount?: number;
      error?: SynchronizationError | null;
    } | null;
    synchronizedEntryCountByType?: { key: string; value: number }[];
    troubleshootingUrl?: string | null;
  } | null;
  synchronizationJobSettings?: { name: string; value: string }[];
}

export interface FilterClause {
  operatorName: string;
  sourceOperandName: string;
  targetOperand?: { values?: string[] } | null;
}

export interface FilterGroup {
  name?: string;
  clauses?: FilterClause[];
}

export interface AttributeMappingSource {
  expression?: string | null;
  name?: string | null;
  type?: "Attribute" | "Constant" | "Function" | string;
  parameters?: { key: string; value: AttributeMappingSource }[];
}

export interface AttributeMapping {
  targetAttributeName: string;
  flowType?: string;
  matchingPriority?: number;
  defaultValue?: string | null;
  source?: AttributeMappingSource | null;
}

export interface ObjectMapping {
  enabled?: boolean;
  flowTypes?: string;
  name?: string;
  sourceObjectName?: string;
  targetObjectName?: string;
  scope?: { groups?: FilterGroup[]; inputFilterGroups?: FilterGroup[]; categoryFilterGroups?: FilterGroup[] } | null;
  attributeMappings?: AttributeMapping[];
}

export interface SynchronizationRule {
  id: string;
  name?: string;
  priority?: number;
  objectMappings?: ObjectMapping[];
}

export interface SynchronizationSchema extends GraphObject {
  id?: string;
  synchronizationRules?: SynchronizationRule[];
}

export interface AppRoleAssignment extends GraphObject {
  id: string;
  appRoleId?: string;
  principalId: string;
  principalType?: "User" | "Group" | "ServicePrincipal" | string;
  principalDisplayName?: string | null;
  resourceId?: string;
}

export interface DirectoryObject extends GraphObject {
  id: string;
  "@odata.type"?: string;
  displayName?: string | null;
}

export interface User extends GraphObject {
  id: string;
  displayName?: string | null;
  userPrincipalName?: string | null;
  mail?: string | null;
  otherMails?: string[] | null;
  userType?: "Member" | "Guest" | string | null;
  creationType?: string | null;
  externalUserState?: "PendingAcceptance" | "Accepted" | string | null;
  externalUserStateChangeDateTime?: string | null;
  accountEnabled?: boolean | null;
  createdDateTime?: string | null;
  deletedDateTime?: string | null;
  identities?: { signInType?: string; issuer?: string; issuerAssignedId?: string | null }[] | null;
}

export interface PhoneMethod {
  id: string;
  phoneNumber?: string | null;
  phoneType?: string;
  smsSignInState?: string;
}

export interface UserPhoneMethods {
  userId: string;
  value: PhoneMethod[];
}

export interface ProvisioningErrorInfo {
  errorCode?: string | null;
  reason?: string | null;
  additionalDetails?: string | null;
  errorCategory?: string | null;
  recommendedAction?: string | null;
}

export interface ProvisioningStep {
  name?: string;
  provisioningStepType?: string;
  status?: string;
  description?: string | null;
  details?: Record<string, string> | null;
}

export interface ProvisionedIdentity {
  id?: string | null;
  displayName?: string | null;
  identityType?: string | null;
  details?: Record<string, string> | null;
}

export interface ProvisioningLogEntry extends GraphObject {
  id: string;
  activityDateTime: string;
  jobId?: string;
  cycleId?: string;
  changeId?: string;
  provisioningAction?: string;
  servicePrincipal?: { id?: string; displayName?: string } | null;
  sourceIdentity?: ProvisionedIdentity | null;
  targetIdentity?: ProvisionedIdentity | null;
  provisioningStatusInfo?: { status?: string; errorInformation?: ProvisioningErrorInfo | null } | null;
  provisioningSteps?: ProvisioningStep[] | null;
}

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
