// Fix: restart the quarantined job clearing its quarantine state (after the plan's policy fixes, which come first).
import { jobInUse, ORDER, SYNC_PERMISSION, skipped } from "../../src/remediate/fix-helpers.js";
import type { FixBuilder } from "../../src/remediate/types.js";
import rule from "./rule.js";

export const fix: FixBuilder = ({ pair }) => {
  const found = jobInUse(pair);
  if (typeof found === "string") return skipped(found);
  const { job, jobPath, config } = found;
  const restart = rule.fix.graph.find((r) => r.url.endsWith("/restart"));
  const name = config.servicePrincipal.displayName ?? config.servicePrincipal.id;
  return {
    steps: [
      {
        tenant: "source",
        method: "POST",
        version: "v1.0",
        path: `${jobPath}/restart`,
        body: restart?.body ?? { criteria: { resetScope: "QuarantineState, Escrows, Watermark" } },
        permission: SYNC_PERMISSION,
        summary: `Source: restart the provisioning job of configuration "${name}", clearing its quarantine (${job.status?.quarantine?.reason ?? "reason not given"}).`,
        read: { tenant: "source", version: "v1.0", path: jobPath },
        precondition: [{ path: "status.code", equals: "Quarantine" }],
        effect: [{ path: "status.code", notIn: ["Quarantine"] }],
        order: ORDER.job + 1,
      },
    ],
  };
};
