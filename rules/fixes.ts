// The fix registry: rules whose fix.ts builds remediation steps, explicit and sorted by rule id (no directory walk).
import type { FixBuilder } from "../src/remediate/types.js";
import { fix as accidentalDeletionPreventionOff } from "./accidental-deletion-prevention-off/fix.js";
import { fix as connectionTestFailed } from "./connection-test-failed/fix.js";
import { fix as guestInvitationsBlocked } from "./guest-invitations-blocked/fix.js";
import { fix as jobNotRunning } from "./job-not-running/fix.js";
import { fix as jobQuarantined } from "./job-quarantined/fix.js";
import { fix as notificationEmailMissing } from "./notification-email-missing/fix.js";
import { fix as pendingAcceptanceUpnStale } from "./pending-acceptance-upn-stale/fix.js";
import { fix as smsSignInUsersSkipped } from "./sms-sign-in-users-skipped/fix.js";
import { fix as sourceOutboundAutoRedeemDisabled } from "./source-outbound-auto-redeem-disabled/fix.js";
import { fix as targetGroupSyncInboundDisabled } from "./target-group-sync-inbound-disabled/fix.js";
import { fix as targetInboundAutoRedeemDisabled } from "./target-inbound-auto-redeem-disabled/fix.js";
import { fix as targetInboundSyncDisabled } from "./target-inbound-sync-disabled/fix.js";
import type { rules } from "./index.js";

export const fixes = {
  "accidental-deletion-prevention-off": accidentalDeletionPreventionOff,
  "connection-test-failed": connectionTestFailed,
  "guest-invitations-blocked": guestInvitationsBlocked,
  "job-not-running": jobNotRunning,
  "job-quarantined": jobQuarantined,
  "notification-email-missing": notificationEmailMissing,
  "pending-acceptance-upn-stale": pendingAcceptanceUpnStale,
  "sms-sign-in-users-skipped": smsSignInUsersSkipped,
  "source-outbound-auto-redeem-disabled": sourceOutboundAutoRedeemDisabled,
  "target-group-sync-inbound-disabled": targetGroupSyncInboundDisabled,
  "target-inbound-auto-redeem-disabled": targetInboundAutoRedeemDisabled,
  "target-inbound-sync-disabled": targetInboundSyncDisabled,
} satisfies Partial<Record<keyof typeof rules, FixBuilder>>;

export const fixRegistry: ReadonlyMap<string, FixBuilder> = new Map(Object.entries(fixes));
