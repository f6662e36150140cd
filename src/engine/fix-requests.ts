// Graph requests several rule fixes share, built in one place so their bodies cannot drift apart.
import type { FixRequest } from "./types.js";

/**
 * The documented way to change a configuration's provisioning secrets: GET them on beta (the one published read), then
 * PUT the whole list back with only `keys` changed — the PUT replaces every secret, so a key left out is deleted
 * (entra-docs docs/identity/app-provisioning/skip-out-of-scope-deletions.md, Steps 3–4).
 */
export function putSyncSecrets(keys: Record<string, string>): FixRequest[] {
  const url = "/servicePrincipals/{servicePrincipalId}/synchronization/secrets";
  return [
    { tenant: "source", method: "GET", url: `/beta${url}`, permission: "Synchronization.ReadWrite.All" },
    {
      tenant: "source",
      method: "PUT",
      url: `/v1.0${url}`,
      body: {
        value: [{ key: "<every key the GET returned, unchanged>", value: "<its value>" }, ...Object.entries(keys).map(([key, value]) => ({ key, value }))],
      },
      permission: "Synchronization.ReadWrite.All",
    },
  ];
}

/** The notification settings a fix proposes: failure e-mails on, accidental-deletion prevention at the default 500. */
export const RECOMMENDED_NOTIFICATION_SETTINGS =
  '{"Enabled":true,"Recipients":"<notification email>","DeleteThresholdEnabled":true,"DeleteThresholdValue":500}';
