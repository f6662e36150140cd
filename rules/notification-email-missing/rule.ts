// Source tenant: failure notification emails must be on and go to a recipient.
import { defineRule } from "../../src/engine/define.js";
import { requireConfiguration, requireSecrets } from "../../src/engine/preconditions.js";
import { putSyncSecrets, RECOMMENDED_NOTIFICATION_SETTINGS } from "../../src/engine/fix-requests.js";
import { REFERENCES } from "../references.js";

/** A boolean setting as written by the portal (true/false), tolerating "True"/"False" strings; null when absent. */
function flag(value: unknown): boolean | null {
  if (typeof value === "boolean") return value;
  if (typeof value === "string" && /^(true|false)$/i.test(value.trim())) return value.trim().toLowerCase() === "true";
  return null;
}

export default defineRule({
  id: "notification-email-missing",
  title: "No failure notification email for the configuration",
  severity: "low",
  side: "source",
  area: "configuration",
  symptom:
    'Nobody is told when the configuration fails: no email arrives when the job goes into quarantine ("Email notifications are sent within 24 hours of the job entering quarantine state"), and problems are found only when users are missing in the target tenant.',
  cause:
    "In the configuration's provisioning settings, 'Send an email notification when a failure occurs' is not checked or 'Notification Email' is empty (SyncNotificationSettings Enabled / Recipients).",
  detection:
    "Reads the SyncNotificationSettings provisioning secret of the configuration. Fails when it is missing, Enabled is not true, or Recipients is empty.",
  messages: {
    noSettings:
      "Configuration {{configName}} has no notification settings (no SyncNotificationSettings secret: the provisioning settings were never saved), so no email is sent when provisioning fails or is quarantined.",
    disabled:
      "Failure notifications are off for configuration {{configName}} (SyncNotificationSettings Enabled = {{enabled}}); no email is sent when provisioning fails or is quarantined.",
    noRecipient:
      "Failure notifications are on for configuration {{configName}} but no Notification Email is set (SyncNotificationSettings Recipients is empty).",
  },
  fix: {
    summary:
      "Check 'Send an email notification when a failure occurs' and enter a Notification Email (a person or group mailbox). The Graph PUT replaces every provisioning secret: GET them on beta first and send every key back as it is, and keep the deletion threshold you use.",
    portal:
      "Source tenant: Entra admin center → Entra ID → External Identities → Cross-tenant synchronization → Configurations → (the configuration) → Provisioning → Settings → check 'Send an email notification when a failure occurs' → Notification Email → Save",
    graph: [...putSyncSecrets({ SyncNotificationSettings: RECOMMENDED_NOTIFICATION_SETTINGS })],
  },
  references: [REFERENCES.configureStep10Settings, REFERENCES.quarantineStatus, REFERENCES.putSyncSecrets],
  needs: ["source.syncServicePrincipals", "source.syncSecrets"],
  uses: ["target.organization"],
  check(pair, ctx) {
    const config = requireConfiguration(pair, ctx);
    requireSecrets(pair, ctx, config);
    const sp = config.servicePrincipal;
    if (!config.notifications.ok)
      return ctx.inconclusive(`The SyncNotificationSettings secret is ${config.notifications.reason}, so the notification settings cannot be read.`);
    const settings = config.notifications.value;
    const object = { id: sp.id, type: "servicePrincipal" as const, displayName: config.name };
    const configName = config.name;
    const enabled = flag(settings?.Enabled);
    const recipients = typeof settings?.Recipients === "string" ? settings.Recipients.trim() : "";
    const evidence = { syncNotificationSettings: settings ?? null, Enabled: settings?.Enabled ?? null, Recipients: settings?.Recipients ?? null };
    if (!settings) {
      ctx.report({ messageId: "noSettings", data: { configName }, objects: [object], evidence });
      return;
    }
    if (enabled !== true) {
      ctx.report({ messageId: "disabled", data: { configName, enabled: String(enabled) }, objects: [object], evidence });
      return;
    }
    if (recipients === "") ctx.report({ messageId: "noRecipient", data: { configName }, objects: [object], evidence });
  },
});
