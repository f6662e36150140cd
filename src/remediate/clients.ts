// Write clients for apply: the remediation credential of each tenant (the read-only one only when allowed), tid-checked.
import { tokenTenantGuard } from "../collect/run.js";
import type { TokenCredential } from "@azure/core-auth";
import { CLOUDS } from "../config/clouds.js";
import type { Config, TenantConfig } from "../config/schema.js";
import { CtsError } from "../errors.js";
import { createCredential, decodeJwtPayload } from "../graph/auth.js";
import { GraphApi, toGraphRequestError } from "../graph/client.js";
import type { TenantSide } from "../snapshot/facets.js";

/** The credential writes use: `remediation.auth`, or `auth` when --allow-read-credentials says so. */
export function remediationCredential(tenant: TenantConfig, side: TenantSide, allowReadCredentials: boolean): TokenCredential {
  if (tenant.remediation) return createCredential({ ...tenant, auth: tenant.remediation.auth }, `${side} remediation`);
  if (!allowReadCredentials) {
    throw new CtsError(
      "USAGE",
      `${side}: no remediation credentials — add ${side}.remediation.auth to the config (an app with the write permissions), or pass --allow-read-credentials to write with ${side}.auth`,
    );
  }
  return createCredential(tenant, side);
}

/** A first token whose tid must be the configured tenant, so a swapped credential never writes to the wrong tenant. */
export async function checkTenant(side: TenantSide, tenant: TenantConfig, credential: TokenCredential): Promise<void> {
  let token;
  try {
    token = await credential.getToken([CLOUDS[tenant.cloud].scope]);
  } catch (err) {
    throw toGraphRequestError(err);
  }
  const tid = token ? decodeJwtPayload(token.token)?.["tid"] : undefined;
  if (typeof tid === "string" && tid.toLowerCase() !== tenant.tenantId.toLowerCase()) {
    throw new CtsError(
      "TENANT_MISMATCH",
      `${side}: the remediation token is for tenant ${tid}, not the configured ${tenant.tenantId}; refusing to write to the wrong tenant`,
    );
  }
}

export function writeClient(tenant: TenantConfig, credential: TokenCredential, timeoutSeconds?: number, side: TenantSide = "source"): GraphApi {
  return new GraphApi({
    // Every token obtained during the apply (a refresh included) is checked before a write is sent with it.
    onToken: tokenTenantGuard(side, tenant),
    baseUrl: tenant.graphEndpoint ?? CLOUDS[tenant.cloud].graphEndpoint,
    credential,
    scope: CLOUDS[tenant.cloud].scope,
    // Writes run one at a time, in plan order.
    concurrency: 1,
    ...(timeoutSeconds ? { retry: { timeoutMs: timeoutSeconds * 1000 } } : {}),
  });
}

/** The plan must be for the configured pair. */
export function checkPair(config: Config, plan: { source: { tenantId: string }; target: { tenantId: string } }): void {
  for (const side of ["source", "target"] as const) {
    if (config[side].tenantId.toLowerCase() !== plan[side].tenantId.toLowerCase()) {
      throw new CtsError("CONFIG_INVALID", `the plan's ${side} tenant is ${plan[side].tenantId}, the config's is ${config[side].tenantId}`);
    }
  }
}
