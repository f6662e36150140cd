// One definition per kind of fix request (tenant, method, version, path template, permission, body shape): a rule's
// documented `fix.graph` and remediation's step builders are both made from these, so the two cannot drift apart.
import type { FixRequest } from "./types.js";

export type RecipeVersion = "v1.0" | "beta";

/** A kind of Graph request a fix makes; `path` is after the version, with `{name}` placeholders. */
export interface FixRecipe {
  tenant: FixRequest["tenant"];
  method: FixRequest["method"];
  version: RecipeVersion;
  path: string;
  permission: string;
}

export const CROSS_TENANT_PERMISSION = "Policy.ReadWrite.CrossTenantAccess";
export const SYNC_PERMISSION = "Synchronization.ReadWrite.All";
export const XTAP_PARTNERS = "/policies/crossTenantAccessPolicy/partners";
/** A job of the configuration's service principal (the GET its job steps read back). */
export const JOB_PATH = "/servicePrincipals/{servicePrincipalId}/synchronization/jobs/{jobId}";
export const SECRETS_PATH = "/servicePrincipals/{servicePrincipalId}/synchronization/secrets";

type Side = FixRequest["tenant"];
/** The placeholder naming the tenant a side's partner record points at. */
const partnerOf = (side: Side): string => (side === "source" ? "{targetTenantId}" : "{sourceTenantId}");

/** POST a partner record that does not exist yet (the create that a partner PATCH may need first). */
export const createPartner = (side: Side): FixRecipe => ({
  tenant: side,
  method: "POST",
  version: "v1.0",
  path: XTAP_PARTNERS,
  permission: CROSS_TENANT_PERMISSION,
});

/** PATCH a side's partner record for the other tenant. */
export const patchPartner = (side: Side): FixRecipe => ({
  tenant: side,
  method: "PATCH",
  version: "v1.0",
  path: `${XTAP_PARTNERS}/${partnerOf(side)}`,
  permission: CROSS_TENANT_PERMISSION,
});

/** PATCH (policy exists) or PUT (after a 404) the target's cross-tenant sync policy for the source. */
export const identitySync = (method: "PATCH" | "PUT", version: RecipeVersion): FixRecipe => ({
  tenant: "target",
  method,
  version,
  path: `${XTAP_PARTNERS}/{sourceTenantId}/identitySynchronization`,
  permission: CROSS_TENANT_PERMISSION,
});

/** POST an action on the configuration's job (start, restart, provisionOnDemand, validateCredentials). */
export const jobAction = (action: "start" | "pause" | "restart" | "provisionOnDemand" | "validateCredentials"): FixRecipe => ({
  tenant: "source",
  method: "POST",
  version: "v1.0",
  path: `${JOB_PATH}/${action}`,
  permission: SYNC_PERMISSION,
});

/** The configuration's provisioning secrets: read on beta (the one published GET), PUT back on v1.0. */
export const getSecrets: FixRecipe = { tenant: "source", method: "GET", version: "beta", path: SECRETS_PATH, permission: SYNC_PERMISSION };
export const putSecrets: FixRecipe = { tenant: "source", method: "PUT", version: "v1.0", path: SECRETS_PATH, permission: SYNC_PERMISSION };

/** PATCH the target's authorization policy (tenant-wide: who may invite guests). */
export const patchAuthorizationPolicy: FixRecipe = {
  tenant: "target",
  method: "PATCH",
  version: "v1.0",
  path: "/policies/authorizationPolicy",
  permission: "Policy.ReadWrite.Authorization",
};

/** The body that turns automatic redemption on in one direction; `keep` is sent back as read (the property is replaced whole). */
export function consentBody(direction: "inboundAllowed" | "outboundAllowed", keep: Record<string, unknown> = {}): Record<string, unknown> {
  return { automaticUserConsentSettings: { ...keep, [direction]: true } };
}

/** `{ userSyncInbound: { isSyncAllowed: true }, … }` for the named settings. */
export function syncAllowedBody(names: readonly string[]): Record<string, { isSyncAllowed: true }> {
  return Object.fromEntries(names.map((name) => [name, { isSyncAllowed: true as const }]));
}

/** The restart that clears a quarantine (resetScope as the quarantine doc gives it). */
export const RESTART_CLEARING_QUARANTINE = { criteria: { resetScope: "QuarantineState, Escrows, Watermark" } };

/** provisionOnDemand's body for one user, under the schema's user rule. */
export function provisionUserBody(
  ruleId: string,
  userId: string,
): { parameters: { ruleId: string; subjects: { objectId: string; objectTypeName: string }[] }[] } {
  return { parameters: [{ ruleId, subjects: [{ objectId: userId, objectTypeName: "User" }] }] };
}

/** The guest invite setting a fix proposes when allowInvitesFrom is none: admins and guest inviters may invite. */
export const ALLOW_ADMIN_INVITES = { allowInvitesFrom: "adminsAndGuestInviters" };

/** The documented request of a recipe, as a rule's `fix.graph` holds it (`/v1.0/…` with its placeholders). */
export function documented(recipe: FixRecipe, body?: unknown): FixRequest {
  return {
    tenant: recipe.tenant,
    method: recipe.method,
    url: `/${recipe.version}${recipe.path}`,
    ...(body === undefined ? {} : { body }),
    permission: recipe.permission,
  };
}

/** A recipe's path with its placeholders filled (values already URL-safe); a placeholder left unfilled is a bug. */
export function recipePath(recipe: FixRecipe | string, values: Record<string, string>): string {
  const template = typeof recipe === "string" ? recipe : recipe.path;
  return template.replace(/\{(\w+)\}/g, (_whole, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`fix path ${template}: no value for {${name}}`);
    return value;
  });
}
