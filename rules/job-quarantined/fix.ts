// Fix: restart the quarantined job clearing its quarantine state (after the plan's policy fixes, which come first).
import { jobAction, RESTART_CLEARING_QUARANTINE } from "../../src/engine/fix-recipes.js";
import { jobInUse, jobValues, ORDER, recipeRequest, skipped } from "../../src/remediate/fix-helpers.js";
import type { FixBuilder } from "../../src/remediate/types.js";

export const fix: FixBuilder = ({ pair }) => {
  const found = jobInUse(pair);
  if (typeof found === "string") return skipped(found);
  const { job, jobPath, config } = found;
  const name = config.name;
  return {
    steps: [
      {
        ...recipeRequest(jobAction("restart"), jobValues(config, job), RESTART_CLEARING_QUARANTINE),
        summary: `Source: restart the provisioning job of configuration "${name}", clearing its quarantine (${job.status?.quarantine?.reason ?? "reason not given"}).`,
        read: { tenant: "source", version: "v1.0", path: jobPath },
        precondition: [{ path: "status.code", equals: "Quarantine" }],
        effect: [{ path: "status.code", notIn: ["Quarantine"] }],
        order: ORDER.job + 1,
      },
    ],
  };
};
