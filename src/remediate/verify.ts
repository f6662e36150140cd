// After apply: collect again (with the connection test), re-run the affected rules and compare with the plan's before.
import type { TokenCredential } from "@azure/core-auth";
import { collect } from "../collect/run.js";
import type { Config } from "../config/schema.js";
import { runRules } from "../engine/run.js";
import type { Rule, RuleResult } from "../engine/types.js";
import { loadPair } from "../model/pair.js";
import type { ConnectionTest } from "../snapshot/graph-types.js";
import type { TenantSide } from "../snapshot/facets.js";
import type { Plan } from "./types.js";

export const CONNECTION_RULE = "connection-test-failed";

export interface Verification {
  results: RuleResult[];
  connectionTest: ConnectionTest | null | undefined;
  /** "source-outbound-auto-redeem-disabled: fail → pass" */
  lines: string[];
  /** Rules of the plan still failing afterwards. */
  stillFailing: string[];
}

export interface VerifyOptions {
  config: Config;
  /** Read credentials (the configuration's read-only auth). */
  credentials?: Partial<Record<TenantSide, TokenCredential>>;
  /** Where the after-snapshot is written. */
  snapshotDir: string;
  since: Date;
  /** End of the provisioning-log window (default now). */
  until?: Date;
  rules: readonly Rule[];
}

export async function verifyPlan(plan: Plan, options: VerifyOptions): Promise<Verification> {
  await collect(options.config, options.snapshotDir, {
    since: options.since,
    ...(options.until ? { until: options.until } : {}),
    connectionTest: true,
    ...(options.credentials ? { credentials: options.credentials } : {}),
  });
  const pair = await loadPair(options.snapshotDir);
  const affected = new Set([...plan.steps.flatMap((s) => s.ruleIds), CONNECTION_RULE]);
  const results = runRules(
    options.rules.filter((r) => affected.has(r.id)),
    pair,
  );
  const before = new Map(plan.before.map((b) => [b.ruleId, b.status]));
  const lines = results.map((r) => `${r.ruleId}: ${before.get(r.ruleId) ?? "?"} → ${r.status}`);
  const test = pair.maybe("source.connectionTest");
  lines.push(`connection test: ${test ? (test.ok ? `succeeded (${test.status})` : `failed (${test.status} ${test.error?.code ?? ""})`) : "not run"}`);
  const planned = new Set(plan.steps.flatMap((s) => s.ruleIds));
  return { results, connectionTest: test, lines, stillFailing: results.filter((r) => r.status === "fail" && planned.has(r.ruleId)).map((r) => r.ruleId) };
}
