// A rule's README.md, generated from its metadata so the two never drift (`cts-doctor rules docs` rewrites them).
import type { RuleMeta } from "./types.js";

export const README_HEADINGS = ["Symptom", "Cause", "Detection", "Fix", "References"] as const;

function fence(lang: string, text: string): string {
  return "```" + lang + "\n" + text + "\n```";
}

/** "; at least one of `a` or `b`" per group of facets a rule needs one of. */
function anyOf(groups: readonly (readonly string[])[] = []): string {
  return groups.map((group) => `; at least one of ${group.map((n) => `\`${n}\``).join(" or ")}`).join("");
}

export function ruleReadme(rule: Omit<RuleMeta, "messages"> & { messages?: unknown }): string {
  const fix = rule.fix;
  const graph = fix.graph.map((g) => {
    const body = g.body === undefined ? "" : "\n" + JSON.stringify(g.body, null, 2);
    return `In the **${g.tenant}** tenant (permission \`${g.permission}\`):\n\n${fence("http", `${g.method} ${g.url}${body}`)}`;
  });
  return [
    `# ${rule.id}`,
    "",
    `**${rule.title}** — severity \`${rule.severity}\`, side \`${rule.side}\`, area \`${rule.area}\`.`,
    "",
    "## Symptom",
    "",
    rule.symptom,
    "",
    "## Cause",
    "",
    rule.cause,
    "",
    "## Detection",
    "",
    rule.detection,
    "",
    `Reads: ${rule.needs.map((n) => `\`${n}\``).join(", ")}${anyOf(rule.needsAnyOf)}${rule.uses?.length ? `; when present: ${rule.uses.map((n) => `\`${n}\``).join(", ")}` : ""}. When a facet it reads could not be collected, the result is *inconclusive*.`,
    "",
    "## Fix",
    "",
    fix.summary,
    "",
    `**Admin center:** ${fix.portal}`,
    "",
    ...(graph.length ? ["**Microsoft Graph:**", "", ...graph.flatMap((g) => [g, ""])] : []),
    ...(fix.powershell ? ["**PowerShell:**", "", fence("powershell", fix.powershell), ""] : []),
    "## References",
    "",
    ...rule.references.map((r) => `- [${r.title}](${r.url})`),
    "",
  ].join("\n");
}
