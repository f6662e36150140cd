// `permissions`: which facets each tenant's token can read, and the least permission that would make the rest readable.
import type { CommandModule } from "yargs";
import { ruleList } from "../../rules/index.js";
import { ExitCode } from "../errors.js";
import { createCredential } from "../graph/auth.js";
import { permissionReport, renderPermissions, type FixPermission } from "../permissions/report.js";
import { outputFormat, print, withOutputOption } from "./format.js";
import { configFromArgs, type ConfigArgs, type GlobalArgs } from "./options.js";

type Args = GlobalArgs &
  Pick<ConfigArgs, "config" | "sourceTenant" | "targetTenant" | "sourceCloud" | "targetCloud"> & { json: boolean; remediation: boolean; output?: string };

/** Every write a rule's fix makes, with its tenant and permission. */
export function fixPermissions(): FixPermission[] {
  return ruleList.flatMap((rule) =>
    rule.fix.graph.filter((g) => g.method !== "GET").map((g) => ({ ruleId: rule.id, tenant: g.tenant, permission: g.permission })),
  );
}

export const permissionsCommand: CommandModule<GlobalArgs, Args> = {
  command: "permissions",
  describe: "Show each tenant's token roles or scopes and, per facet, whether it is readable and the least permission needed (no Graph request)",
  builder: (y) =>
    withOutputOption(y)
      .option("config", { type: "string", demandOption: true, describe: "tenant-pair config file (JSON or YAML)" })
      .option("source-tenant", { type: "string", describe: "override source.tenantId" })
      .option("target-tenant", { type: "string", describe: "override target.tenantId" })
      .option("source-cloud", { type: "string", describe: "override source.cloud" })
      .option("target-cloud", { type: "string", describe: "override target.cloud" })
      .option("remediation", { type: "boolean", default: false, describe: "also list the write permissions rule fixes use" })
      .option("json", { type: "boolean", default: false, describe: "print JSON (same as --output json)" }),
  handler: async (args) => {
    const format = outputFormat(args);
    const config = await configFromArgs({ ...args, connectionTest: false });
    // Credentials first: a missing secret is a usage error before any token is requested.
    const credentials = { source: createCredential(config.source, "source"), target: createCredential(config.target, "target") };
    // With --remediation, the write permissions are checked on the remediation credential when one is configured.
    const writeCredentials: Partial<Record<"source" | "target", ReturnType<typeof createCredential>>> = {};
    for (const side of ["source", "target"] as const) {
      const remediation = config[side].remediation;
      if (args.remediation && remediation) writeCredentials[side] = createCredential({ ...config[side], auth: remediation.auth }, `${side} remediation`);
    }
    const report = await permissionReport(config, credentials, fixPermissions(), writeCredentials);
    const rows = report.flatMap((t) =>
      t.facets.map((f) => ({
        side: t.side,
        tenantId: t.tenantId,
        facet: f.facet,
        readable: f.readable ?? null,
        grantedBy: f.grantedBy ?? null,
        least: f.least,
        missing: f.missing?.join(" + ") ?? null,
      })),
    );
    print(format, { json: { tenants: report }, rows, text: () => renderPermissions(report, args.remediation) });
    // 3: a tenant gave no token; 1: some facet cannot be read; 0: everything is readable (or cannot be told).
    if (report.some((t) => t.error)) process.exitCode = ExitCode.collect;
    else process.exitCode = report.some((t) => t.facets.some((f) => f.readable === false)) ? ExitCode.failed : ExitCode.ok;
  },
};
