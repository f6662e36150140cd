// What a plan step risks: restarts that reset state cannot be undone, per-user changes need an explicit flag.
import type { Plan, PlanStep, StepDraft } from "./types.js";

/** A job restart that resets state (resetScope): a full initial cycle and dropped escrows, with no way back. */
export function isResettingRestart(step: Pick<StepDraft, "method" | "path" | "body">): boolean {
  const criteria = (step.body as { criteria?: { resetScope?: unknown } } | undefined)?.criteria;
  return step.method === "POST" && step.path.endsWith("/restart") && Boolean(criteria?.resetScope);
}

/** A change to one user's account (SMS sign-in, on-demand provisioning of a user is not one: it changes the target copy). */
export const isUserChange = (step: Pick<StepDraft, "path">): boolean => step.path.startsWith("/users/");

export interface StepRisk {
  level: "irreversible" | "reversible" | "re-runnable";
  text: string;
}

export function stepRisk(step: PlanStep): StepRisk {
  if (isResettingRestart(step)) {
    const scope = String((step.body as { criteria: { resetScope: unknown } }).criteria.resetScope);
    // microsoft-graph-docs-contrib api-reference/v1.0/api/synchronization-synchronizationjob-restart.md, "resetScope".
    return {
      level: "irreversible",
      text: `Irreversible: resetScope "${scope}" forces a full initial cycle over every object in scope and drops the escrows (pending retries); no undo exists.`,
    };
  }
  if (step.undo) return { level: "reversible", text: `Reversible: apply writes an undo plan (${step.undo.method} /${step.undo.version}${step.undo.path}).` };
  if (step.paced === "provisionOnDemand")
    return { level: "re-runnable", text: "Re-runnable: provisions the listed user now; the next cycle would do the same." };
  return { level: "re-runnable", text: "No automatic undo: the value before is in the journal; set it back by hand if needed." };
}

/**
 * A planned step that a failure left unplanned would undo: a restart runs a cycle at once, and the cycle meets every
 * cause still in place (a blocked guest invitation, a policy not fixed) and fails or quarantines the job again.
 */
export function planWarnings(plan: Pick<Plan, "steps" | "notPlanned">): string[] {
  const restarts = plan.steps.filter(isResettingRestart);
  const open = [...new Map(plan.notPlanned.map((n) => [n.ruleId, n])).values()];
  return restarts.flatMap((r) =>
    open.map(
      (n) =>
        `Step ${r.id} restarts the job while ${n.ruleId} still fails (not planned: ${n.reason}); the cycle the restart starts meets that failure and can put the job back where it was.`,
    ),
  );
}
