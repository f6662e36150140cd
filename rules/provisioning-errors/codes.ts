// Rule metadata for provisioning-errors: provisioning-log error/skip codes → documented cause, fix and severity.
import type { Severity, Side } from "../../src/engine/types.js";

/** What the docs say about one provisioning-log code (graph-api.md §9.3 CTS codes, §9.4 generic codes). */
export interface ProvisioningCode {
  cause: string;
  fix: string;
  severity: Severity;
  /** The tenant where the fix is made (the logs are always the source's). */
  side: Side;
}

/**
 * Codes other rules own or that mean "nothing to do": provisioning-errors does not report them.
 * Keys are the emitted spelling (AzureActiveDirectory…); normalizeErrorCode folds "Microsoft Entra ID…" into it.
 */
export const EXCLUDED_CODES: Readonly<Record<string, string>> = {
  AzureActiveDirectoryForbidden: "reported by guest-invitations-blocked",
  EntityTypeNotSupported: "reported by group-mapping-disabled",
  RedundantExport: "benign: the source and target already match",
  EntrySynchronizationSkipped: "benign: no action needed (out of scope or already in sync)",
  NotEffectivelyEntitled: "benign: the object is not assigned or not entitled",
};

const autoRedemptionFix =
  "Enable automatic redemption outbound in the source (partner record for the target) and inbound in the target (partner record for the source), and allow user synchronization into the target.";

