// `rules list`, `rules show <id>` and `rules docs` (regenerate rules/<id>/README.md): the catalogue from rule metadata.
import { writeFile } from "node:fs/promises";
import path from "node:path";
import type { CommandModule } from "yargs";
import { ruleReadme } from "../engine/readme.js";
import { packageRoot } from "../version.js";
import { CtsError } from "../errors.js";
import { fillPlaceholders } from "../report/model.js";
import type { RuleInfo } from "../report/model.js";
import { outputFormat, print, withOutputOption } from "./format.js";
import type { GlobalArgs } from "./options.js";
import { ruleInfoMap } from "../app/analyze.js";
import { didYouMean } from "./suggest.js";

type Args = GlobalArgs & { action: string; id?: string; json: boolean; output?: string };

/** The rule, or a usage error naming the closest id. */
export function ruleById(id: string): RuleInfo {
  const rules = ruleInfoMap();
  const rule = rules.get(id);
  if (!rule) throw new CtsError("USAGE", `unknown rule "${id}"${didYouMean(id, [...rules.keys()])} (see rules list)`);
  return rule;
}

function show(rule: RuleInfo): string {
  const keep = { source: { tenantId: "{sourceTenantId}" }, target: { tenantId: "{targetTenantId}" } } as never;
  const lines = [
    `${rule.id} — ${rule.title}`,
    `Severity: ${rule.severity}   Side: ${rule.side}   Area: ${rule.area}`,
    "",
    `Symptom: ${rule.symptom}`,
    "",
    `Cause: ${rule.cause}`,
    "",
    `Detection: ${rule.detection}`,
    "",
    `Fix: ${rule.fix.summary}`,
    `  Portal: ${fillPlaceholders(rule.fix.portal, keep)}`,
    ...rule.fix.graph.map((g) => `  Graph (${g.tenant}, ${g.permission}): ${g.method} ${g.url}${g.body ? ` ${JSON.stringify(g.body)}` : ""}`),
    ...(rule.fix.powershell ? ["  PowerShell:", ...rule.fix.powershell.split("\n").map((l) => `    ${l}`)] : []),
    "",
    `Needs: ${rule.needs.join(", ")}`,
    "References:",
    ...rule.references.map((r) => `  ${r.title}: ${r.url}`),
  ];
  return lines.join("\n") + "\n";
}

export const rulesCommand: CommandModule<GlobalArgs, Args> = {
  command: "rules <action> [id]",
  describe: "List the rules (rules list), explain one (rules show <id>), or regenerate their READMEs (rules docs)",
  builder: (y) =>
    withOutputOption(y)
      .positional("action", { choices: ["list", "show", "docs"] as const, demandOption: true })
      .positional("id", { type: "string", describe: "rule id, for show" })
      .option("json", { type: "boolean", default: false, describe: "print JSON (same as --output json)" }),
  handler: async (args) => {
    const format = outputFormat(args);
    const rules = [...ruleInfoMap().values()];
    if (args.action === "docs") {
      // For developers: rewrite each rule's README from its metadata (a test fails when one is stale).
      for (const r of rules) await writeFile(path.join(packageRoot, "rules", r.id, "README.md"), ruleReadme(r));
      process.stdout.write(`wrote ${rules.length} READMEs\n`);
      return;
    }
    if (args.action === "show") {
      if (!args.id) throw new CtsError("USAGE", "rules show needs a rule id (see rules list)");
      const rule = ruleById(args.id);
      const facts = { id: rule.id, title: rule.title, severity: rule.severity, side: rule.side, area: rule.area, fix: rule.fix.summary };
      print(format, { json: rule, rows: Object.entries(facts).map(([field, value]) => ({ field, value })), text: () => show(rule) });
      return;
    }
    const rows = rules.map((r) => ({ id: r.id, severity: r.severity, side: r.side, area: r.area, title: r.title }));
    print(format, { json: rows, rows, text: () => rules.map((r) => `${r.id.padEnd(42)} ${r.severity.padEnd(8)} ${r.side.padEnd(6)} ${r.title}\n`).join("") });
  },
};
