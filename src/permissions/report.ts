// What each tenant's token may read: its roles or scopes, per facet readable or not, and the write permissions fixes use.
import type { AccessToken, TokenCredential } from "@azure/core-auth";
import { CLOUDS } from "../config/clouds.js";
import type { Config } from "../config/schema.js";
import { CtsError } from "../errors.js";
import { decodeJwtPayload } from "../graph/auth.js";
import { toGraphRequestError } from "../graph/client.js";
import type { TenantSide } from "../snapshot/facets.js";
import { sideAccess, tokenPermissions, type FacetAccess } from "./table.js";

export interface WritePermission {
  permission: string;
  /** Rule ids whose fix needs it on this tenant. */
  rules: string[];
  held: boolean | undefined;
}

export interface TenantPermissions {
  side: TenantSide;
  tenantId: string;
  /** application (`roles`), delegated (`scp`), none (a JWT without either), opaque (not a JWT: cannot tell). */
  kind: "application" | "delegated" | "none" | "opaque";
  appId?: string;
  permissions: string[];
  facets: FacetAccess[];
  remediation: WritePermission[];
  /** Set when no token could be obtained. */
  error?: { code: string; message: string };
}

/** A rule fix's Graph request, reduced to what this report needs. */
export interface FixPermission {
  ruleId: string;
  tenant: TenantSide;
  permission: string;
}

/** Get one token per tenant (no Graph request is made), check its tenant, and read its permissions. */
/**
 * `writeCredentials`: the tenants' `remediation.auth` credentials, when configured; their tokens (not the read-only
 * ones) are what the remediation permissions are checked against.
 */
export async function permissionReport(
  config: Config,
  credentials: Record<TenantSide, TokenCredential>,
  fixes: readonly FixPermission[],
  writeCredentials: Partial<Record<TenantSide, TokenCredential>> = {},
): Promise<TenantPermissions[]> {
  const out: TenantPermissions[] = [];
  for (const side of ["source", "target"] as const) out.push(await sidePermissions(side, config[side], credentials[side], fixes, writeCredentials[side]));
  return out;
}

type TenantConfig = Config["source"];

async function sidePermissions(
  side: TenantSide,
  tenant: TenantConfig,
  credential: TokenCredential,
  fixes: readonly FixPermission[],
  writer: TokenCredential | undefined,
): Promise<TenantPermissions> {
  let token: AccessToken | null;
  try {
    token = await credential.getToken([CLOUDS[tenant.cloud].scope]);
    if (!token) throw Object.assign(new Error("the credential returned no token"), { name: "AuthenticationError" });
  } catch (err) {
    const e = toGraphRequestError(err);
    return {
      side,
      tenantId: tenant.tenantId,
      kind: "opaque",
      permissions: [],
      facets: sideAccess(side, undefined),
      remediation: [],
      error: { code: e.graphCode, message: e.message },
    };
  }
  const claims = decodeJwtPayload(token.token);
  checkTenant(claims, tenant, `${side}: the access token`);
  const { kind, permissions } = tokenPermissions(claims);
  const held = claims ? permissions : undefined;
  const writes = writer ? await writerPermissions(side, tenant, writer) : { held, lower: new Set([...permissions].map((p) => p.toLowerCase())) };
  const appId = claims?.["appid"] ?? claims?.["azp"];
  return {
    side,
    tenantId: tenant.tenantId,
    kind: claims ? kind : "opaque",
    ...(typeof appId === "string" ? { appId } : {}),
    permissions: [...permissions].sort(),
    facets: sideAccess(side, held),
    remediation: remediationRows(side, fixes, writes.held !== undefined ? writes.lower : undefined),
  };
}

/** A token for another tenant than the configured one is refused outright. */
function checkTenant(claims: ReturnType<typeof decodeJwtPayload>, tenant: TenantConfig, what: string): void {
  const tid = claims?.["tid"];
  if (typeof tid === "string" && tid.toLowerCase() !== tenant.tenantId.toLowerCase()) {
    throw new CtsError("TENANT_MISMATCH", `${what} is for tenant ${tid}, not the configured ${tenant.tenantId}`);
  }
}

/** The remediation token's permissions (lower-cased); `held` undefined when it could not be read. */
async function writerPermissions(side: TenantSide, tenant: TenantConfig, writer: TokenCredential) {
  const writeToken = await writer.getToken([CLOUDS[tenant.cloud].scope]).catch(() => null);
  const writeClaims = writeToken ? decodeJwtPayload(writeToken.token) : undefined;
  checkTenant(writeClaims, tenant, `${side}: the remediation token`);
  const permissions = tokenPermissions(writeClaims).permissions;
  return { held: writeClaims ? permissions : undefined, lower: new Set([...permissions].map((p) => p.toLowerCase())) };
}

/** The write permissions this tenant's rule fixes use; `held` (lower-cased) is undefined when the token cannot tell. */
function remediationRows(side: TenantSide, fixes: readonly FixPermission[], held: ReadonlySet<string> | undefined): WritePermission[] {
  const writes = new Map<string, string[]>();
  for (const f of fixes.filter((x) => x.tenant === side)) writes.set(f.permission, [...(writes.get(f.permission) ?? []), f.ruleId]);
  return [...writes]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([permission, rules]) => ({
      permission,
      rules: [...new Set(rules)].sort(),
      held: held ? held.has(permission.toLowerCase()) : undefined,
    }));
}

/** Text for a terminal: per tenant the token's permissions, then one line per facet. */
export function renderPermissions(report: readonly TenantPermissions[], withRemediation: boolean): string {
  const lines: string[] = [];
  for (const t of report) {
    lines.push(`${t.side} ${t.tenantId}`);
    if (t.error) {
      lines.push(`  no token: ${t.error.code}: ${t.error.message}`);
    } else if (t.kind === "opaque") {
      lines.push("  the token is not a JWT: its permissions cannot be read here");
    } else {
      const what = t.kind === "delegated" ? "delegated token, scopes" : t.kind === "application" ? "application token, roles" : "token with no roles or scopes";
      lines.push(`  ${what}${t.appId ? ` (app ${t.appId})` : ""}: ${t.permissions.length ? t.permissions.join(", ") : "none"}`);
      if (t.kind === "delegated") lines.push("  delegated: the signed-in user also needs a directory role that allows each read (e.g. Global Reader)");
    }
    const width = Math.max(...t.facets.map((f) => f.facet.length));
    for (const f of t.facets) {
      const state = f.readable === undefined ? "unknown " : f.readable ? "readable" : "DENIED  ";
      const detail =
        f.readable === false ? `grant ${(f.missing ?? []).join(" + ")} (least: ${f.least})` : f.readable ? `via ${f.grantedBy}` : `least: ${f.least}`;
      lines.push(`  ${state} ${f.facet.padEnd(width)}  ${detail}`);
    }
    if (withRemediation) {
      lines.push("  remediation (write) permissions used by rule fixes:");
      if (t.remediation.length === 0) lines.push("    none");
      for (const w of t.remediation) {
        const state = w.held === undefined ? "unknown" : w.held ? "held   " : "missing";
        lines.push(`    ${state} ${w.permission}  (${w.rules.join(", ")})`);
      }
    }
  }
  return lines.join("\n") + "\n";
}
