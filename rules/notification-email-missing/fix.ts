// Fix: turn failure notification emails on, keeping the recipients (or using --notification-email when there are none).
import { configurationInUse, notificationSettings } from "../../src/model/configuration.js";
import { notificationSettingsStep, skipped, TRUE_VALUES } from "../../src/remediate/fix-helpers.js";
import type { FixBuilder } from "../../src/remediate/types.js";

export const fix: FixBuilder = ({ pair, options }) => {
  const config = configurationInUse(pair);
  const current = config ? notificationSettings(config) : undefined;
  const recipients = (typeof current?.Recipients === "string" && current.Recipients.trim()) || options.notificationEmail;
  if (!recipients) return skipped("the configuration has no notification recipient: give one with --notification-email");
  const step = notificationSettingsStep(
    pair,
    { Enabled: true, Recipients: recipients },
    [
      { path: "Enabled", in: TRUE_VALUES },
      { path: "Recipients", equals: recipients },
    ],
    `Source: send failure notification emails to ${recipients}.`,
  );
  return typeof step === "string" ? skipped(step) : { steps: [step] };
};
