// Source tenant: per-object failures and skips in the provisioning logs, one finding per error code with cause and fix.
import { defineRule } from "../../src/engine/define.js";
import { requireConfiguration } from "../../src/engine/preconditions.js";
import { SEVERITIES } from "../../src/engine/types.js";
import { jobOf, type SyncConfiguration } from "../../src/model/configuration.js";
import { NO_ERROR_CODE as SUMMARY_NO_ERROR_CODE } from "../../src/model/log-codes.js";
import { jobCounters, outcomesKnown } from "../../src/model/log-outcomes.js";
import { withoutSuccesses } from "../../src/model/log-queries.js";
import type { Pair } from "../../src/model/pair.js";
import { REFERENCES } from "../references.js";
import { isExcludedCode, lookupCode, UNKNOWN_CODE } from "./codes.js";

/** Entry ids listed per code in the evidence; the total is always given. */
const MAX_ENTRY_IDS = 50;

/** Group key for a failure that carries no code at all: still reported, with its own message. */
export const NO_ERROR_CODE = SUMMARY_NO_ERROR_CODE;

/**
 * Evidence every finding shares: whether each object's latest outcome was known (source.provisioningOutcomes) when the
 * logs hold no successes, and the job's own counters (escrows, last cycle, progress).
 */
function sharedEvidence(pair: Pair, config: SyncConfiguration): Record<string, unknown> {
  const filtered = withoutSuccesses(pair.entry("source.provisioningLogs"));
  const known = outcomesKnown(pair.entry("source.provisioningOutcomes"));
  const counters = pair.has("source.syncJobs") ? jobCounters(jobOf(pair, config)) : undefined;
  return {
    // Successes were not collected and neither were the objects' latest outcomes: reported conservatively.
    ...(filtered && !known ? { logsCollectedWithoutSuccesses: true, latestOutcomesRead: false } : {}),
    ...(filtered && known ? { latestOutcomesRead: true } : {}),
    ...(counters ? { jobCounters: counters } : {}),
  };
}

