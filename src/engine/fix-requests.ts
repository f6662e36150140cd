// Graph requests several rule fixes share, built in one place so their bodies cannot drift apart.
import type { FixRequest } from "./types.js";

/**
 * PUT /synchronization/secrets replaces every provisioning setting, so the body always carries the configuration's
 * identity (AuthenticationType, CompanyId) plus the keys being changed.
 */
export function putSyncSecrets(keys: Record<string, string>): FixRequest {
  return {
    tenant: "source",
    method: "PUT",
    url: "/v1.0/servicePrincipals/{servicePrincipalId}/synchronization/secrets",
    body: {
      value: [
        { key: "AuthenticationType", value: "SyncPolicy" },
        { key: "CompanyId", value: "{targetTenantId}" },
        ...Object.entries(keys).map(([key, value]) => ({ key, value })),
      ],
    },
    permission: "Synchronization.ReadWrite.All",
  };
}

/** The notification settings a fix proposes: failure e-mails on, accidental-deletion prevention at the default 500. */
export const RECOMMENDED_NOTIFICATION_SETTINGS = '{"Enabled":true,"Recipients":"<notification email>","DeleteThresholdEnabled":true,"DeleteThresholdValue":500}';
