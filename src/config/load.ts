// Loading a config file (JSON or YAML), applying CLI overrides, and turning zod issues into one-line errors.
import { CtsError } from "../errors.js";
import { readStructuredFile, validated } from "./structured-file.js";
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

/** A config that holds a secret is refused whole, naming the key (secrets go in environment variables or files). */
export function rejectInlineSecret(raw: unknown, file: string): void {
  const secretAt = findInlineSecret(raw);
  if (!secretAt) return;
  throw new CtsError(
    "CONFIG_INVALID",
    `${file}: ${secretAt} is not allowed — secrets never go in the config; name an environment variable (secretEnv/tokenEnv) or a file (secretFile/tokenFile)`,
  );
}

function setPath(obj: Record<string, unknown>, keys: string[], value: unknown): void {
  let cur = obj;
  for (const k of keys.slice(0, -1)) {
    if (!cur[k] || typeof cur[k] !== "object") cur[k] = {};
    cur = cur[k] as Record<string, unknown>;
  }
  const last = keys.at(-1);
  if (last !== undefined) cur[last] = value;
}

/** Validate a parsed config object; `file` names it in errors. */
export function parseConfig(raw: unknown, file: string, overrides: ConfigOverrides = {}): Config {
  if (!raw || typeof raw !== "object" || Array.isArray(raw)) throw new CtsError("CONFIG_INVALID", `${file}: must be a mapping with source and target`);
  rejectInlineSecret(raw, file);
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
  return validated(configSchema, merged, file);
}

/** Read and validate a JSON or YAML config file. */
export async function loadConfig(file: string, overrides: ConfigOverrides = {}): Promise<Config> {
  return readStructuredFile(file, { label: "config", check: (raw) => parseConfig(raw, file, overrides) });
}
