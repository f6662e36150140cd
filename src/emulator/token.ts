// Unsigned test tokens and the claim reading the emulator uses to pick a tenant (no signature check, by design).

/** Read-only application roles a cts-doctor collector needs (graph-api.md Appendix A). */
export const DEFAULT_ROLES: readonly string[] = [
  "Policy.Read.All",
  "Application.Read.All",
  "Synchronization.Read.All",
  "Synchronization.ReadWrite.All",
  "AuditLog.Read.All",
  "Directory.Read.All",
  "User.Read.All",
  "UserAuthMethod-Phone.Read.All",
  "LicenseAssignment.Read.All",
  "Organization.Read.All",
];

/**
 * An unsigned JWT (`alg: none`) whose payload carries `tid`, `aud`, `roles`, `iat` and `exp` (one hour ahead).
 * `extra` is merged last, so tests can override any claim, e.g. `{ exp: 0 }` for an expired token.
 */
export function fakeToken(tenantId: string, extra: Record<string, unknown> = {}): string {
  const now = Math.floor(Date.now() / 1000);
  const header = { alg: "none", typ: "JWT" };
  const payload = { tid: tenantId, aud: "https://graph.microsoft.com", roles: [...DEFAULT_ROLES], iat: now, exp: now + 3600, ...extra };
  return `${b64(header)}.${b64(payload)}.`;
}

function b64(value: unknown): string {
  return Buffer.from(JSON.stringify(value), "utf8").toString("base64url");
}

/** The payload of a JWT-shaped token, or null when the token is not one (opaque tokens are allowed with a tenant prefix). */
export function readClaims(token: string): Record<string, unknown> | null {
  const parts = token.split(".");
  if (parts.length < 2 || !parts[1]) return null;
  try {
    const payload: unknown = JSON.parse(Buffer.from(parts[1], "base64url").toString("utf8"));
    return payload !== null && typeof payload === "object" && !Array.isArray(payload) ? (payload as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
