// Which Graph permissions read each facet (least first, then Graph's documented higher-privileged alternatives).
import { FACETS, type FacetId } from "../snapshot/facets.js";

/**
 * Ways to be allowed: any one alternative, each an all-of list. The first alternative is the least privileged one.
 * Names are the same for application roles (`roles` claim) and delegated scopes (`scp` claim).
 */
export type Alternatives = readonly (readonly string[])[];

const one = (...names: string[]): Alternatives => names.map((n) => [n]);

// From each API's "Permissions" table on Microsoft Learn (least privileged, then "higher privileged permissions").
const ORGANIZATION = one("Organization.Read.All", "Organization.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All");
const CROSS_TENANT_ACCESS = one("Policy.Read.All", "Policy.ReadWrite.CrossTenantAccess");
const AUTHORIZATION_POLICY = one("Policy.Read.All", "Policy.ReadWrite.Authorization");
const EXTERNAL_IDENTITIES_POLICY = one("Policy.Read.All", "Policy.ReadWrite.ExternalIdentities");
const LICENSES = one(
  "LicenseAssignment.Read.All",
  "LicenseAssignment.ReadWrite.All",
  "Organization.Read.All",
  "Organization.ReadWrite.All",
  "Directory.Read.All",
  "Directory.ReadWrite.All",
);
const APPLICATIONS = one("Application.Read.All", "Application.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All");
const ASSIGNMENTS = one(
  "Application.Read.All",
  "AppRoleAssignment.ReadWrite.All",
  "Application.ReadWrite.All",
  "Directory.Read.All",
  "Directory.ReadWrite.All",
);
const SYNC_READ = one("Synchronization.Read.All", "Synchronization.ReadWrite.All");
// The secrets GET is published on beta only (v1.0 is our fallback); the write permission is what it needs in practice. The connection test is a POST.
const SYNC_WRITE = one("Synchronization.ReadWrite.All");
const GROUP_MEMBERS = one(
  "GroupMember.Read.All",
  "Group.Read.All",
  "GroupMember.ReadWrite.All",
  "Group.ReadWrite.All",
  "Directory.Read.All",
  "Directory.ReadWrite.All",
);
const USERS = one("User.Read.All", "User.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All");
const PHONE_METHODS = one(
  "UserAuthMethod-Phone.Read.All",
  "UserAuthenticationMethod.Read.All",
  "UserAuthMethod-Phone.ReadWrite.All",
  "UserAuthenticationMethod.ReadWrite.All",
);
// Learn lists AuditLog.Read.All *and* Directory.Read.All; the permission catalogue lists ProvisioningLog.Read.All alone.
const PROVISIONING_LOGS: Alternatives = [
  ["AuditLog.Read.All", "Directory.Read.All"],
  ["AuditLog.Read.All", "Directory.ReadWrite.All"],
  ["ProvisioningLog.Read.All"],
];

const BY_NAME: Record<string, Alternatives> = {
  organization: ORGANIZATION,
  crossTenantAccessPolicy: CROSS_TENANT_ACCESS,
  crossTenantAccessDefault: CROSS_TENANT_ACCESS,
  partner: CROSS_TENANT_ACCESS,
  identitySynchronization: CROSS_TENANT_ACCESS,
  authorizationPolicy: AUTHORIZATION_POLICY,
  externalIdentitiesPolicy: EXTERNAL_IDENTITIES_POLICY,
  subscribedSkus: LICENSES,
  syncServicePrincipals: APPLICATIONS,
  syncSecrets: SYNC_WRITE,
  syncJobs: SYNC_READ,
  syncSchemas: SYNC_READ,
  syncAssignments: ASSIGNMENTS,
  groupMembers: GROUP_MEMBERS,
  users: USERS,
  deletedUsers: USERS,
  phoneMethods: PHONE_METHODS,
  provisioningLogs: PROVISIONING_LOGS,
  provisioningOutcomes: PROVISIONING_LOGS,
  connectionTest: SYNC_WRITE,
};

/** The permissions that make a facet readable. */
export function facetPermissions(id: FacetId): Alternatives {
  const alternatives = BY_NAME[id.slice(id.indexOf(".") + 1)];
  if (!alternatives) throw new Error(`no permission entry for facet ${id}`);
  return alternatives;
}

/** "AuditLog.Read.All + Directory.Read.All" */
export const describeAlternative = (names: readonly string[]): string => names.join(" + ");

export interface FacetAccess {
  facet: FacetId;
  /** undefined when the token's permissions are unknown (not a JWT). */
  readable: boolean | undefined;
  /** The least privileged way to read it. */
  least: string;
  /** The permission(s) the token holds that make it readable. */
  grantedBy?: string;
  /** What to add for the nearest alternative when it is not readable. */
  missing?: string[];
}

