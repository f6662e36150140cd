// Multi-pair configs for `check`: named tenant blocks shared by reference across `pairs`; a single-pair config is one pair.
import path from "node:path";
import { z } from "zod";
import { CtsError } from "../errors.js";
import { describeIssue, findInlineSecret, parseConfig } from "./load.js";
import { parseConfigText, readConfigText } from "./read-text.js";
import { collectionSchema, tenantSchema, type Config, type TenantConfig } from "./schema.js";

/** Pair names become folder names under --out, so they are restricted to a portable, path-safe alphabet. */
export const PAIR_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** The pair name a single-pair config gets. */
export const DEFAULT_PAIR = "default";

/** Files `check` writes beside the pair folders. */
const RESERVED = new Set(["history.sqlite", "summary.json", "summary.md", "summary.csv"]);

const tenantRef = z.union([z.string().min(1), z.record(z.string(), z.unknown())]);

const pairsFileSchema = z
  .object({
    tenants: z.record(z.string().regex(PAIR_NAME, "tenant names use letters, digits, '.', '_' and '-'"), z.unknown()).optional(),
    pairs: z
      .array(
        z
          .object({
            name: z
              .string()
              .regex(PAIR_NAME, "must be 1–64 letters, digits, '.', '_' or '-' (it names the pair's report folder)")
              .refine((n) => !RESERVED.has(n.toLowerCase()), "is a file name check writes next to the pair folders"),
            source: tenantRef,
            target: tenantRef,
            collection: z.unknown().optional(),
            configuration: z.unknown().optional(),
          })
          .strict(),
      )
      .min(1, "list at least one pair"),
    collection: collectionSchema.optional(),
    /** Pairs checked at once. */
    parallel: z.number().int().min(1).max(16).optional(),
  })
  .strict();

export interface PairTarget {
  name: string;
  config: Config;
  /** Which tenant each side is, for sharing credentials and limits: the tenant's name, or a key of its inline block. */
  tenantKeys: Record<"source" | "target", string>;
}

export interface PairsConfig {
  pairs: PairTarget[];
  /** Every tenant block by key (a named tenant, or `inline:<pair>.<side>`). */
  tenants: Map<string, TenantConfig>;
  parallel?: number;
}

/** True when the object is a multi-pair config (has `pairs`). */
export function isPairsConfig(raw: unknown): boolean {
  return Boolean(raw && typeof raw === "object" && !Array.isArray(raw) && "pairs" in raw);
}

/** Validate a parsed config: either the single-pair format (one pair named "default") or `tenants` + `pairs`. */
export function parsePairsConfig(raw: unknown, file: string): PairsConfig {
  if (!isPairsConfig(raw)) {
    const config = parseConfig(raw, file);
    const tenants = new Map([
      ["source", config.source],
      ["target", config.target],
    ]);
    return { pairs: [{ name: DEFAULT_PAIR, config, tenantKeys: { source: "source", target: "target" } }], tenants };
  }
  const secretAt = findInlineSecret(raw);
  if (secretAt) {
    throw new CtsError(
      "CONFIG_INVALID",
      `${file}: ${secretAt} is not allowed — secrets never go in the config; name an environment variable (secretEnv/tokenEnv) or a file (secretFile/tokenFile)`,
    );
  }
  const parsed = pairsFileSchema.safeParse(raw);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new CtsError("CONFIG_INVALID", `${file}: ${first ? describeIssue(first) : "invalid"}`);
  }
  const doc = parsed.data;
  const tenants = new Map<string, TenantConfig>();
  for (const [name, block] of Object.entries(doc.tenants ?? {})) {
    const t = tenantSchema.safeParse(block);
    if (!t.success)
      throw new CtsError("CONFIG_INVALID", `${file}: ${describeIssue({ ...t.error.issues[0]!, path: ["tenants", name, ...t.error.issues[0]!.path] })}`);
    tenants.set(name, t.data);
  }
  const seen = new Set<string>();
  const pairs: PairTarget[] = doc.pairs.map((p, i) => {
    if (seen.has(p.name.toLowerCase())) throw new CtsError("CONFIG_INVALID", `${file}: pairs.${i}.name: "${p.name}" is used by two pairs`);
    seen.add(p.name.toLowerCase());
    const resolve = (side: "source" | "target") => {
      const ref = p[side];
      if (typeof ref !== "string") return { block: ref, key: `inline:${p.name}.${side}` };
      if (!Object.hasOwn(doc.tenants ?? {}, ref)) {
        const known = Object.keys(doc.tenants ?? {});
        throw new CtsError(
          "CONFIG_INVALID",
          `${file}: pairs.${i}.${side}: no tenant named "${ref}" under tenants${known.length ? ` (known: ${known.join(", ")})` : ""}`,
        );
      }
      return { block: (doc.tenants ?? {})[ref], key: ref };
    };
    const source = resolve("source");
    const target = resolve("target");
    const collection = { ...doc.collection, ...(p.collection && typeof p.collection === "object" ? p.collection : {}) };
    const config = parseConfig(
      {
        source: source.block,
        target: target.block,
        ...(Object.keys(collection).length ? { collection } : {}),
        ...(p.configuration !== undefined ? { configuration: p.configuration } : {}),
      },
      `${file} (pair "${p.name}")`,
    );
    tenants.set(source.key, config.source);
    tenants.set(target.key, config.target);
    return { name: p.name, config, tenantKeys: { source: source.key, target: target.key } };
  });
  return { pairs, tenants, ...(doc.parallel ? { parallel: doc.parallel } : {}) };
}

/** Read a JSON or YAML config (single pair or many). */
export async function loadPairsConfig(file: string): Promise<PairsConfig> {
  const text = await readConfigText(file, "config");
  const raw = parseConfigText(text, file, "config", path.extname(file).toLowerCase() === ".json");
  return parsePairsConfig(raw, file);
}
