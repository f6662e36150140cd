// "SMS sign-in ready", decided once: a user whose mobile phone method has SMS sign-in ready fails "Filter external users".
import type { PhoneMethod } from "../snapshot/graph-types.js";

/** The fixed id of a user's mobile phone method, the one SMS sign-in uses (Graph v1.0 resources/phoneauthenticationmethod.md). */
export const MOBILE_PHONE_METHOD_ID = "3179e48a-750b-4051-897c-87b9720928f7";

/** The user's mobile phone method (by its fixed id, or by phoneType mobile), if the user has one. */
export function mobileMethod(methods: readonly PhoneMethod[] | null | undefined): PhoneMethod | undefined {
  return (methods ?? []).find((m) => m.id === MOBILE_PHONE_METHOD_ID || m.phoneType === "mobile");
}

/** An smsSignInState value that is ready (compared case-insensitively, surrounding spaces ignored). */
export const isReadyState = (state: string | null | undefined): boolean => state?.trim().toLowerCase() === "ready";

/** The mobile method's smsSignInState is ready. */
export const isSmsSignInReady = (mobile: PhoneMethod | undefined): boolean => isReadyState(mobile?.smsSignInState);

/**
 * SMS sign-in is ready on the user's mobile phone method, so the built-in "Filter external users" clause skips the user
 * (entra-docs cross-tenant-synchronization-configure.md, troubleshooting: "If SMS sign-in is enabled for a user, they
 * will be skipped by the provisioning service").
 */
export const smsReady = (methods: readonly PhoneMethod[] | null | undefined): boolean => isSmsSignInReady(mobileMethod(methods));
