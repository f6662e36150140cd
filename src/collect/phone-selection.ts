// Which in-scope users get a phone-method read: those whose SMS sign-in state can change the diagnosis.
import { correlateUsers } from "../model/correlate.js";
import type { FacetEntry } from "../snapshot/manifest.js";
import type { ProvisioningLogEntry, User } from "../snapshot/graph-types.js";

export type PhoneSelection = NonNullable<FacetEntry["selection"]>;

export interface PhoneSelectionInput {
  /** In-scope members (guests are never synchronized, so never candidates). */
  candidates: User[];
  all: boolean;
  /** The target's external users; undefined when they could not be read (then everyone is read). */
  targetUsers: readonly User[] | undefined;
  /** Source user ids with a skipped or failed entry in the logs; undefined when the logs could not be read. */
  loggedIds: ReadonlySet<string> | undefined;
}

/** Status of an entry that makes its user worth a phone-method read (a skip is the SMS sign-in symptom). */
export function isSkipOrFailure(entry: ProvisioningLogEntry): boolean {
  const status = (entry.provisioningStatusInfo?.status ?? "").toLowerCase();
  return status === "skipped" || status === "failure";
}

/**
 * A user matched in the target is provisioned, so SMS sign-in did not block them: their read cannot change the
 * result unless the logs show them skipped or failed. Everyone else in scope is read.
 */
export function selectPhoneReads(input: PhoneSelectionInput): { users: User[]; selection: PhoneSelection } {
  const { candidates, all, targetUsers, loggedIds } = input;
  if (all || !targetUsers) {
    const reason = all ? "allPhoneMethods" : "targetUsersNotRead";
    return { users: candidates, selection: { rule: "all", read: candidates.length, notRead: 0, reasons: { [reason]: candidates.length } } };
  }
  const reasons = { notInTarget: 0, skippedOrFailedInLogs: 0 };
  const users: User[] = [];
  for (const c of correlateUsers(candidates, targetUsers)) {
    if (!c.target) reasons.notInTarget++;
    else if (loggedIds?.has(c.source.id.toLowerCase())) reasons.skippedOrFailedInLogs++;
    else continue;
    users.push(c.source);
  }
  return { users, selection: { rule: "targeted", read: users.length, notRead: candidates.length - users.length, reasons } };
}
