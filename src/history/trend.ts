// Text for `cts-doctor history`: the runs of each pair and, per rule, its status run by run (oldest first).
import type { HistoryStore, PairRunRow, RuleTrendCell } from "./store.js";

/** One cell of a rule's trend: F3 (fail, 3 affected objects or findings), W3 (the same, all waived), ok, ? (inconclusive), - (not applicable). */
export function trendCell(c: RuleTrendCell | undefined): string {
  if (!c) return "·";
  const n = c.objects || c.findings;
  if (c.status === "fail") return c.waived > 0 && c.waived >= c.findings ? `W${n}` : `F${n}`;
  if (c.status === "pass") return "ok";
  if (c.status === "inconclusive") return "?";
  return "-";
}

function table(rows: string[][]): string[] {
  const widths = (rows[0] ?? []).map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length)));
  return rows.map((r) =>
    r
      .map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join("  ")
      .trimEnd(),
  );
}

function pairSection(pair: string, runs: PairRunRow[], cells: RuleTrendCell[], limit: number): string[] {
  const shown = runs.slice(-limit);
  // The history lists only pairs with runs, so the first shown run names the tenants.
  const first = shown[0];
  const lines = [`Pair ${pair}${first ? ` (${first.sourceTenant} → ${first.targetTenant})` : ""}`, ""];
  lines.push(
    ...table([
      ["run", "started", "verdict", "failed", "inconclusive", "waived", "new", "resolved", "error"],
      ...shown.map((r) => [
        String(r.runId),
        r.startedAt,
        r.verdict,
        String(r.failed),
        String(r.inconclusive),
        String(r.waived),
        String(r.newCount),
        String(r.resolvedCount),
        r.error ?? "",
      ]),
    ]).map((l) => `  ${l}`),
  );
  const ids = new Set(shown.map((r) => r.pairRunId));
  const byRule = new Map<string, Map<number, RuleTrendCell>>();
  for (const c of cells) {
    if (!ids.has(c.pairRunId)) continue;
    const row = byRule.get(c.ruleId) ?? new Map<number, RuleTrendCell>();
    byRule.set(c.ruleId, row);
    row.set(c.pairRunId, c);
  }
  // Rules that passed or did not apply in every run shown are left out: the trend is about what moved or stayed broken.
  const interesting = [...byRule].filter(([, m]) => [...m.values()].some((c) => c.status === "fail" || c.status === "inconclusive"));
  lines.push(
    "",
    `  Trend per rule, oldest → newest (F<n> fail with n affected objects or findings, W<n> all waived, ok pass, ? inconclusive, - not applicable):`,
    "",
  );
  if (interesting.length === 0) lines.push("  every rule passed or did not apply in these runs");
  else
    lines.push(
      ...table([
        ["rule", ...shown.map((r) => `#${r.runId}`)],
        ...interesting.map(([rule, m]) => [rule, ...shown.map((r) => trendCell(m.get(r.pairRunId)))]),
      ]).map((l) => `  ${l}`),
    );
  return lines;
}

/** The history report: one section per pair (or only `pair`), at most `limit` runs each. */
export function renderHistory(store: HistoryStore, options: { pair?: string; limit?: number } = {}): string {
  const runs = store.pairRuns(options.pair);
  if (runs.length === 0) return options.pair ? `No runs recorded for pair ${options.pair}.\n` : "No runs recorded.\n";
  const byPair = new Map<string, PairRunRow[]>();
  for (const r of runs) byPair.set(r.pair, [...(byPair.get(r.pair) ?? []), r]);
  const limit = options.limit ?? 20;
  const cells = store.ruleResults([...byPair.values()].flatMap((rs) => rs.slice(-limit).map((r) => r.pairRunId)));
  const sections = [...byPair].map(([pair, rs]) => pairSection(pair, rs, cells, limit).join("\n"));
  return sections.join("\n\n") + "\n";
}
