// Source tenant: the provisioning job of the configuration in use must not be in quarantine.
import { documented, jobAction, RESTART_CLEARING_QUARANTINE } from "../../src/engine/fix-recipes.js";
import { defineRule } from "../../src/engine/define.js";
import { requireConfiguration } from "../../src/engine/preconditions.js";
import { jobOf } from "../../src/model/configuration.js";
import { normalizeErrorCode } from "../../src/model/signals.js";
import { POLICY_RULES, REFERENCES } from "../references.js";
import { quarantineCause } from "./cause.js";
import { REASON_MESSAGES, quarantineReason } from "./reasons.js";

const DAY_MS = 24 * 60 * 60 * 1000;

/** Whole days between two ISO instants, or undefined when either does not parse. */
function daysBetween(from: string | undefined, to: string | undefined): number | undefined {
  const a = from ? Date.parse(from) : NaN;
  const b = to ? Date.parse(to) : NaN;
  return Number.isNaN(a) || Number.isNaN(b) ? undefined : Math.floor((b - a) / DAY_MS);
}

export default defineRule({
  id: "job-quarantined",
  title: "The cross-tenant synchronization job is in quarantine",
  severity: "critical",
  side: "source",
  area: "configuration",
  symptom:
    'The configuration\'s Overview page shows the provisioning job in quarantine (status code Quarantine) and provisioning has stopped or runs at most once a day; the provisioning logs show no new changes, and the notification address gets a quarantine email from azure-noreply@microsoft.com. For cross-tenant synchronization the quarantine error is typically AzureActiveDirectoryCrossTenantSyncPolicyCheckFailure: "The target tenant has not enabled inbound synchronization with this tenant. Please request the target tenant admin to enable the inbound synchronization on their cross-tenant access policy. Learn more: aka.ms/TroubleshootingCrossTenantSyncPolicyCheck".',
  cause:
    "The provisioning service quarantines a job it judges unhealthy: it cannot connect to the target (EncounteredQuarantineException — for cross-tenant sync usually a failed cross-tenant access policy check), too many objects fail (EncounteredEscrowProportionThreshold, EncounteredBaseEscrowThreshold, EncounteredTotalEscrowThreshold), a cycle would delete more users than the accidental-deletion threshold (TooManyDeletes), ingestion was interrupted (IngestionInterrupted), or Microsoft quarantined it (QuarantinedOnDemand). Retries back off to once a day and the job is disabled after 4 weeks.",
  detection:
    "Reads the job of the configuration whose CompanyId is the target tenant. Fails when status.code is Quarantine, reporting the quarantine reason, its error code and message, since when (currentBegan, seriesBegan), the next attempt, the documented fix for that reason and its cause read from the data: for an escrow threshold the dominant error code in the provisioning logs (and a userType constant mapping that is neither Member nor Guest), for TooManyDeletes the staged (StagedDelete) and done deletions and disables in the logs with the job's deletion threshold.",
  messages: REASON_MESSAGES,
  fix: {
    summary:
      "Fix the cause named by the quarantine reason and error first (see the finding), then restart the job clearing the quarantine state; after TooManyDeletes, either allow the deletes (ForceDeletes) or fix the scope before restarting.",
    portal:
      "Source tenant: Entra admin center → Entra ID → External Identities → Cross-tenant synchronization → Configurations → the configuration → fix the cause (Provisioning → Test Connection must succeed) → Overview → Restart provisioning",
    graph: [documented(jobAction("restart"), RESTART_CLEARING_QUARANTINE)],
    powershell:
      'Connect-MgGraph -TenantId "{sourceTenantId}" -Scopes "Synchronization.ReadWrite.All"\nRestart-MgServicePrincipalSynchronizationJob -ServicePrincipalId "{servicePrincipalId}" -SynchronizationJobId "{jobId}" -BodyParameter @{ criteria = @{ resetScope = "QuarantineState, Escrows, Watermark" } }',
  },
  references: [
    REFERENCES.quarantineStatus,
    REFERENCES.accidentalDeletions,
    REFERENCES.configureTroubleshoot,
    { title: "synchronizationJob: restart", url: "https://learn.microsoft.com/graph/api/synchronization-synchronizationjob-restart" },
  ],
  needs: ["source.syncServicePrincipals", "source.syncJobs"],
  // A failed policy check is the usual quarantine of a cross-tenant job (EncounteredQuarantineException, see cause).
  explainedBy: POLICY_RULES,
  uses: ["source.provisioningLogs", "source.syncSchemas", "source.syncSecrets", "target.organization"],
  check(pair, ctx) {
    const config = requireConfiguration(pair, ctx);
    const job = jobOf(pair, config);
    if (!job) return ctx.notApplicable("The configuration has no provisioning job, so nothing can be quarantined.");
    if (job.status?.code !== "Quarantine") return;
    const q = job.status.quarantine ?? undefined;
    const error = q?.error ?? job.status.lastExecution?.error ?? undefined;
    const errorCode = normalizeErrorCode(error?.code);
    const reason = quarantineReason(q?.reason);
    const began = q?.seriesBegan ?? q?.currentBegan;
    const days = daysBetween(began, pair.manifest.createdAt);
    const name = config.name;
    const cause = quarantineCause(pair, reason, config, job);
    ctx.report({
      messageId: reason,
      data: {
        jobId: job.id,
        configurationName: name,
        currentBegan: q?.currentBegan ?? "unknown",
        seriesBegan: q?.seriesBegan ?? "unknown",
        seriesCount: q?.seriesCount ?? "unknown",
        days: days ?? "unknown",
        nextAttempt: q?.nextAttempt ?? "unknown",
        reason: q?.reason ?? "not given",
        error: errorCode ? `${errorCode}: "${error?.message ?? ""}"` : "none reported",
        cause: cause.text,
      },
      ...(errorCode ? { errorCode } : {}),
      objects: [{ id: job.id, type: "job", displayName: `${name} provisioning job` }],
      evidence: {
        servicePrincipalId: config.servicePrincipal.id,
        "status.code": job.status.code,
        "status.quarantine": q ?? null,
        "status.countSuccessiveCompleteFailures": job.status.countSuccessiveCompleteFailures ?? null,
        "status.lastExecution.error": job.status.lastExecution?.error ?? null,
        "status.troubleshootingUrl": job.status.troubleshootingUrl ?? null,
        "schedule.state": job.schedule?.state ?? null,
        daysInQuarantine: days ?? null,
        ...cause.evidence,
      },
    });
  },
});
