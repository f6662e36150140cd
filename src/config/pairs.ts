// Multi-pair configs for `check`: named tenant blocks shared by reference across `pairs`; a single-pair config is one pair.
import { z } from "zod";
import { CtsError } from "../errors.js";
import { parseConfig, rejectInlineSecret } from "./load.js";
import { readStructuredFile, validated } from "./structured-file.js";
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

type PairsFile = z.output<typeof pairsFileSchema>;

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
  rejectInlineSecret(raw, file);
  const doc = validated(pairsFileSchema, raw, file);
  const tenants = new Map<string, TenantConfig>();
  for (const [name, block] of Object.entries(doc.tenants ?? {})) tenants.set(name, validated(tenantSchema, block, file, ["tenants", name]));
  const seen = new Set<string>();
  const pairs: PairTarget[] = doc.pairs.map((p, i) => {
    if (seen.has(p.name.toLowerCase())) throw new CtsError("CONFIG_INVALID", `${file}: pairs.${i}.name: "${p.name}" is used by two pairs`);
    seen.add(p.name.toLowerCase());
    const pair = resolvePair(doc, i, file);
    tenants.set(pair.tenantKeys.source, pair.config.source);
    tenants.set(pair.tenantKeys.target, pair.config.target);
    return pair;
  });
  return { pairs, tenants, ...(doc.parallel ? { parallel: doc.parallel } : {}) };
}

/** Pair `i` as a single-pair config: its tenant blocks (named or inline) and the file's collection settings under its own. */
function resolvePair(doc: PairsFile, i: number, file: string): PairTarget {
  const p = doc.pairs[i];
  if (!p) throw new Error(`no pair ${String(i)}`);
  const source = tenantBlock(doc, i, "source", file);
  const target = tenantBlock(doc, i, "target", file);
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
  return { name: p.name, config, tenantKeys: { source: source.key, target: target.key } };
}

/** One side of pair `i`: an inline block, or the tenant it names under `tenants`. */
function tenantBlock(doc: PairsFile, i: number, side: "source" | "target", file: string): { block: unknown; key: string } {
  const p = doc.pairs[i];
  if (!p) throw new Error(`no pair ${String(i)}`);
  const ref = p[side];
  if (typeof ref !== "string") return { block: ref, key: `inline:${p.name}.${side}` };
  const named = doc.tenants ?? {};
  if (!Object.hasOwn(named, ref)) {
    const known = Object.keys(named);
    throw new CtsError(
      "CONFIG_INVALID",
      `${file}: pairs.${i}.${side}: no tenant named "${ref}" under tenants${known.length ? ` (known: ${known.join(", ")})` : ""}`,
    );
  }
  return { block: named[ref], key: ref };
}

/** Read a JSON or YAML config (single pair or many). */
export async function loadPairsConfig(file: string): Promise<PairsConfig> {
  return readStructuredFile(file, { label: "config", check: (raw) => parsePairsConfig(raw, file) });
}