export default defineRule({
  id: "provisioning-errors",
  title: "Provisioning logs show failed or skipped objects",
  severity: "medium",
  side: "source",
  area: "logs",
  symptom:
    'Provisioning logs list objects with status Failure (or Skipped with a reason) and an error code, e.g. AzureActiveDirectoryCannotUpdateObjectsOriginatedInExternalService (docs: "Microsoft Entra IDCannotUpdateObjectsOriginatedInExternalService"), AzureActiveDirectoryQuotaLimitExceeded, InvitationCreationFailure, InvitationCreationFailureAmbiguousUser, InvitationCreationFailureInvalidPropertyValue, InvitationCreationFailureUserAccountDisabled, AzureActiveDirectoryCannotUpdateObjectsMasteredOnPremises, or a generic code such as InvalidAnchor, DuplicateTargetEntries or SchemaAttributeNotFound.',
  cause:
    "Each code has its own documented cause (target quota, Exchange Online source of authority, invitation conflicts, on-premises mastered users, mapping problems, throttling…); see each finding. Codes owned by other rules (AzureActiveDirectoryForbidden → guest-invitations-blocked, EntityTypeNotSupported → group-mapping-disabled, the SMS sign-in scoping skip → sms-sign-in-users-skipped) and benign skips (RedundantExport, EntrySynchronizationSkipped, NotEffectivelyEntitled) are not reported here.",
  detection:
    "Groups the non-successful provisioning-log entries of the configuration by error code (errorInformation.errorCode or the step's SkipReason, both spellings of AzureActiveDirectory…/Microsoft Entra ID…), drops failures a later success of the same object resolved, so an object whose latest entry is a success is not reported (collection asks for non-success entries only, then reads the latest success of each failed, skipped or warned object in groups — source.provisioningOutcomes, evidence latestOutcomesRead; when that read is missing, a fixed failure stays listed until it ages out of the window and the evidence says logsCollectedWithoutSuccesses), and reports one finding per code with the documented cause, fix, severity and side (the tenant where the fix is made: e.g. target for AzureActiveDirectoryQuotaLimitExceeded, source for a mapping problem); an undocumented code is still grouped and reported as unknown, on the source side. Each finding also carries the job's own counters as evidence (jobCounters: the status code, the objects the last cycle left in escrow, that cycle's state, end and exports, and status.progress).",
  messages: {
    known:
      "{{count}} provisioning-log entries with {{errorCode}} for {{objectCount}} object(s) between {{firstSeen}} and {{lastSeen}}. Cause: {{cause}} Fix: {{fix}}",
    unknown:
      "{{count}} provisioning-log entries with {{errorCode}}, a code cts-doctor does not know, for {{objectCount}} object(s) between {{firstSeen}} and {{lastSeen}}. Latest reason: {{reason}} Open the listed log entries and follow their reason and recommended action.",
    noCode:
      "{{count}} failed provisioning-log entries carry no error code, for {{objectCount}} object(s) between {{firstSeen}} and {{lastSeen}}. Latest reason: {{reason}} Open the listed log entries and follow their reason and recommended action.",
  },
  fix: {
    summary:
      "Fix each code as its finding says (documented cause → fix), then provision the affected objects on demand or wait for the next cycle; failures are retried automatically.",
    portal:
      "Source tenant: Entra admin center → Entra ID → External Identities → Cross-tenant synchronization → Configurations → (configuration) → Provisioning logs → filter Status = Failure / Skipped → open an entry → Troubleshooting and recommendations",
    graph: [
      {
        tenant: "source",
        method: "GET",
        url: "/v1.0/auditLogs/provisioning?$filter=servicePrincipal/id eq '{servicePrincipalId}' and provisioningStatusInfo/status eq 'failure'",
        permission: "AuditLog.Read.All",
      },
      {
        tenant: "source",
        method: "POST",
        url: "/v1.0/servicePrincipals/{servicePrincipalId}/synchronization/jobs/{jobId}/provisionOnDemand",
        body: { parameters: [{ ruleId: "{ruleId}", subjects: [{ objectId: "{userId}", objectTypeName: "User" }] }] },
        permission: "Synchronization.ReadWrite.All",
      },
    ],
  },
  references: [
    {
      title: "Analyze provisioning logs — error codes for cross-tenant synchronization",
      url: "https://learn.microsoft.com/entra/identity/monitoring-health/howto-analyze-provisioning-logs#error-codes-for-cross-tenant-synchronization",
    },
    REFERENCES.knownIssues,
    {
      title: "Configure cross-tenant synchronization — troubleshooting",
      url: "https://learn.microsoft.com/entra/identity/multi-tenant-organizations/cross-tenant-synchronization-configure#troubleshoot-common-cross-tenant-synchronization-scenarios",
    },
  ],
  needs: ["source.syncServicePrincipals", "source.provisioningLogs"],
  uses: ["source.syncSecrets", "target.organization", "source.provisioningOutcomes", "source.syncJobs"],
  check(pair, ctx) {
    const shared = sharedEvidence(pair, requireConfiguration(pair, ctx));
    // Problem entries by code (log-queries.ts): SMS "Filter external users" skips (sms-sign-in-users-skipped) and
    // failures a later success resolved are already left out; codes other rules own and benign skips are dropped here.
    const groups = (pair.logs()?.openProblems() ?? []).filter((g) => !isExcludedCode(g.code)).map((g) => ({ ...g, meta: lookupCode(g.code) }));
    const rank = (g: (typeof groups)[number]) => SEVERITIES.indexOf((g.meta ?? UNKNOWN_CODE).severity);
    groups.sort((a, b) => rank(a) - rank(b) || b.count - a.count || a.code.localeCompare(b.code));

    for (const g of groups) {
      const meta = g.meta ?? UNKNOWN_CODE;
      const first = g.first;
      const last = g.last;
      const reason = last.reason ?? null;
      const reasons = g.reasons;
      const codesAsLogged = g.codesAsLogged;
      const objects = new Map(g.objects.map((o) => [o.id, o]));
      ctx.report({
        messageId: g.meta ? "known" : g.code === NO_ERROR_CODE ? "noCode" : "unknown",
        data: {
          count: g.count,
          errorCode: g.code,
          objectCount: objects.size,
          firstSeen: first.activityDateTime,
          lastSeen: last.activityDateTime,
          cause: meta.cause,
          fix: meta.fix,
          reason: reason ?? "(none given)",
        },
        errorCode: g.code,
        severity: meta.severity,
        side: meta.side,
        objects: [...objects.values()],
        evidence: {
          errorCode: g.code,
          known: Boolean(g.meta),
          ...(codesAsLogged.some((c) => c !== g.code) ? { codesAsLogged } : {}),
          count: g.count,
          objectCount: objects.size,
          logEntryIds: g.firstIds.slice(0, MAX_ENTRY_IDS),
          logEntryIdsTotal: g.count,
          firstSeen: first.activityDateTime,
          lastSeen: last.activityDateTime,
          statuses: g.statuses,
          actions: g.actions,
          reasons: reasons.slice(0, 5),
          additionalDetails: last.additionalDetails ?? null,
          cause: meta.cause,
          fix: meta.fix,
          severity: meta.severity,
          ...shared,
        },
      });
    }
  },
});
