// One user's provisioning-log entries: their outcome, the scoping clauses they report false, and the rule each code maps to.
import { isRuleId, type RuleId } from "../engine/rule-ids.js";
import { isExternalUsersFilterSkip, logErrorCode, normalizeErrorCode } from "../model/signals.js";
import type { ProvisioningLogEntry } from "../snapshot/graph-types.js";

/**
 * What provisioning-errors' metadata says about error codes, handed in by the CLI (src/ never imports rules/):
 * the documented cause and fix of a code, and the codes other rules report ("reported by <rule>").
 */
export interface CodeBook {
  lookup(code: string): { cause: string; fix: string } | undefined;
  excluded: Readonly<Record<string, string>>;
}

/** Codes that mean "nothing to do" for this user (already in sync). */
const BENIGN = new Set(["RedundantExport", "EntrySynchronizationSkipped"]);

export interface LogOutcome {
  status: "ok" | "blocked" | "warning";
  code?: string;
  ruleIds: RuleId[];
  /** Scoping clauses the entry reports false. */
  falseClauses: string[];
  /** Documented cause and fix of the code, when provisioning-errors knows it. */
  cause?: string;
  fix?: string;
}

/** The code of an entry: errorInformation.errorCode, else a step's SkipReason. */
export function entryCode(entry: ProvisioningLogEntry): string | undefined {
  return logErrorCode(entry) ?? normalizeErrorCode((entry.provisioningSteps ?? []).map((s) => s.details?.["SkipReason"]).find(Boolean));
}

/** The clauses a scoping step's ScopeEvaluationResult ({"group.attr OP 'v'": false}) reports false. */
export function falseScopeClauses(entry: ProvisioningLogEntry): string[] {
  const out: string[] = [];
  for (const step of entry.provisioningSteps ?? []) {
    const raw = step.details?.["ScopeEvaluationResult"];
    if (typeof raw !== "string" || raw.trim() === "" || raw.trim() === "{}") continue;
    try {
      const parsed: unknown = JSON.parse(raw);
      if (parsed && typeof parsed === "object") for (const [k, v] of Object.entries(parsed)) if (v === false || v === "False" || v === "false") out.push(k);
    } catch {
      // Not JSON: nothing to name.
    }
  }
  return out;
}

/**
 * The rule that owns a code: provisioning-errors' table says which codes other rules report ("reported by <rule>");
 * every other non-benign code is provisioning-errors' own.
 */
export function ruleForCode(code: string, codes?: CodeBook): RuleId | undefined {
  if (BENIGN.has(code)) return undefined;
  const excluded = codes && Object.hasOwn(codes.excluded, code) ? codes.excluded[code] : undefined;
  if (excluded === undefined) return "provisioning-errors";
  const named = /^reported by ([a-z0-9-]+)/.exec(excluded)?.[1];
  return named !== undefined && isRuleId(named) ? named : undefined;
}

/** What the latest entry says about the user. */
export function outcomeOf(entry: ProvisioningLogEntry, codes?: CodeBook): LogOutcome {
  const status = (entry.provisioningStatusInfo?.status ?? "").toLowerCase();
  const code = entryCode(entry);
  const falseClauses = falseScopeClauses(entry);
  const meta = code ? codes?.lookup(code) : undefined;
  const described = meta ? { cause: meta.cause, fix: meta.fix } : {};
  const base = { ...(code ? { code } : {}), falseClauses, ...described };
  if (status === "success") return { status: "ok", ruleIds: [], ...base };
  if (isExternalUsersFilterSkip(entry)) return { status: "blocked", ruleIds: ["sms-sign-in-users-skipped"], ...base };
  if (code && BENIGN.has(code)) return { status: "ok", ruleIds: [], ...base };
  const rule = code ? ruleForCode(code, codes) : undefined;
  const ruleIds = rule ? [rule] : [];
  if (status === "failure") return { status: "blocked", ruleIds, ...base };
  // A skip by the scoping filters, or because the user is not assigned (NotEffectivelyEntitled), keeps the user out.
  if (status === "skipped" && (falseClauses.length > 0 || code === "NotEffectivelyEntitled"))
    return { status: "blocked", ruleIds: code === "NotEffectivelyEntitled" ? [] : ruleIds, ...base };
  return { status: "warning", ruleIds, ...base };
}

/** A compact view of an entry for the evidence: when, what, outcome, and each step. */
export function summarizeEntry(entry: ProvisioningLogEntry): Record<string, unknown> {
  const code = entryCode(entry);
  return {
    id: entry.id,
    activityDateTime: entry.activityDateTime,
    action: entry.provisioningAction ?? null,
    status: entry.provisioningStatusInfo?.status ?? null,
    ...(code ? { errorCode: code, reason: entry.provisioningStatusInfo?.errorInformation?.reason ?? null } : {}),
    steps: (entry.provisioningSteps ?? []).map((s) => ({ name: s.name ?? null, status: s.status ?? null, description: s.description ?? null })),
  };
}
