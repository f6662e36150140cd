// The rule registry: explicit and sorted by id; the compiler ties it to RULE_IDS, a parity test to the rules/ folders.
import type { RuleId } from "../src/engine/rule-ids.js";
import type { Rule } from "../src/engine/types.js";
import accidentalDeletionPreventionOff from "./accidental-deletion-prevention-off/rule.js";
import configurationMissing from "./configuration-missing/rule.js";
import connectionTestFailed from "./connection-test-failed/rule.js";
import crossCloudConfigNotMarked from "./cross-cloud-config-not-marked/rule.js";
import crossCloudEndpointsMissing from "./cross-cloud-endpoints-missing/rule.js";
import crossCloudGroupSyncUnsupported from "./cross-cloud-group-sync-unsupported/rule.js";
import crossCloudPairUnsupported from "./cross-cloud-pair-unsupported/rule.js";
import crossCloudSyncNotEnabledInTarget from "./cross-cloud-sync-not-enabled-in-target/rule.js";
import externalUsersCanLeave from "./external-users-can-leave/rule.js";
import externalUsersInScope from "./external-users-in-scope/rule.js";
import groupMappingDisabled from "./group-mapping-disabled/rule.js";
import guestInvitationsBlocked from "./guest-invitations-blocked/rule.js";
import jobNotRunning from "./job-not-running/rule.js";
import jobNotSyncedRecently from "./job-not-synced-recently/rule.js";
import jobQuarantined from "./job-quarantined/rule.js";
import matchingAttributeChanged from "./matching-attribute-changed/rule.js";
import nestedGroupAssignment from "./nested-group-assignment/rule.js";
import noAssignments from "./no-assignments/rule.js";
import notificationEmailMissing from "./notification-email-missing/rule.js";
import pendingAcceptanceUpnStale from "./pending-acceptance-upn-stale/rule.js";
import provisioningErrors from "./provisioning-errors/rule.js";
import scopeSyncAllWithGroups from "./scope-sync-all-with-groups/rule.js";
import severalConfigurationsSameTarget from "./several-configurations-same-target/rule.js";
import skipOutOfScopeDeletionsIgnored from "./skip-out-of-scope-deletions-ignored/rule.js";
import smsSignInUsersSkipped from "./sms-sign-in-users-skipped/rule.js";
import softDeletedTargetUsers from "./soft-deleted-target-users/rule.js";
import sourceLicenseMissing from "./source-license-missing/rule.js";
import sourceOutboundAutoRedeemDisabled from "./source-outbound-auto-redeem-disabled/rule.js";
import sourceUserMailInvalid from "./source-user-mail-invalid/rule.js";
import targetGroupSyncInboundDisabled from "./target-group-sync-inbound-disabled/rule.js";
import targetInboundAutoRedeemDisabled from "./target-inbound-auto-redeem-disabled/rule.js";
import targetInboundSyncDisabled from "./target-inbound-sync-disabled/rule.js";
import unsupportedTargetAttributeMapped from "./unsupported-target-attribute-mapped/rule.js";
import usertypeMappingCreateOnly from "./usertype-mapping-create-only/rule.js";

export const rules = {
  "accidental-deletion-prevention-off": accidentalDeletionPreventionOff,
  "configuration-missing": configurationMissing,
  "connection-test-failed": connectionTestFailed,
  "cross-cloud-config-not-marked": crossCloudConfigNotMarked,
  "cross-cloud-endpoints-missing": crossCloudEndpointsMissing,
  "cross-cloud-group-sync-unsupported": crossCloudGroupSyncUnsupported,
  "cross-cloud-pair-unsupported": crossCloudPairUnsupported,
  "cross-cloud-sync-not-enabled-in-target": crossCloudSyncNotEnabledInTarget,
  "external-users-can-leave": externalUsersCanLeave,
  "external-users-in-scope": externalUsersInScope,
  "group-mapping-disabled": groupMappingDisabled,
  "guest-invitations-blocked": guestInvitationsBlocked,
  "job-not-running": jobNotRunning,
  "job-not-synced-recently": jobNotSyncedRecently,
  "job-quarantined": jobQuarantined,
  "matching-attribute-changed": matchingAttributeChanged,
  "nested-group-assignment": nestedGroupAssignment,
  "no-assignments": noAssignments,
  "notification-email-missing": notificationEmailMissing,
  "pending-acceptance-upn-stale": pendingAcceptanceUpnStale,
  "provisioning-errors": provisioningErrors,
  "scope-sync-all-with-groups": scopeSyncAllWithGroups,
  "several-configurations-same-target": severalConfigurationsSameTarget,
  "skip-out-of-scope-deletions-ignored": skipOutOfScopeDeletionsIgnored,
  "sms-sign-in-users-skipped": smsSignInUsersSkipped,
  "soft-deleted-target-users": softDeletedTargetUsers,
  "source-license-missing": sourceLicenseMissing,
  "source-outbound-auto-redeem-disabled": sourceOutboundAutoRedeemDisabled,
  "source-user-mail-invalid": sourceUserMailInvalid,
  "target-group-sync-inbound-disabled": targetGroupSyncInboundDisabled,
  "target-inbound-auto-redeem-disabled": targetInboundAutoRedeemDisabled,
  "target-inbound-sync-disabled": targetInboundSyncDisabled,
  "unsupported-target-attribute-mapped": unsupportedTargetAttributeMapped,
  "usertype-mapping-create-only": usertypeMappingCreateOnly,
} satisfies Record<RuleId, Rule>;

export const ruleList: readonly Rule[] = Object.values(rules);
