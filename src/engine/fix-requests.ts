// Graph requests several rule fixes share, built in one place so their bodies cannot drift apart.
import { documented, getSecrets, putSecrets } from "./fix-recipes.js";
import type { FixRequest } from "./types.js";

/**
 * The documented way to change a configuration's provisioning secrets: GET them on beta (the one published read), then
 * PUT the whole list back with only `keys` changed — the PUT replaces every secret, so a key left out is deleted
 * (entra-docs docs/identity/app-provisioning/skip-out-of-scope-deletions.md, Steps 3–4).
 */
export function putSyncSecrets(keys: Record<string, string>): FixRequest[] {
  const value = [{ key: "<every key the GET returned, unchanged>", value: "<its value>" }, ...Object.entries(keys).map(([key, v]) => ({ key, value: v }))];
  return [documented(getSecrets), documented(putSecrets, { value })];
}

/** The notification settings a fix proposes: failure e-mails on, accidental-deletion prevention at the default 500. */
export const RECOMMENDED_NOTIFICATION_SETTINGS =
  '{"Enabled":true,"Recipients":"<notification email>","DeleteThresholdEnabled":true,"DeleteThresholdValue":500}';