/** Per facet: readable with these permissions, and the least permission that would make it so. */
export function facetAccess(id: FacetId, held: ReadonlySet<string> | undefined): FacetAccess {
  const alternatives = facetPermissions(id);
  // The table lists the least privileged alternative first (facetPermissions throws for a facet without any).
  const [first = []] = alternatives;
  const least = describeAlternative(first);
  if (!held) return { facet: id, readable: undefined, least };
  const lower = new Set([...held].map((p) => p.toLowerCase()));
  const has = (p: string) => lower.has(p.toLowerCase());
  const granted = alternatives.find((alt) => alt.every(has));
  if (granted) return { facet: id, readable: true, least, grantedBy: describeAlternative(granted) };
  // Nearest alternative: fewest permissions to add, the least privileged one on a tie.
  let missing = first.filter((p) => !has(p));
  for (const alt of alternatives) {
    const need = alt.filter((p) => !has(p));
    if (need.length < missing.length) missing = need;
  }
  return { facet: id, readable: false, least, missing };
}

/** Facet access for every facet of one side. */
export function sideAccess(side: "source" | "target", held: ReadonlySet<string> | undefined): FacetAccess[] {
  return FACETS.filter((f) => f.side === side).map((f) => facetAccess(f.id, held));
}

/** Graph permissions a request needs (emulator role enforcement); undefined when the route is not in the table. */
export function requestPermissions(method: string, pathWithoutVersion: string): Alternatives | undefined {
  const p = (pathWithoutVersion.split("?")[0] ?? "").toLowerCase().replace(/\/+$/, "");
  const m = method.toUpperCase();
  const write = m !== "GET";
  if (/^\/organization(\/|$)/.test(p)) return write ? undefined : ORGANIZATION;
  if (/^\/policies\/crosstenantaccesspolicy(\/|$)/.test(p)) return write ? one("Policy.ReadWrite.CrossTenantAccess") : CROSS_TENANT_ACCESS;
  if (/^\/policies\/authorizationpolicy(\/|$)/.test(p)) return write ? one("Policy.ReadWrite.Authorization") : AUTHORIZATION_POLICY;
  if (/^\/policies\/externalidentitiespolicy$/.test(p)) return write ? one("Policy.ReadWrite.ExternalIdentities") : EXTERNAL_IDENTITIES_POLICY;
  if (/^\/subscribedskus(\/|$)/.test(p)) return write ? undefined : LICENSES;
  if (/^\/serviceprincipals\/[^/]+\/synchronization\/secrets$/.test(p)) return SYNC_WRITE;
  if (/^\/serviceprincipals\/[^/]+\/synchronization(\/|$)/.test(p)) return write ? SYNC_WRITE : SYNC_READ;
  if (/^\/serviceprincipals\/[^/]+\/approleassignedto(\/|$)/.test(p)) return write ? one("AppRoleAssignment.ReadWrite.All") : ASSIGNMENTS;
  if (/^\/serviceprincipals(\/|$)/.test(p)) return write ? one("Application.ReadWrite.All") : APPLICATIONS;
  if (/^\/applicationtemplates\/[^/]+\/instantiate$/.test(p)) return one("Application.ReadWrite.All");
  if (/^\/groups\/[^/]+\/members(\/|$)/.test(p)) return write ? undefined : GROUP_MEMBERS;
  // docs-contrib group-list-memberof.md: the same read permissions as a group's members.
  if (/^\/groups\/[^/]+\/memberof(\/|$)/.test(p)) return write ? undefined : GROUP_MEMBERS;
  if (/^\/users\/[^/]+\/authentication\/phonemethods(\/|$)/.test(p))
    return write ? one("UserAuthMethod-Phone.ReadWrite.All", "UserAuthenticationMethod.ReadWrite.All") : PHONE_METHODS;
  if (/^\/users(\/|$)/.test(p)) return write ? one("User.ReadWrite.All") : USERS;
  if (/^\/directory\/deleteditems(\/|$)/.test(p)) return write ? one("User.ReadWrite.All") : USERS;
  if (/^\/auditlogs\/provisioning(\/|$)/.test(p)) return PROVISIONING_LOGS;
  // docs-contrib api-reference/v1.0/includes/permissions/directoryaudit-list-permissions.md: AuditLog.Read.All and Directory.Read.All.
  if (/^\/auditlogs\/directoryaudits(\/|$)/.test(p)) return write ? undefined : [["AuditLog.Read.All", "Directory.Read.All"]];
  return undefined;
}

/** The permissions a token carries: application `roles` and delegated `scp` (space separated). */
export function tokenPermissions(claims: Record<string, unknown> | undefined | null): { kind: "application" | "delegated" | "none"; permissions: Set<string> } {
  const roles = Array.isArray(claims?.["roles"]) ? (claims["roles"] as unknown[]).filter((r): r is string => typeof r === "string") : [];
  const scp = typeof claims?.["scp"] === "string" ? claims["scp"].split(/\s+/).filter(Boolean) : [];
  const kind = scp.length ? "delegated" : roles.length ? "application" : "none";
  return { kind, permissions: new Set([...roles, ...scp]) };
}
