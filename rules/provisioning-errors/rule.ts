// Source tenant: per-object failures and skips in the provisioning logs, one finding per error code with cause and fix.
import { defineRule } from "../../src/engine/define.js";
import { requireConfiguration } from "../../src/engine/preconditions.js";
import type { AffectedObject } from "../../src/engine/types.js";
import { SEVERITIES } from "../../src/engine/types.js";
import { isExternalUsersFilterSkip, logErrorCode, normalizeErrorCode } from "../../src/model/signals.js";
import type { ProvisioningLogEntry } from "../../src/snapshot/graph-types.js";
import { isExcludedCode, lookupCode, UNKNOWN_CODE } from "./codes.js";

/** Entry ids listed per code in the evidence; the total is always given. */
const MAX_ENTRY_IDS = 50;

/** Group key for a failure that carries no code at all: still reported, as unknown. */
export const NO_ERROR_CODE = "NoErrorCode";

const time = (e: ProvisioningLogEntry): number => Date.parse(e.activityDateTime) || 0;
const statusOf = (e: ProvisioningLogEntry): string => (e.provisioningStatusInfo?.status ?? "").toLowerCase();

/** The code of a non-successful entry: errorInformation.errorCode, else a step's SkipReason; undefined for a success. */
function codeOf(e: ProvisioningLogEntry): string | undefined {
  const status = statusOf(e);
  if (status === "success") return undefined;
  const code = logErrorCode(e) ?? normalizeErrorCode((e.provisioningSteps ?? []).map((s) => s.details?.["SkipReason"]).find(Boolean));
  if (code) return code;
  // A skip without a code is a scoping decision (the configuration's own filters): nothing to fix here.
  return status === "failure" ? NO_ERROR_CODE : undefined;
}

function objectOf(e: ProvisioningLogEntry): AffectedObject | undefined {
  const s = e.sourceIdentity;
  if (!s?.id) return undefined;
  const upn = s.details?.["UserPrincipalName"];
  return {
    id: s.id,
    type: (s.identityType ?? "User").toLowerCase() === "group" ? "group" : "user",
    displayName: s.displayName || s.id,
    ...(upn ? { userPrincipalName: upn } : {}),
  };
}

interface CodeGroup {
  code: string;
  entries: ProvisioningLogEntry[];
  objects: Map<string, AffectedObject>;
}

/** Problem entries by code, leaving out codes other rules own, benign skips, and failures a later success resolved. */
function groupByCode(logs: readonly ProvisioningLogEntry[]): CodeGroup[] {
  const lastSuccess = new Map<string, number>();
  for (const e of logs) {
    const id = e.sourceIdentity?.id;
    if (id && statusOf(e) === "success") lastSuccess.set(id, Math.max(lastSuccess.get(id) ?? 0, time(e)));
  }
  const groups = new Map<string, CodeGroup>();
  for (const e of logs) {
    if (isExternalUsersFilterSkip(e)) continue; // sms-sign-in-users-skipped
    const code = codeOf(e);
    if (!code || isExcludedCode(code)) continue;
    const id = e.sourceIdentity?.id;
    if (id && (lastSuccess.get(id) ?? -1) > time(e)) continue;
    const group: CodeGroup = groups.get(code) ?? { code, entries: [], objects: new Map() };
    group.entries.push(e);
    const object = objectOf(e);
    if (object && !group.objects.has(object.id)) group.objects.set(object.id, object);
    groups.set(code, group);
  }
  return [...groups.values()];
}

