// Fix: start the configuration's paused or never-started job.
import { jobAction, recipePath } from "../../src/engine/fix-recipes.js";
import { jobInUse, jobValues, ORDER, recipeRequest, skipped } from "../../src/remediate/fix-helpers.js";
import type { FixBuilder } from "../../src/remediate/types.js";
import { jobRunState } from "../../src/model/job-state.js";

export const fix: FixBuilder = ({ pair }) => {
  const found = jobInUse(pair);
  if (typeof found === "string") return skipped(found);
  const { job, jobPath, config } = found;
  if (jobRunState(job).state === "pending") return skipped("the job was just started (schedule Active, status NotRun): its first cycle is under way");
  if (job.status?.code === "NotConfigured")
    return skipped("the job's provisioning settings were never completed (NotConfigured): finish Provisioning → Get started first");
  const name = config.name;
  return {
    steps: [
      {
        ...recipeRequest(jobAction("start"), jobValues(config, job)),
        summary: `Source: start the provisioning job of configuration "${name}" (now ${job.status?.code ?? "unknown"}, schedule ${job.schedule?.state ?? "unknown"}).`,
        read: { tenant: "source", version: "v1.0", path: jobPath },
        precondition: [
          { path: "status.code", equals: job.status?.code ?? null },
          { path: "schedule.state", equals: job.schedule?.state ?? null },
        ],
        // A started job reads schedule Active with status NotRun until its first cycle (configure-graph, Step 13).
        effect: [{ path: "schedule.state", equals: "Active" }],
        undo: { method: "POST", version: "v1.0", path: recipePath(jobAction("pause"), jobValues(config, job)) },
        order: ORDER.job,
      },
    ],
  };
};
