// Fix: turn accidental-deletion prevention on, keeping the threshold in use (500 when none is set).
import { configurationInUse, notificationSettings } from "../../src/model/configuration.js";
import { notificationSettingsStep, skipped, TRUE_VALUES } from "../../src/remediate/fix-helpers.js";
import type { FixBuilder } from "../../src/remediate/types.js";

const DEFAULT_THRESHOLD = 500;

export const fix: FixBuilder = ({ pair }) => {
  const config = configurationInUse(pair);
  const current = config ? notificationSettings(config) : undefined;
  const threshold = Number(current?.DeleteThresholdValue) > 0 ? Number(current?.DeleteThresholdValue) : DEFAULT_THRESHOLD;
  const step = notificationSettingsStep(
    pair,
    { DeleteThresholdEnabled: true, DeleteThresholdValue: threshold },
    [{ path: "DeleteThresholdEnabled", in: TRUE_VALUES }],
    `Source: prevent accidental deletions above ${threshold} objects per cycle.`,
  );
  return typeof step === "string" ? skipped(step) : { steps: [step] };
};