export default defineRule({
  id: "provisioning-errors",
  title: "Provisioning logs show failed or skipped objects",
  severity: "medium",
  side: "source",
  area: "logs",
  symptom:
    "Provisioning logs list objects with status Failure (or Skipped with a reason) and an error code, e.g. AzureActiveDirectoryCannotUpdateObjectsOriginatedInExternalService (docs: \"Microsoft Entra IDCannotUpdateObjectsOriginatedInExternalService\"), AzureActiveDirectoryQuotaLimitExceeded, InvitationCreationFailure, InvitationCreationFailureAmbiguousUser, InvitationCreationFailureInvalidPropertyValue, InvitationCreationFailureUserAccountDisabled, AzureActiveDirectoryCannotUpdateObjectsMasteredOnPremises, or a generic code such as InvalidAnchor, DuplicateTargetEntries or SchemaAttributeNotFound.",
  cause:
    "Each code has its own documented cause (target quota, Exchange Online source of authority, invitation conflicts, on-premises mastered users, mapping problems, throttling…); see each finding. Codes owned by other rules (AzureActiveDirectoryForbidden → guest-invitations-blocked, EntityTypeNotSupported → group-mapping-disabled, the SMS sign-in scoping skip → sms-sign-in-users-skipped) and benign skips (RedundantExport, EntrySynchronizationSkipped, NotEffectivelyEntitled) are not reported here.",
  detection:
    "Groups the non-successful provisioning-log entries of the configuration by error code (errorInformation.errorCode or the step's SkipReason, both spellings of AzureActiveDirectory…/Microsoft Entra ID…), drops failures a later success of the same object resolved, and reports one finding per code with the documented cause, fix and severity; an undocumented code is reported as unknown.",
  messages: {
    known:
      "{{count}} provisioning-log entries with {{errorCode}} for {{objectCount}} object(s) between {{firstSeen}} and {{lastSeen}}. Cause: {{cause}} Fix: {{fix}}",
    unknown:
      "{{count}} provisioning-log entries with {{errorCode}}, a code cts-doctor does not know, for {{objectCount}} object(s) between {{firstSeen}} and {{lastSeen}}. Latest reason: {{reason}} Open the listed log entries and follow their reason and recommended action.",
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
    { title: "Analyze provisioning logs — error codes for cross-tenant synchronization", url: "https://learn.microsoft.com/entra/identity/monitoring-health/howto-analyze-provisioning-logs#error-codes-for-cross-tenant-synchronization" },
    { title: "Known issues for provisioning in Microsoft Entra ID", url: "https://learn.microsoft.com/entra/identity/app-provisioning/known-issues" },
    { title: "Configure cross-tenant synchronization — troubleshooting", url: "https://learn.microsoft.com/entra/identity/multi-tenant-organizations/cross-tenant-synchronization-configure#troubleshoot-common-cross-tenant-synchronization-scenarios" },
  ],
  needs: ["source.syncServicePrincipals", "source.syncSecrets", "source.provisioningLogs"],
  check(pair, ctx) {
    requireConfiguration(pair, ctx);
    const groups = groupByCode(pair.get("source.provisioningLogs")).map((g) => ({ ...g, meta: lookupCode(g.code) }));
    const rank = (g: (typeof groups)[number]) => SEVERITIES.indexOf((g.meta ?? UNKNOWN_CODE).severity);
    groups.sort((a, b) => rank(a) - rank(b) || b.entries.length - a.entries.length || a.code.localeCompare(b.code));

    for (const g of groups) {
      const meta = g.meta ?? UNKNOWN_CODE;
      const entries = [...g.entries].sort((a, b) => time(a) - time(b));
      const first = entries[0]!;
      const last = entries[entries.length - 1]!;
      const reason = last.provisioningStatusInfo?.errorInformation?.reason ?? null;
      const reasons = [...new Set(entries.map((e) => e.provisioningStatusInfo?.errorInformation?.reason).filter((r): r is string => Boolean(r)))];
      const codesAsLogged = [...new Set(entries.map((e) => e.provisioningStatusInfo?.errorInformation?.errorCode).filter((c): c is string => Boolean(c)))];
      ctx.report({
        messageId: g.meta ? "known" : "unknown",
        data: {
          count: entries.length,
          errorCode: g.code,
          objectCount: g.objects.size,
          firstSeen: first.activityDateTime,
          lastSeen: last.activityDateTime,
          cause: meta.cause,
          fix: meta.fix,
          reason: reason ?? "(none given)",
        },
        errorCode: g.code,
        severity: meta.severity,
        objects: [...g.objects.values()],
        evidence: {
          errorCode: g.code,
          known: Boolean(g.meta),
          ...(codesAsLogged.some((c) => c !== g.code) ? { codesAsLogged } : {}),
          count: entries.length,
          objectCount: g.objects.size,
          logEntryIds: entries.slice(0, MAX_ENTRY_IDS).map((e) => e.id),
          logEntryIdsTotal: entries.length,
          firstSeen: first.activityDateTime,
          lastSeen: last.activityDateTime,
          statuses: [...new Set(entries.map(statusOf))],
          actions: [...new Set(entries.map((e) => e.provisioningAction).filter(Boolean))],
          reasons: reasons.slice(0, 5),
          additionalDetails: last.provisioningStatusInfo?.errorInformation?.additionalDetails ?? null,
          cause: meta.cause,
          fix: meta.fix,
          severity: meta.severity,
        },
      });
    }
  },
});
