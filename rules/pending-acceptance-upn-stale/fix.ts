// Fix: provision each stale pending-acceptance user on demand (the request is in the finding's evidence).
import { jobAction } from "../../src/engine/fix-recipes.js";
import { ORDER, skipped } from "../../src/remediate/fix-helpers.js";
import type { FixBuilder, StepDraft } from "../../src/remediate/types.js";

interface OnDemand {
  method: string;
  url: string;
  body: { parameters: { ruleId: string; subjects: { objectId: string; objectTypeName: string }[] }[] };
}

export const fix: FixBuilder = ({ result }) => {
  const steps: StepDraft[] = [];
  const unusable: string[] = [];
  for (const finding of result.findings) {
    const request = finding.evidence["provisionOnDemand"] as OnDemand | undefined;
    const target = finding.objects[0];
    const upn = (finding.evidence["targetUserPrincipalName"] as string | null | undefined) ?? null;
    // Placeholders left in the request mean the job or its schema (the rule id) was not collected.
    if (!request || !target || /\{\w+\}/.test(JSON.stringify(request))) {
      unusable.push(target?.userPrincipalName ?? target?.id ?? "?");
      continue;
    }
    const source = (finding.evidence["sourceUserPrincipalName"] as string | null | undefined) ?? request.body.parameters[0]?.subjects[0]?.objectId;
    steps.push({
      tenant: "source",
      method: "POST",
      version: "v1.0",
      path: request.url.replace(/^\/v1\.0/, ""),
      body: request.body,
      permission: jobAction("provisionOnDemand").permission,
      summary: `Source: provision ${source} on demand so the target user ${upn ?? target.id} gets the source UPN.`,
      // The change shows in the target: the invited user's UPN is replaced.
      read: { tenant: "target", version: "v1.0", path: `/users/${target.id}?$select=id,userPrincipalName,externalUserState` },
      precondition: [{ path: "userPrincipalName", equals: upn }],
      effect: [{ path: "userPrincipalName", notIn: [upn] }],
      order: ORDER.onDemand,
      paced: "provisionOnDemand",
    });
  }
  if (steps.length === 0) return skipped(`the provisionOnDemand request is incomplete for ${unusable.join(", ")} (job or schema not collected)`);
  return { steps };
};
