// The run history in SQLite: runs, each pair's verdict, per-rule results, findings with object ids and job statuses.
import { chmodSync, mkdirSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import type { Severity, Status } from "../engine/types.js";
import { CtsError } from "../errors.js";
import type { ChangeEntry, JobStatus, Report } from "../report/model.js";
import { findingEntries, type PreviousRun } from "./changes.js";
import { scrubSecrets } from "../graph/scrub.js";

const SCHEMA_VERSION = 1;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS runs (
  id INTEGER PRIMARY KEY,
  started_at TEXT NOT NULL,
  tool_version TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS pair_runs (
  id INTEGER PRIMARY KEY,
  run_id INTEGER NOT NULL REFERENCES runs(id),
  pair TEXT NOT NULL,
  source_tenant TEXT NOT NULL,
  target_tenant TEXT NOT NULL,
  generated_at TEXT,
  verdict TEXT NOT NULL,
  failed INTEGER NOT NULL DEFAULT 0,
  inconclusive INTEGER NOT NULL DEFAULT 0,
  waived INTEGER NOT NULL DEFAULT 0,
  new_count INTEGER NOT NULL DEFAULT 0,
  resolved_count INTEGER NOT NULL DEFAULT 0,
  error TEXT
);
CREATE INDEX IF NOT EXISTS pair_runs_by_pair ON pair_runs(pair, id);
CREATE TABLE IF NOT EXISTS rule_results (
  pair_run_id INTEGER NOT NULL REFERENCES pair_runs(id),
  rule_id TEXT NOT NULL,
  status TEXT NOT NULL,
  severity TEXT NOT NULL,
  findings INTEGER NOT NULL,
  objects INTEGER NOT NULL,
  waived INTEGER NOT NULL,
  PRIMARY KEY (pair_run_id, rule_id)
);
CREATE TABLE IF NOT EXISTS findings (
  pair_run_id INTEGER NOT NULL REFERENCES pair_runs(id),
  rule_id TEXT NOT NULL,
  object_id TEXT NOT NULL DEFAULT '',
  severity TEXT NOT NULL,
  waived INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS findings_by_pair_run ON findings(pair_run_id);
CREATE TABLE IF NOT EXISTS job_statuses (
  pair_run_id INTEGER NOT NULL REFERENCES pair_runs(id),
  service_principal_id TEXT NOT NULL,
  job_id TEXT NOT NULL,
  status TEXT NOT NULL
);
`;

/** One pair's outcome in a run. */
export interface PairRecord {
  pair: string;
  sourceTenantId: string;
  targetTenantId: string;
  verdict: string;
  /** Present when the pair's report was written. */
  report?: Report;
  error?: string;
}

export interface PairRunRow {
  runId: number;
  pairRunId: number;
  startedAt: string;
  pair: string;
  sourceTenant: string;
  targetTenant: string;
  generatedAt: string | null;
  verdict: string;
  failed: number;
  inconclusive: number;
  waived: number;
  newCount: number;
  resolvedCount: number;
  error: string | null;
}

export interface RuleTrendCell {
  pairRunId: number;
  ruleId: string;
  status: Status;
  severity: Severity;
  findings: number;
  /** Affected objects over all findings. */
  objects: number;
  waived: number;
}

export class HistoryStore {
  private readonly db: Database.Database;

  private constructor(db: Database.Database) {
    this.db = db;
  }

  /** Open (creating when asked) a history database; a file from a newer cts-doctor is refused, not rewritten. */
  static open(file: string, options: { create: boolean } = { create: true }): HistoryStore {
    if (options.create) mkdirSync(path.dirname(path.resolve(file)), { recursive: true, mode: 0o700 });
    let db: Database.Database;
    try {
      db = new Database(file, { fileMustExist: !options.create });
    } catch (err) {
      throw new CtsError("USAGE", `history ${file}: ${options.create ? "cannot open" : "not found"} (${(err as Error).message})`);
    }
    // better-sqlite3 creates the file with the process umask; the history names users, so owner-only.
    if (options.create) chmodSync(file, 0o600);
    const version = db.pragma("user_version", { simple: true }) as number;
    if (version > SCHEMA_VERSION) {
      db.close();
      throw new CtsError("USAGE", `history ${file}: written by a newer cts-doctor (schema ${version}); this version reads schema ${SCHEMA_VERSION}`);
    }
    if (options.create) {
      db.exec(SCHEMA);
      db.pragma(`user_version = ${SCHEMA_VERSION}`);
    }
    return new HistoryStore(db);
  }

  close(): void {
    this.db.close();
  }

  startRun(startedAt: Date, toolVersion: string): number {
    const info = this.db.prepare("INSERT INTO runs (started_at, tool_version) VALUES (?, ?)").run(startedAt.toISOString(), toolVersion);
    return Number(info.lastInsertRowid);
  }

  /** The latest run of a pair whose report was written, before `beforeRunId` when given. */
  previous(pair: string, beforeRunId?: number): PreviousRun | undefined {
    const row = this.db
      .prepare("SELECT id, generated_at FROM pair_runs WHERE pair = ? AND error IS NULL AND run_id < ? ORDER BY id DESC LIMIT 1")
      .get(pair, beforeRunId ?? Number.MAX_SAFE_INTEGER) as { id: number; generated_at: string | null } | undefined;
    if (!row) return undefined;
    const findings = (
      this.db.prepare("SELECT rule_id, object_id, severity, waived FROM findings WHERE pair_run_id = ?").all(row.id) as {
        rule_id: string;
        object_id: string;
        severity: Severity;
        waived: number;
      }[]
    ).map((f): ChangeEntry => ({ ruleId: f.rule_id, ...(f.object_id ? { objectId: f.object_id } : {}), severity: f.severity, waived: f.waived === 1 }));
    const jobs = (
      this.db.prepare("SELECT service_principal_id, job_id, status FROM job_statuses WHERE pair_run_id = ?").all(row.id) as {
        service_principal_id: string;
        job_id: string;
        status: string;
      }[]
    ).map((j): JobStatus => ({ servicePrincipalId: j.service_principal_id, jobId: j.job_id, status: j.status }));
    return { ...(row.generated_at ? { generatedAt: row.generated_at } : {}), findings, jobs };
  }

  /** Record one pair of a run, with its rule results, findings and job statuses, in one transaction. */
  recordPair(runId: number, rec: PairRecord): void {
    const r = rec.report;
    const waived = r ? r.results.reduce((n, x) => n + (x.waivedFindings ?? 0), 0) : 0;
    this.db.transaction(() => {
      const info = this.db
        .prepare(
          `INSERT INTO pair_runs (run_id, pair, source_tenant, target_tenant, generated_at, verdict, failed, inconclusive, waived, new_count, resolved_count, error)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          runId,
          rec.pair,
          rec.sourceTenantId,
          rec.targetTenantId,
          r?.generatedAt ?? null,
          rec.verdict,
          r?.summary.byStatus.fail ?? 0,
          r?.summary.byStatus.inconclusive ?? 0,
          waived,
          r?.changes?.new.length ?? 0,
          r?.changes?.resolved.length ?? 0,
          rec.error === undefined ? null : scrubSecrets(rec.error),
        );
      if (!r) return;
      const id = Number(info.lastInsertRowid);
      const rule = this.db.prepare("INSERT INTO rule_results (pair_run_id, rule_id, status, severity, findings, objects, waived) VALUES (?, ?, ?, ?, ?, ?, ?)");
      for (const x of r.results)
        rule.run(
          id,
          x.ruleId,
          x.status,
          x.severity,
          x.findings.length,
          x.findings.reduce((n, f) => n + f.objects.length, 0),
          x.waivedFindings ?? 0,
        );
      const finding = this.db.prepare("INSERT INTO findings (pair_run_id, rule_id, object_id, severity, waived) VALUES (?, ?, ?, ?, ?)");
      for (const e of findingEntries(r)) finding.run(id, e.ruleId, e.objectId ?? "", e.severity ?? "info", e.waived ? 1 : 0);
      const job = this.db.prepare("INSERT INTO job_statuses (pair_run_id, service_principal_id, job_id, status) VALUES (?, ?, ?, ?)");
      for (const j of r.jobs ?? []) job.run(id, j.servicePrincipalId, j.jobId, j.status);
    })();
  }

  /** Every pair run, oldest first, optionally of one pair only. */
  pairRuns(pair?: string): PairRunRow[] {
    const rows = this.db
      .prepare(
        `SELECT p.run_id AS runId, p.id AS pairRunId, r.started_at AS startedAt, p.pair, p.source_tenant AS sourceTenant, p.target_tenant AS targetTenant,
                p.generated_at AS generatedAt, p.verdict, p.failed, p.inconclusive, p.waived, p.new_count AS newCount, p.resolved_count AS resolvedCount, p.error
         FROM pair_runs p JOIN runs r ON r.id = p.run_id ${pair === undefined ? "" : "WHERE p.pair = ?"} ORDER BY p.id`,
      )
      .all(...(pair === undefined ? [] : [pair])) as PairRunRow[];
    return rows;
  }

  /** Per-rule results of the given pair runs. */
  ruleResults(pairRunIds: readonly number[]): RuleTrendCell[] {
    if (pairRunIds.length === 0) return [];
    const marks = pairRunIds.map(() => "?").join(", ");
    return this.db
      .prepare(
        `SELECT pair_run_id AS pairRunId, rule_id AS ruleId, status, severity, findings, objects, waived FROM rule_results WHERE pair_run_id IN (${marks}) ORDER BY rule_id`,
      )
      .all(...pairRunIds) as RuleTrendCell[];
  }
}
