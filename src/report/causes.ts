// Root causes and their consequences (from explainedBy), and the per-tenant action list every report format opens with.
import type { Side } from "../engine/types.js";
import { SEVERITIES } from "../engine/types.js";
import type { Report, RuleInfo, TenantRef } from "./model.js";
import { isFullyWaived } from "./model.js";
import type { WaivedResult } from "../waivers/types.js";

/** What to do once the listed changes are made: one place for this text, used by every format. */
export const AFTER_CHANGES = {
  restart: "After these, re-run Test connection and restart the job.",
  rerun: "After these, re-run Test connection and run the diagnosis again.",
} as const;

/** Rules whose failure is the consequence of another rule's are shown under it, with the restart sentence. */
const RESTART_RULES = new Set(["job-quarantined", "connection-test-failed"]);

export interface RootCause {
  result: WaivedResult;
  /** The one tenant whose admin makes the change ("both" when the findings are on both sides). */
  side: Side;
  /** Failing rules explained by this one and folded under it (a consequence is folded under its first cause). */
  consequences: WaivedResult[];
  /** Consequences folded under an earlier cause that this one also explains. */
  alsoExplains: WaivedResult[];
}

export interface TenantActions {
  side: Side;
  /** "Source tenant (Contoso)" */
  label: string;
  /** "1 change", "2 changes" */
  countLabel: string;
  causes: RootCause[];
}

export interface CauseAnalysis {
  /** Root causes, most severe first, then source before target before both. */
  causes: RootCause[];
  actions: TenantActions[];
  /** The closing sentence, or null when nothing is to be changed. */
  after: string | null;
}

const SIDE_ORDER: readonly Side[] = ["source", "target", "both"];

/** The single side a result belongs to: its findings' side when they agree, "both" when they differ, else the rule's. */
export function sideOf(r: WaivedResult): Side {
  const sides = new Set(r.status === "fail" ? r.findings.map((f) => f.side) : []);
  const [only] = sides;
  if (sides.size === 1 && only) return only;
  return sides.size > 1 ? "both" : r.side;
}

/** Severity first, then side, then rule id: the one order of failures in every format. */
export function bySeverityThenSide(a: WaivedResult, b: WaivedResult): number {
  return (
    SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity) ||
    SIDE_ORDER.indexOf(sideOf(a)) - SIDE_ORDER.indexOf(sideOf(b)) ||
    a.ruleId.localeCompare(b.ruleId)
  );
}

/** "Source tenant (Contoso)", or the tenant id when its name was not collected. */
export function tenantLabel(side: Side, report: Pick<Report, "source" | "target">): string {
  if (side === "both") return "Both tenants";
  const t: TenantRef = report[side];
  return `${side === "source" ? "Source" : "Target"} tenant (${t.displayName ?? t.tenantId})`;
}

/** The failing rules that explain each finding; a finding's own evidence.explainedBy wins over the rule's metadata. */
function causesOf(r: WaivedResult, info: RuleInfo | undefined, failing: ReadonlySet<string>): string[] | null {
  const live = r.findings.filter((f) => !f.waived);
  if (live.length === 0) return null;
  const all = new Set<string>();
  for (const f of live) {
    const own = f.evidence["explainedBy"];
    const ids = Array.isArray(own) ? own.filter((x): x is string => typeof x === "string") : (info?.explainedBy ?? []);
    const present = ids.filter((id) => id !== r.ruleId && failing.has(id));
    // One finding nothing explains makes the rule a root cause of its own.
    if (present.length === 0) return null;
    present.forEach((id) => all.add(id));
  }
  return [...all];
}

/** Group the failing rules into root causes (with their consequences) and the per-tenant action list. */
export function analyzeCauses(report: Report, rules: ReadonlyMap<string, RuleInfo>): CauseAnalysis {
  const failing = report.results.filter((r) => r.status === "fail" && !isFullyWaived(r)).sort(bySeverityThenSide);
  const failingIds = new Set(failing.map((r) => r.ruleId));
  const explained = new Map(
    failing.flatMap((r) => {
      const c = causesOf(r, rules.get(r.ruleId), failingIds);
      return c ? [[r.ruleId, c] as const] : [];
    }),
  );
  // A cause must itself be a root cause; a rule explained only by consequences stays a root cause.
  for (const [id, c] of explained) {
    const roots = c.filter((x) => !explained.has(x));
    if (roots.length === 0) explained.delete(id);
    else explained.set(id, roots);
  }
  const causes: RootCause[] = failing.filter((r) => !explained.has(r.ruleId)).map((r) => ({ result: r, side: sideOf(r), consequences: [], alsoExplains: [] }));
  for (const r of failing.filter((x) => explained.has(x.ruleId))) {
    const roots = explained.get(r.ruleId) ?? [];
    const mine = causes.filter((c) => roots.includes(c.result.ruleId));
    mine[0]?.consequences.push(r);
    mine.slice(1).forEach((c) => c.alsoExplains.push(r));
  }
  const actions = SIDE_ORDER.flatMap((side) => {
    const mine = causes.filter((c) => c.side === side);
    if (mine.length === 0) return [];
    return [{ side, label: tenantLabel(side, report), countLabel: `${mine.length} change${mine.length === 1 ? "" : "s"}`, causes: mine }];
  });
  const restart = failing.some((r) => RESTART_RULES.has(r.ruleId));
  return { causes, actions, after: causes.length === 0 ? null : restart ? AFTER_CHANGES.restart : AFTER_CHANGES.rerun };
}
