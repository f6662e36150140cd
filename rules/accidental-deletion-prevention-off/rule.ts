// Source tenant: accidental-deletion prevention (deletion threshold) should be on for the configuration.
import { defineRule } from "../../src/engine/define.js";
import { requireConfiguration, requireSecrets } from "../../src/engine/preconditions.js";
import { putSyncSecrets, RECOMMENDED_NOTIFICATION_SETTINGS } from "../../src/engine/fix-requests.js";
import { jobOf } from "../../src/model/configuration.js";
import { REFERENCES } from "../references.js";

/** A boolean setting as written by the portal (true/false), tolerating "True"/"False" strings; null when absent. */
function flag(value: unknown): boolean | null {
  if (typeof value === "boolean") return value;
  if (typeof value === "string" && /^(true|false)$/i.test(value.trim())) return value.trim().toLowerCase() === "true";
  return null;
}

export default defineRule({
  id: "accidental-deletion-prevention-off",
  title: "Accidental deletion prevention is off for the configuration",
  severity: "medium",
  side: "source",
  area: "configuration",
  symptom:
    'When the scope shrinks by mistake (a group unassigned, a scoping filter changed, Sync all switched to assigned) the next cycle disables and soft-deletes the users in the target tenant at once, instead of stopping with "Provisioning has been quarantined. See quarantine details for more information." (quarantine reason TooManyDeletes) for an admin to allow or reject the deletions.',
  cause:
    "'Prevent accidental deletion' is not selected in the configuration's provisioning settings (SyncNotificationSettings DeleteThresholdEnabled), so no deletion threshold (default 500) holds back mass deletions.",
  detection:
    "Reads DeleteThresholdEnabled and DeleteThresholdValue in the SyncNotificationSettings provisioning secret, and the job settings QuarantineTooManyDeletes / QuarantineTooManyDeletesThreshold when the job was collected. Fails when DeleteThresholdEnabled is false, or when it is absent and the job setting QuarantineTooManyDeletes is not True.",
  messages: {
    disabled:
      "Accidental deletion prevention is off for configuration {{configName}} (SyncNotificationSettings DeleteThresholdEnabled = false); mass disables and deletions in the target tenant are not held back.",
    notSet:
      "Accidental deletion prevention was never turned on for configuration {{configName}} (no DeleteThresholdEnabled in SyncNotificationSettings; job setting QuarantineTooManyDeletes = {{jobSetting}}); mass disables and deletions in the target tenant are not held back.",
    notSetNoJobSetting:
      "Accidental deletion prevention was never turned on for configuration {{configName}} (no DeleteThresholdEnabled in SyncNotificationSettings, and the job has no QuarantineTooManyDeletes setting); mass disables and deletions in the target tenant are not held back.",
    notSetJobUnread:
      "Accidental deletion prevention was never turned on for configuration {{configName}} (no DeleteThresholdEnabled in SyncNotificationSettings; the job settings were not collected); mass disables and deletions in the target tenant are not held back.",
  },
  fix: {
    summary:
      "Select 'Prevent accidental deletion' and set a deletion threshold (default 500), and make sure a Notification Email is set so someone can allow or reject held deletions. The Graph PUT replaces every provisioning secret: GET them on beta first and send every key back as it is, and keep your notification recipients.",
    portal:
      "Source tenant: Entra admin center → Entra ID → External Identities → Cross-tenant synchronization → Configurations → (the configuration) → Provisioning → Settings → check 'Prevent accidental deletion' → Accidental deletion threshold: 500 → Save",
    graph: [...putSyncSecrets({ SyncNotificationSettings: RECOMMENDED_NOTIFICATION_SETTINGS })],
  },
  references: [REFERENCES.accidentalDeletions, REFERENCES.configureStep10Settings, REFERENCES.quarantineStatus, REFERENCES.putSyncSecrets],
  needs: ["source.syncServicePrincipals", "source.syncSecrets"],
  uses: ["source.syncJobs", "target.organization"],
  check(pair, ctx) {
    const config = requireConfiguration(pair, ctx);
    requireSecrets(pair, ctx, config);
    const sp = config.servicePrincipal;
    if (!config.notifications.ok)
      return ctx.inconclusive(`The SyncNotificationSettings secret is ${config.notifications.reason}, so the deletion threshold cannot be read.`);
    const settings = config.notifications.value;
    const thresholdEnabled = flag(settings?.DeleteThresholdEnabled);
    if (thresholdEnabled === true) return;

    const job = pair.has("source.syncJobs") ? jobOf(pair, config) : undefined;
    const jobSetting = (name: string) => job?.synchronizationJobSettings?.find((s) => (s.name ?? "").toLowerCase() === name.toLowerCase())?.value;
    const quarantineTooManyDeletes = jobSetting("QuarantineTooManyDeletes");
    // The portal writes DeleteThresholdEnabled; only when it is absent does the job setting decide.
    if (thresholdEnabled === null && quarantineTooManyDeletes?.toLowerCase() === "true") return;

    const object = { id: sp.id, type: "servicePrincipal" as const, displayName: config.name };
    const evidence = {
      DeleteThresholdEnabled: settings?.DeleteThresholdEnabled ?? null,
      DeleteThresholdValue: settings?.DeleteThresholdValue ?? null,
      jobId: job?.id ?? null,
      QuarantineTooManyDeletes: quarantineTooManyDeletes ?? null,
      QuarantineTooManyDeletesThreshold: jobSetting("QuarantineTooManyDeletesThreshold") ?? null,
      jobSettingsCollected: pair.has("source.syncJobs"),
    };
    const configName = config.name;
    if (thresholdEnabled === false) {
      ctx.report({ messageId: "disabled", data: { configName }, objects: [object], evidence });
      return;
    }
    if (!pair.has("source.syncJobs")) {
      ctx.report({ messageId: "notSetJobUnread", data: { configName }, objects: [object], evidence });
      return;
    }
    if (quarantineTooManyDeletes === undefined) {
      ctx.report({ messageId: "notSetNoJobSetting", data: { configName }, objects: [object], evidence });
      return;
    }
    ctx.report({ messageId: "notSet", data: { configName, jobSetting: quarantineTooManyDeletes }, objects: [object], evidence });
  },
});