/** The documented codes. Anything else is reported as unknown, never dropped. */
export const PROVISIONING_CODES: Readonly<Record<string, ProvisioningCode>> = {
  // §9.3 — specific to cross-tenant synchronization
  AzureActiveDirectoryCannotUpdateObjectsOriginatedInExternalService: {
    cause:
      "The source of authority for the target user's attribute is Exchange Online (the user has a mailbox, or existed in the target when dirSyncEnabled changed from True to False), so the service cannot update Exchange attributes such as extensionAttribute1–15, mail or showInAddressList.",
    fix: 'Update the attribute in the target tenant\'s Exchange Online, e.g. Set-MailUser -Identity <target UPN> -CustomAttribute2 "…" or Set-MailUser <target UPN> -HiddenFromAddressListsEnabled:$false for showInAddressList; or stop mapping the attribute.',
    severity: "medium",
    side: "target",
  },
  AzureDirectoryB2BManagementPolicyCheckFailure: {
    cause:
      "The automatic redemption policy check failed: the target's inbound user sync or automatic redemption, or the source's outbound automatic redemption, is not enabled.",
    fix: autoRedemptionFix,
    severity: "high",
    side: "target",
  },
  AzureActiveDirectoryCrossTenantSyncPolicyCheckFailure: {
    cause:
      "The cross-tenant access policy check failed: the source has not enabled outbound automatic user consent, or the target has not enabled inbound synchronization (and automatic redemption) for the source.",
    fix: autoRedemptionFix,
    severity: "high",
    side: "target",
  },
  AzureActiveDirectoryQuotaLimitExceeded: {
    cause: "The number of objects in the target tenant exceeds its directory quota.",
    fix: "Request a directory quota increase for the target tenant (see Microsoft Entra service limits and restrictions), or reduce the scope.",
    severity: "high",
    side: "target",
  },
  InvitationCreationFailure: {
    cause: "The provisioning service tried to invite the user in the target tenant and the invitation failed.",
    fix: "Check the target's external collaboration settings; if they allow invitations, open a support case.",
    severity: "high",
    side: "target",
  },
  InvitationCreationFailureUserAccountDisabled: {
    cause: "The user exists in the target tenant but the account is disabled and its invitation is pending.",
    fix: "Enable the target user account, then provision the user again (on demand or at the next cycle).",
    severity: "medium",
    side: "target",
  },
  InvitationCreationFailureInvalidPropertyValue: {
    cause:
      "A property of the invitation is invalid: the primary SMTP address (mail) is invalid, userType is neither Guest nor Member, or the mail collides with a group's email address in the target.",
    fix: "Fix the source user's mail, map userType to Guest or Member, or change one of the colliding addresses.",
    severity: "medium",
    side: "source",
  },
  InvitationCreationFailureAmbiguousUser: {
    cause: "A proxy address of the invited user matches an internal (member) user in the target tenant.",
    fix: "Delete the internal target user, or remove the source user from the scope of the configuration.",
    severity: "medium",
    side: "target",
  },
  AzureActiveDirectoryCannotUpdateObjectsMasteredOnPremises: {
    cause:
      "The target user was originally synchronized from on-premises Active Directory and then converted to an external user; its source of authority is still on-premises.",
    fix: "Cross-tenant synchronization cannot update such users (unsupported); manage the user on premises or remove it from scope.",
    severity: "medium",
    side: "target",
  },
  // cross-tenant-synchronization-configure.md (cross-cloud pivot), "Troubleshoot". Reported here on any pair (a
  // same-cloud pair has no cross-cloud rule to catch them); cross-cloud-config-not-marked and
  // cross-cloud-sync-not-enabled-in-target add the configuration's own evidence on a cross-cloud pair.
  ExternalTenantNotFound: {
    cause:
      "The target tenant was not found by the authentication authority of the source's cloud: the configuration was created for a same-cloud target while the target is in another Microsoft cloud.",
    fix: "Create the configuration again with the cross-cloud option (Microsoft cloud of the target) and allow the other cloud in both tenants' Microsoft cloud settings.",
    severity: "high",
    side: "source",
  },
  AzureActiveDirectoryTokenExpired: {
    cause:
      "The identity of the calling application could not be established in the target's cloud: the target has not enabled cross-cloud synchronization for the source in its inbound cross-tenant sync settings.",
    fix: "In the target tenant, enable inbound cross-tenant synchronization for the source with the cross-cloud option (and allow the source's cloud in its Microsoft cloud settings).",
    severity: "high",
    side: "target",
  },
  // §9.4 — generic provisioning codes that also appear for cross-tenant synchronization
  Conflict: {
    cause: "Conflicting attribute values between the source and the target.",
    fix: "Fix the conflicting values, or review the matching configuration (keep alternativeSecurityIds as the only matching attribute).",
    severity: "medium",
    side: "target",
  },
  EntryConflict: {
    cause: "Conflicting attribute values between the source and the target.",
    fix: "Fix the conflicting values, or review the matching configuration (keep alternativeSecurityIds as the only matching attribute).",
    severity: "medium",
    side: "target",
  },
  TooManyRequests: {
    cause: "The target tenant throttled the provisioning service.",
    fix: "None needed: the service retries automatically; reduce concurrent on-demand requests if it persists.",
    severity: "low",
    side: "target",
  },
  InternalServerError: {
    cause: "The target returned an unexpected error.",
    fix: "The service retries in 40 minutes; open a support case if it persists.",
    severity: "low",
    side: "target",
  },
  InsufficientRights: {
    cause: "The provisioning service authenticated to the target but is not authorized for the operation.",
    fix: "Check the target's cross-tenant access settings for the source (inbound user synchronization and automatic redemption) and the configuration's permissions.",
    severity: "high",
    side: "target",
  },
  MethodNotAllowed: {
    cause: "The provisioning service authenticated to the target but is not authorized for the operation.",
    fix: "Check the target's cross-tenant access settings for the source (inbound user synchronization and automatic redemption) and the configuration's permissions.",
    severity: "high",
    side: "target",
  },
  NotPermitted: {
    cause: "The provisioning service authenticated to the target but is not authorized for the operation.",
    fix: "Check the target's cross-tenant access settings for the source (inbound user synchronization and automatic redemption) and the configuration's permissions.",
    severity: "high",
    side: "target",
  },
  Unauthorized: {
    cause: "The provisioning service authenticated to the target but is not authorized for the operation.",
    fix: "Check the target's cross-tenant access settings for the source (inbound user synchronization and automatic redemption) and the configuration's permissions.",
    severity: "high",
    side: "target",
  },
  UnprocessableEntity: {
    cause: "The target returned an unexpected response, usually because of the configuration.",
    fix: "Review the attribute mappings of the configuration and the values sent (modifiedProperties of the log entries).",
    severity: "medium",
    side: "target",
  },
  WebExceptionProtocolError: {
    cause: "An HTTP protocol error occurred while talking to the target.",
    fix: "The service retries in 40 minutes; open a support case if it persists.",
    severity: "low",
    side: "target",
  },
  InvalidAnchor: {
    cause: "A user the service previously created or matched no longer exists in the target.",
    fix: "Restart the provisioning job to re-match users (this clears the cache and runs an initial cycle).",
    severity: "medium",
    side: "target",
  },
  NotImplemented: {
    cause: "The target returned an unexpected response.",
    fix: "Review the attribute mappings of the configuration; open a support case if it persists.",
    severity: "medium",
    side: "target",
  },
  MandatoryFieldsMissing: {
    cause: "Values required by the target are missing.",
    fix: "Populate the missing source attributes or give the mapping a default value.",
    severity: "medium",
    side: "source",
  },
  MissingValues: {
    cause: "Values required by the target are missing.",
    fix: "Populate the missing source attributes or give the mapping a default value.",
    severity: "medium",
    side: "source",
  },
  SchemaAttributeNotFound: {
    cause: "A mapped target attribute does not exist in the target.",
    fix: "Remove or correct the attribute mapping.",
    severity: "medium",
    side: "source",
  },
  InternalError: {
    cause: "An internal error of the provisioning service.",
    fix: "The service retries in 40 minutes; open a support case if it persists.",
    severity: "low",
    side: "source",
  },
  InvalidDomain: {
    cause: "An attribute contains an invalid domain.",
    fix: "Correct the attribute value (use a verified domain) in the source.",
    severity: "medium",
    side: "source",
  },
  Timeout: {
    cause: "The target took too long to respond.",
    fix: "The service retries in 40 minutes; open a support case if it persists.",
    severity: "low",
    side: "target",
  },
  LicenseLimitExceeded: {
    cause: "There are no licences available in the target.",
    fix: "Add licences in the target, or reduce the scope.",
    severity: "high",
    side: "target",
  },
  DuplicateTargetEntries: {
    cause: "More than one target object matches the source object.",
    fix: "Remove the duplicate target objects so that exactly one matches.",
    severity: "medium",
    side: "target",
  },
  DuplicateSourceEntries: {
    cause: "More than one source object matches.",
    fix: "Make the matching attribute unique in the source.",
    severity: "medium",
    side: "source",
  },
  ImportSkipped: {
    cause: "The source object is missing the matching attribute, so scope could not be evaluated yet.",
    fix: "Populate the matching attribute of the source object; it is evaluated again in the next cycle.",
    severity: "low",
    side: "source",
  },
  // howto-analyze-provisioning-logs.md "Error codes": SCIM codes, listed for completeness (a CTS target is Entra ID).
  SystemForCrossDomainIdentityManagementMultipleEntriesInResponse: {
    cause: "A GET for one user or group returned several users or groups, where the service expects exactly one.",
    fix: "For cross-tenant synchronization the target is Microsoft Entra ID: open a support case with the listed entries.",
    severity: "medium",
    side: "target",
  },
  SystemForCrossDomainIdentityManagementServiceIncompatible: {
    cause: "The provisioning service could not parse the target's response.",
    fix: "For cross-tenant synchronization the target is Microsoft Entra ID: open a support case with the listed entries.",
    severity: "medium",
    side: "target",
  },
  SchemaPropertyCanOnlyAcceptValue: {
    cause: "A multi-valued source attribute is mapped to a single-valued target attribute.",
    fix: "Change the mapping (e.g. wrap the source with a function that picks one value) or map a single-valued attribute.",
    severity: "medium",
    side: "source",
  },
};

/** The table entry for an unknown code. */
export const UNKNOWN_CODE: ProvisioningCode = {
  cause: "This code is not in the documented catalogue of cross-tenant synchronization provisioning errors.",
  fix: "Open the listed provisioning-log entries (reason, additional details, recommended action) and follow them; open a support case if the cause stays unclear.",
  severity: "medium",
  side: "source",
};

/** The documented entry for a code, or undefined (own keys only: a code named "constructor" is just unknown). */
export function lookupCode(code: string): ProvisioningCode | undefined {
  return Object.hasOwn(PROVISIONING_CODES, code) ? PROVISIONING_CODES[code] : undefined;
}

/** True when another rule owns the code or it means "nothing to do". */
export function isExcludedCode(code: string): boolean {
  return Object.hasOwn(EXCLUDED_CODES, code);
}
