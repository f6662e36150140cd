// Waivers: accepted findings (rule, pair, optional object ids) with a reason, an owner and an expiry date.
import { z } from "zod";
import { readStructuredFile, validated } from "../config/structured-file.js";
import type { WaivableRun, WaivedFinding, WaiverMark, WaiverSummary } from "./types.js";

const isoDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date like 2026-03-31")
  .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), "is not a calendar date");

const waiverSchema = z
  .object({
    ruleId: z.string().min(1),
    /** A pair name from the config; absent or "*" means every pair. */
    pair: z.string().min(1).optional(),
    /** Only findings whose affected objects are all in this list; absent means every finding of the rule. */
    objectIds: z.array(z.string().min(1)).min(1).optional(),
    reason: z.string().trim().min(1, "say why the finding is accepted"),
    owner: z.string().trim().min(1, "name who accepted it"),
    /** The last day (UTC) the waiver applies. */
    expires: z.preprocess((v) => (v instanceof Date ? v.toISOString().slice(0, 10) : v), isoDay),
  })
  .strict();

const waiversFileSchema = z.object({ waivers: z.array(waiverSchema) }).strict();

export type Waiver = z.infer<typeof waiverSchema>;

/** Validate a parsed waivers document; `file` names it in errors. */
export function parseWaivers(raw: unknown, file: string): Waiver[] {
  return validated(waiversFileSchema, raw, `waivers ${file}`).waivers;
}

/** Read a YAML (or JSON) waivers file. */
export async function loadWaivers(file: string): Promise<Waiver[]> {
  // An empty file is no waivers.
  return readStructuredFile(file, { label: "waivers", yamlOnly: true, check: (raw) => parseWaivers(raw ?? { waivers: [] }, file) });
}

/** A waiver applies through the whole of its expiry day, in UTC. */
export function isExpired(waiver: Pick<Waiver, "expires">, now: Date): boolean {
  return now.toISOString().slice(0, 10) > waiver.expires;
}

const appliesToPair = (w: Waiver, pair: string) => w.pair === undefined || w.pair === "*" || w.pair === pair;

function matches(w: Waiver, ruleId: string, f: WaivedFinding): boolean {
  if (w.ruleId !== ruleId) return false;
  if (!w.objectIds) return true;
  const ids = new Set(w.objectIds.map((id) => id.toLowerCase()));
  return f.objects.length > 0 && f.objects.every((o) => ids.has(o.id.toLowerCase()));
}

const mark = (w: Waiver): WaiverMark => ({ reason: w.reason, owner: w.owner, expires: w.expires });

/**
 * Mark the findings of one pair's report that waivers accept (`waived`) or accepted until they expired
 * (`waiverExpired`), count them per result, and list the pair's waivers in `report.waivers`. Mutates the report.
 */
export function applyWaivers<R extends WaivableRun>(report: R, pair: string, waivers: readonly Waiver[], now: Date): R {
  const relevant = waivers.filter((w) => appliesToPair(w, pair));
  const matched = new Map<Waiver, number>(relevant.map((w) => [w, 0]));
  for (const result of report.results) {
    if (result.status !== "fail") continue;
    let waived = 0;
    for (const finding of result.findings) {
      const hits = relevant.filter((w) => matches(w, result.ruleId, finding));
      for (const w of hits) matched.set(w, (matched.get(w) ?? 0) + 1);
      const active = hits.find((w) => !isExpired(w, now));
      const expired = hits.find((w) => isExpired(w, now));
      if (active) {
        finding.waived = mark(active);
        waived++;
      } else if (expired) {
        finding.waiverExpired = mark(expired);
      }
    }
    if (waived > 0) result.waivedFindings = waived;
  }
  const summary = (w: Waiver): WaiverSummary => ({
    ruleId: w.ruleId,
    pair: w.pair ?? "*",
    ...(w.objectIds ? { objectIds: w.objectIds } : {}),
    reason: w.reason,
    owner: w.owner,
    expires: w.expires,
    matched: matched.get(w) ?? 0,
  });
  report.waivers = {
    applied: relevant.filter((w) => !isExpired(w, now)).map(summary),
    expired: relevant.filter((w) => isExpired(w, now)).map(summary),
  };
  return report;
}
