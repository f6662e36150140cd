// Loading a config file (JSON or YAML), applying CLI overrides, and turning zod issues into one-line errors.
import path from "node:path";
import type { z } from "zod";
import { CtsError } from "../errors.js";
import { truncateForMessage } from "../files.js";
import { parseConfigText, readConfigText } from "./read-text.js";
import { configSchema, INLINE_SECRET_KEYS, type Config } from "./schema.js";

export interface ConfigOverrides {
  sourceTenant?: string;
  targetTenant?: string;
  sourceCloud?: string;
  targetCloud?: string;
  sourceEndpoint?: string;
  targetEndpoint?: string;
  /** `--configuration`: the CTS configuration for the target (service principal id or displayName). */
  configuration?: string;
}

/** The path of the first key that would put a secret in the config ("source.auth.clientSecret"), if any. */
export function findInlineSecret(raw: unknown, at: string[] = []): string | undefined {
  if (!raw || typeof raw !== "object") return undefined;
  for (const [key, value] of Object.entries(raw)) {
    if (INLINE_SECRET_KEYS.includes(key)) return [...at, key].join(".");
    const deeper = findInlineSecret(value, [...at, key]);
    if (deeper) return deeper;
  }
  return undefined;
}

/** "source.auth.secretEnv: must be an environment variable name" */
export function describeIssue(issue: z.core.$ZodIssue): string {
  const where = issue.path.map((k) => truncateForMessage(String(k))).join(".") || "(root)";
  // Keys come from the file: a 5 kB one is shown cut to its start, like any value quoted in an error.
  if (issue.code === "unrecognized_keys")
    return `${truncateForMessage(where)}: unknown key${issue.keys.length > 1 ? "s" : ""} ${issue.keys
      .slice(0, 5)
      .map((k) => `"${truncateForMessage(k)}"`)
      .join(", ")}${issue.keys.length > 5 ? ", …" : ""}`;
  if (issue.code === "invalid_union" && "note" in issue && issue.note === "No matching discriminator") {
    return `${where}: must be one of client-secret, client-certificate, device-code, interactive, azure-cli, managed-identity, workload-identity, access-token`;
  }
  return `${where}: ${issue.message}`;
}

function setPath(obj: Record<string, unknown>, keys: string[], value: unknown): void {
  let cur = obj;
  for (const k of keys.slice(0, -1)) {
    if (!cur[k] || typeof cur[k] !== "object") cur[k] = {};
    cur = cur[k] as Record<string, unknown>;
  }
  cur[keys[keys.length - 1]!] = value;
}

/** Validate a parsed config object; `file` names it in errors. */
export function parseConfig(raw: unknown, file: string, overrides: ConfigOverrides = {}): Config {
  if (!raw || typeof raw !== "object" || Array.isArray(raw)) throw new CtsError("CONFIG_INVALID", `${file}: must be a mapping with source and target`);
  const secretAt = findInlineSecret(raw);
  if (secretAt) {
    throw new CtsError(
      "CONFIG_INVALID",
      `${file}: ${secretAt} is not allowed — secrets never go in the config; name an environment variable (secretEnv/tokenEnv) or a file (secretFile/tokenFile)`,
    );
  }
  const merged = structuredClone(raw) as Record<string, unknown>;
  const pairs: [string | undefined, string[]][] = [
    [overrides.sourceTenant, ["source", "tenantId"]],
    [overrides.targetTenant, ["target", "tenantId"]],
    [overrides.sourceCloud, ["source", "cloud"]],
    [overrides.targetCloud, ["target", "cloud"]],
    [overrides.sourceEndpoint, ["source", "graphEndpoint"]],
    [overrides.targetEndpoint, ["target", "graphEndpoint"]],
    [overrides.configuration, ["configuration"]],
  ];
  for (const [value, keys] of pairs) if (value !== undefined) setPath(merged, keys, value);
  const parsed = configSchema.safeParse(merged);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new CtsError("CONFIG_INVALID", `${file}: ${first ? describeIssue(first) : "invalid"}`);
  }
  return parsed.data;
}

/** Read and validate a JSON or YAML config file. */
export async function loadConfig(file: string, overrides: ConfigOverrides = {}): Promise<Config> {
  const text = await readConfigText(file, "config");
  const raw = parseConfigText(text, file, "config", path.extname(file).toLowerCase() === ".json");
  return parseConfig(raw, file, overrides);
}
