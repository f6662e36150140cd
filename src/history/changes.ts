// Run-to-run changes: findings keyed by rule and affected object, compared as new, resolved and persisting.
import { SEVERITIES } from "../engine/types.js";
import type { ChangeEntry, JobStatus, Report, ReportChanges } from "../report/model.js";

const keyOf = (e: Pick<ChangeEntry, "ruleId" | "objectId">) => `${e.ruleId}\u0000${(e.objectId ?? "").toLowerCase()}`;

const order = (a: ChangeEntry, b: ChangeEntry) => a.ruleId.localeCompare(b.ruleId) || (a.objectId ?? "").localeCompare(b.objectId ?? "");

/**
 * The identities of a report's findings: one entry per affected object of a failing rule's findings, or one per rule
 * for findings that name no object. An object named by several findings of a rule is one entry, waived only if every
 * finding naming it is waived, at the worst severity among them.
 */
export function findingEntries(report: Pick<Report, "results">): ChangeEntry[] {
  const byKey = new Map<string, ChangeEntry>();
  for (const r of report.results) {
    if (r.status !== "fail") continue;
    for (const f of r.findings) {
      const severity = f.severity ?? r.severity;
      const ids = f.objects.length ? f.objects.map((o) => o.id) : [undefined];
      for (const objectId of ids) {
        const entry: ChangeEntry = { ruleId: r.ruleId, ...(objectId ? { objectId } : {}), severity, waived: Boolean(f.waived) };
        const seen = byKey.get(keyOf(entry));
        if (!seen) byKey.set(keyOf(entry), entry);
        else {
          seen.waived = seen.waived && entry.waived;
          if (SEVERITIES.indexOf(severity) < SEVERITIES.indexOf(seen.severity ?? "info")) seen.severity = severity;
        }
      }
    }
  }
  return [...byKey.values()].map(({ waived, ...e }) => (waived ? { ...e, waived } : e)).sort(order);
}

/** What a comparison needs of the earlier run. */
export interface PreviousRun {
  generatedAt?: string;
  findings: ChangeEntry[];
  jobs: JobStatus[];
}

/** Compare this run's findings and job statuses with the previous run's (none: every finding is new). */
export function diffRuns(current: ChangeEntry[], jobs: JobStatus[], previous: PreviousRun | undefined, basis: ReportChanges["basis"]): ReportChanges {
  if (!previous) return { basis: "none", new: current, resolved: [], persisting: [], jobs: [] };
  const before = new Map(previous.findings.map((e) => [keyOf(e), e]));
  const now = new Set(current.map(keyOf));
  const strip = (e: ChangeEntry): ChangeEntry => ({
    ruleId: e.ruleId,
    ...(e.objectId ? { objectId: e.objectId } : {}),
    ...(e.severity ? { severity: e.severity } : {}),
  });
  const earlierJobs = new Map(previous.jobs.map((j) => [j.jobId, j.status]));
  return {
    basis,
    ...(previous.generatedAt ? { previousGeneratedAt: previous.generatedAt } : {}),
    new: current.filter((e) => !before.has(keyOf(e))),
    resolved: previous.findings
      .filter((e) => !now.has(keyOf(e)))
      .map(strip)
      .sort(order),
    persisting: current.filter((e) => before.has(keyOf(e))),
    jobs: jobs.flatMap((j) => {
      const from = earlierJobs.get(j.jobId);
      return from !== undefined && from !== j.status ? [{ jobId: j.jobId, from, to: j.status }] : [];
    }),
  };
}

/** A saved report.json as the previous run (`--baseline`). */
export function previousFromReport(report: Pick<Report, "results" | "generatedAt" | "jobs">): PreviousRun {
  return { generatedAt: report.generatedAt, findings: findingEntries(report), jobs: report.jobs ?? [] };
}
