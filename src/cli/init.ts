// `init`: write a commented tenant-pair config (secrets only as env/file references) and list the permissions to grant.
import { writeFile } from "node:fs/promises";
import type { CommandModule } from "yargs";
import { GUID } from "../guid.js";
import { CtsError } from "../errors.js";
import { facetPermissions } from "../permissions/table.js";
import { FACETS } from "../snapshot/facets.js";
import { outputFormat, print, withOutputOption } from "./format.js";
import type { GlobalArgs } from "./options.js";
import { info } from "./output.js";

type Side = "source" | "target";
type Args = GlobalArgs & {
  file: string;
  sourceTenant?: string;
  targetTenant?: string;
  sourceClientId?: string;
  targetClientId?: string;
  force: boolean;
  output?: string;
};

/** Each tenant's least privileged read permissions, from the permissions table (the first alternative per facet). */
export function readPermissions(side: Side): string[] {
  return [...new Set(FACETS.filter((f) => f.side === side).flatMap((f) => facetPermissions(f.id)[0] ?? []))].sort();
}

function guidOption(flag: string, value: string | undefined, placeholder: string): string {
  if (value === undefined) return placeholder;
  if (!GUID.test(value)) throw new CtsError("USAGE", `${flag}: "${value}" is not a GUID like 1fd6544e-e994-4de2-9f1b-787b51c7d325`);
  return value;
}

function tenantBlock(side: Side, tenantId: string, clientId: string): string {
  const env = `CTS_${side.toUpperCase()}_SECRET`;
  const role = side === "source" ? "the tenant users are synchronized FROM (it runs the sync job)" : "the tenant users are synchronized INTO";
  return [
    `${side}:`,
    `  # ${role}; Entra admin center > Overview > Tenant ID`,
    `  tenantId: ${tenantId}`,
    "  cloud: global               # global, usgov, usgov-dod or china",
    "  auth:",
    "    method: client-secret      # or client-certificate, azure-cli, managed-identity, device-code (see README)",
    `    clientId: ${clientId}   # the app registration's application (client) id in this tenant`,
    `    secretEnv: ${env}   # the secret is read from this variable; or secretFile: /path/to/file`,
    "",
  ].join("\n");
}

export function configYaml(ids: Record<Side, { tenantId: string; clientId: string }>): string {
  return [
    "# cts-doctor tenant-pair configuration (written by cts-doctor init).",
    "# Secrets never go in this file: auth names an environment variable (secretEnv) or a file (secretFile).",
    "",
    tenantBlock("source", ids.source.tenantId, ids.source.clientId),
    tenantBlock("target", ids.target.tenantId, ids.target.clientId),
    "collection:",
    "  since: 7d                    # provisioning-log window: 7d, 24h or an ISO date-time (Graph keeps 30 days)",
    "  concurrency: 4               # parallel Graph requests per tenant, 1 to 16",
    "",
  ].join("\n");
}

function permissionsText(file: string, ids: Record<Side, { tenantId: string }>): string {
  const lines = [`Grant these Microsoft Graph application permissions (with admin consent) to the app named in ${file}:`];
  for (const side of ["source", "target"] as const) {
    lines.push(`  ${side} tenant ${ids[side].tenantId}:`, ...readPermissions(side).map((p) => `    ${p}`));
  }
  lines.push("Then: cts-doctor permissions --config " + file + " checks them, and cts-doctor diagnose --config " + file + " --out out runs.");
  return lines.join("\n") + "\n";
}

export const initCommand: CommandModule<GlobalArgs, Args> = {
  command: "init [file]",
  describe: "Write a commented config for a tenant pair and print the app permissions to grant in each tenant",
  builder: (y) =>
    withOutputOption(y, "the permissions to grant")
      .positional("file", { type: "string", default: "cts-doctor.yaml", describe: "config file to write" })
      .option("source-tenant", { type: "string", describe: "source tenant id (else a placeholder)" })
      .option("target-tenant", { type: "string", describe: "target tenant id (else a placeholder)" })
      .option("source-client-id", { type: "string", describe: "application (client) id in the source tenant" })
      .option("target-client-id", { type: "string", describe: "application (client) id in the target tenant" })
      .option("force", { type: "boolean", default: false, describe: "overwrite an existing file" }),
  handler: async (args) => {
    const format = outputFormat(args);
    const ids = {
      source: {
        tenantId: guidOption("--source-tenant", args.sourceTenant, "<source-tenant-id>"),
        clientId: guidOption("--source-client-id", args.sourceClientId, "<source-app-client-id>"),
      },
      target: {
        tenantId: guidOption("--target-tenant", args.targetTenant, "<target-tenant-id>"),
        clientId: guidOption("--target-client-id", args.targetClientId, "<target-app-client-id>"),
      },
    };
    if (args.sourceTenant && args.targetTenant && args.sourceTenant.toLowerCase() === args.targetTenant.toLowerCase())
      throw new CtsError("USAGE", "--source-tenant and --target-tenant must be different tenants");
    try {
      // "wx" refuses an existing file atomically: no window between a check and the write.
      await writeFile(args.file, configYaml(ids), { flag: args.force ? "w" : "wx", mode: 0o600 });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "EEXIST") throw new CtsError("USAGE", `${args.file} exists; pass --force to overwrite it`);
      throw err;
    }
    info(
      args,
      `Wrote ${args.file}${ids.source.tenantId.startsWith("<") || ids.source.clientId.startsWith("<") || ids.target.clientId.startsWith("<") ? " (replace the <placeholders>)" : ""}`,
    );
    const rows = (["source", "target"] as const).flatMap((side) =>
      readPermissions(side).map((permission) => ({ side, tenantId: ids[side].tenantId, permission })),
    );
    print(format, {
      json: { file: args.file, permissions: { source: readPermissions("source"), target: readPermissions("target") } },
      rows,
      text: () => permissionsText(args.file, ids),
    });
  },
};
