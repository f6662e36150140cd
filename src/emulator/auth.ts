// Bearer checks: which tenant a request is for (the token's tid, or the path prefix), never validating signatures.
import { GraphFault } from "./reply.js";
import { readClaims } from "./token.js";

const WWW_AUTHENTICATE = {
  "WWW-Authenticate":
    'Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"',
};

/** 401 InvalidAuthenticationToken with the WWW-Authenticate challenge Graph sends. */
export function unauthorized(message: string): GraphFault {
  return new GraphFault(401, "InvalidAuthenticationToken", message, WWW_AUTHENTICATE);
}

/** The bearer token, or undefined when the header is absent, not Bearer, or empty. */
export function bearerToken(header: string | undefined): string | undefined {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? "");
  return m ? m[1] : undefined;
}

/**
 * The tenant id a request acts on. With a `/<tenantId>/` prefix any token will do, but a JWT naming another tid is
 * refused; without one the token must be a JWT with a `tid`. Expired tokens (numeric `exp` in the past) are refused.
 */
export function requestTenant(token: string | undefined, prefixTenant: string | undefined): string {
  if (!token) throw unauthorized("Access token is empty.");
  const claims = readClaims(token);
  if (claims && typeof claims.exp === "number" && claims.exp * 1000 < Date.now()) {
    throw unauthorized("Lifetime validation failed, the token is expired.");
  }
  const tid = typeof claims?.tid === "string" ? claims.tid : undefined;
  if (prefixTenant) {
    if (tid && tid.toLowerCase() !== prefixTenant.toLowerCase()) {
      throw unauthorized("Access token validation failure. The token was issued for another tenant than the one in the path.");
    }
    return prefixTenant;
  }
  if (!claims) throw unauthorized("IDX14100: JWT is not well formed, there are no dots (.).");
  if (!tid) throw unauthorized("Access token validation failure. The token has no tenant (tid) claim.");
  return tid;
}
