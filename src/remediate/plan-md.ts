// plan.md: the plan as a change review reads it — each step's request, effect, risk and undo, then warnings.
import { liveNote } from "./plan.js";
import { planWarnings, stepRisk } from "./plan-risk.js";
import type { Check, Plan, PlanStep } from "./types.js";

const code = (s: string) => `\`${s.replace(/`/g, "'")}\``;

function describeCheck(c: Check): string {
  if ("equals" in c) return `${code(c.path)} is ${code(JSON.stringify(c.equals))}`;
  if (c.in) return `${code(c.path)} is one of ${c.in.map((v) => code(JSON.stringify(v))).join(", ")}`;
  if (c.notIn) return `${code(c.path)} is none of ${c.notIn.map((v) => code(JSON.stringify(v))).join(", ")}`;
  return code(c.path);
}

function stepSection(step: PlanStep): string[] {
  const risk = stepRisk(step);
  return [
    `### ${step.id}${risk.level === "irreversible" ? " — IRREVERSIBLE" : ""}`,
    "",
    step.summary,
    "",
    `- Tenant: ${step.tenant} (${step.tenantId})`,
    `- Request: ${code(`${step.method} ${step.url}`)}${liveNote(step)}`,
    ...(step.body !== undefined && !step.secrets ? [`- Body: ${code(JSON.stringify(step.body))}`] : []),
    `- Permission: ${step.permission}`,
    `- Fixes: ${step.ruleIds.join(", ")}`,
    `- Only if now: ${step.precondition.map(describeCheck).join("; ") || "no precondition"}`,
    `- Effect: ${step.effect.map(describeCheck).join("; ") || "as requested"}`,
    `- Risk: ${risk.text}`,
    "",
  ];
}

export function planMarkdown(plan: Plan, planFile: string): string {
  const warnings = planWarnings(plan);
  const lines = [
    "# Remediation plan for change review",
    "",
    `Source tenant ${plan.source.tenantId} (${plan.source.cloud}) → target tenant ${plan.target.tenantId} (${plan.target.cloud}). Made ${plan.createdAt}; nothing has been changed.`,
    `Apply it with ${code(`cts-doctor remediate apply ${planFile}`)}: each step is re-checked against the live tenant first.`,
    "",
    `Options: tenant-wide changes ${plan.options.allowTenantWide ? "included" : "left out"}, job restarts ${plan.options.allowRestart ? "included" : "left out"}, per-user changes ${plan.options.includeUserChanges ? "included" : "left out"}.`,
    "",
    "## Warnings",
    "",
    ...(warnings.length ? warnings.map((w) => `- ${w}`) : ["None."]),
    "",
    `## Steps (${plan.steps.length}, in order)`,
    "",
    ...(plan.steps.length ? plan.steps.flatMap(stepSection) : ["No step: nothing that fails has an automatic fix within these options.", ""]),
    "## Not planned",
    "",
    ...(plan.notPlanned.length ? plan.notPlanned.map((n) => `- ${n.ruleId}: ${n.reason}`) : ["Nothing."]),
    "",
  ];
  return lines.join("\n");
}
