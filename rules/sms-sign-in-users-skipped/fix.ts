// Fix: disable SMS sign-in on the mobile phone method of each listed user whose SMS sign-in is still ready.
import { ORDER, skipped } from "../../src/remediate/fix-helpers.js";
import type { FixBuilder, StepDraft } from "../../src/remediate/types.js";
import { isReadyState, MOBILE_PHONE_METHOD_ID } from "../../src/model/sms-sign-in.js";

interface EvidenceUser {
  userId: string;
  userPrincipalName: string | null;
  smsSignInState: string | null;
}

export const fix: FixBuilder = ({ result }) => {
  const users = result.findings.flatMap((f) => (f.evidence["users"] as EvidenceUser[] | undefined) ?? []);
  // A user found only in the logs whose SMS sign-in is no longer ready has nothing left to disable.
  const ready = users.filter((u) => isReadyState(u.smsSignInState));
  if (ready.length === 0) return skipped("no listed user has SMS sign-in in state ready (skipped in the logs only; check the user's phone methods)");
  const steps = ready.map((u): StepDraft => {
    const methods = `/users/${u.userId}/authentication/phoneMethods`;
    const check = `value[id=${MOBILE_PHONE_METHOD_ID}].smsSignInState`;
    return {
      tenant: "source",
      method: "POST",
      version: "v1.0",
      path: `${methods}/${MOBILE_PHONE_METHOD_ID}/disableSmsSignIn`,
      permission: "UserAuthMethod-Phone.ReadWrite.All",
      summary: `Source: disable SMS sign-in for ${u.userPrincipalName ?? u.userId}.`,
      read: { tenant: "source", version: "v1.0", path: methods },
      precondition: [{ path: check, equals: u.smsSignInState }],
      effect: [{ path: check, notIn: ["ready", "Ready", null] }],
      undo: { method: "POST", version: "v1.0", path: `${methods}/${MOBILE_PHONE_METHOD_ID}/enableSmsSignIn` },
      order: ORDER.userMethod,
    };
  });
  return { steps };
};
