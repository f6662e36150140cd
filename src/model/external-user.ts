// The one decision "an external user": guests and B2B users are never synchronized by cross-tenant synchronization.
import type { User } from "../snapshot/graph-types.js";

/** The reason given for a guest, so a caller can word a guest the way the portal does. */
export const GUEST_REASON = "userType is Guest";

/**
 * Why a user is external (invited, a guest, an #EXT# UPN, or an identity issued by another Entra tenant), or
 * undefined for an internal member. entra-docs cross-tenant-synchronization-overview.md, "What user types can I
 * synchronize?": "You can synchronize internal members from source tenants. You can't synchronize internal guests".
 */
export function externalReason(user: User): string | undefined {
  if (user.userType?.toLowerCase() === "guest") return GUEST_REASON;
  if (user.creationType?.toLowerCase() === "invitation") return "it was created by invitation (B2B)";
  if ((user.userPrincipalName ?? "").toUpperCase().includes("#EXT#")) return "its UPN carries #EXT#";
  if ((user.identities ?? []).some((i) => i.issuer === "ExternalAzureAD")) return "its identity is issued by another Microsoft Entra tenant";
  return undefined;
}

/** An external (B2B) user: invited, a guest, an #EXT# UPN, or an identity issued by another Entra tenant. */
export function isExternalUser(user: User): boolean {
  return externalReason(user) !== undefined;
}
