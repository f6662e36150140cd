// Source tenant: a job that reads Active must also have completed a cycle recently (it runs about every 40 minutes).
import { defineRule } from "../../src/engine/define.js";
import { requireConfiguration } from "../../src/engine/preconditions.js";
import { jobOf } from "../../src/model/configuration.js";
import { jobRunState } from "../../src/model/job-state.js";
import { CYCLE_MINUTES, jobStaleness, staleAfterHours } from "./staleness.js";

export default defineRule({
  id: "job-not-synced-recently",
  title: "The cross-tenant synchronization job looks active but has not completed a cycle for hours",
  severity: "high",
  side: "source",
  area: "configuration",
  symptom:
    "The configuration's Overview page shows the job as active (status Active, schedule Active), yet new or changed users are not provisioned into the target tenant: the last cycle (Overview → 'Last cycle' / statistics) ended hours or days ago and the provisioning logs have no recent entries.",
  cause: `After the initial cycle the provisioning service runs an incremental cycle about every ${CYCLE_MINUTES} minutes (how-provisioning-works, "Incremental cycles"). A job whose status still reads Active but whose last completed or successful execution is many cycles old has stalled: cycles fail completely (countSuccessiveCompleteFailures grows), or the service has stopped scheduling it.`,
  detection: `Reads the job of the configuration for the target tenant; only a job that is running (not paused, not stopped, not in quarantine, not waiting for its first cycle) is judged. Fails when neither status.lastExecution nor status.lastSuccessfulExecution ended within the threshold before the snapshot's collection window end (default 6 cycles, 4 hours; set collection.staleJobAfterHours in the config file), or when the executions since the last success all failed completely. The reference time is the snapshot's window end, never the time of the analysis.`,
  messages: {
    notRun:
      'The job {{jobId}} of configuration "{{configurationName}}" reads status {{status}} (schedule {{scheduleState}}) but no cycle has ended for {{hours}} hour(s) before the snapshot (last execution ended {{lastEnded}}, last success {{lastSuccess}}; threshold {{threshold}} hour(s), about {{cycles}} cycles of {{cycleMinutes}} minutes). Changes in the source are not being provisioned.',
    noSuccess:
      'The job {{jobId}} of configuration "{{configurationName}}" runs (last execution ended {{lastEnded}}, state {{lastState}}) but its last successful execution ended {{lastSuccess}}, {{hours}} hour(s) before the snapshot (threshold {{threshold}} hour(s)); {{failures}} successive complete failure(s), last error {{error}}. Nothing has been provisioned since.',
  },
  fix: {
    summary:
      "Open the configuration's Overview and the provisioning logs: fix the error the last execution reports (Provisioning → Test Connection must succeed), then restart the job; if no cycle is running at all, stop and start provisioning and open a support request if it stays idle.",
    portal:
      "Source tenant: Entra admin center → Entra ID → External Identities → Cross-tenant synchronization → Configurations → the configuration → Overview (current cycle, last cycle) → Restart provisioning",
    graph: [
      {
        tenant: "source",
        method: "GET",
        url: "/v1.0/servicePrincipals/{servicePrincipalId}/synchronization/jobs/{jobId}",
        permission: "Synchronization.Read.All",
      },
      {
        tenant: "source",
        method: "POST",
        url: "/v1.0/servicePrincipals/{servicePrincipalId}/synchronization/jobs/{jobId}/restart",
        body: { criteria: { resetScope: "Watermark, Escrows, QuarantineState" } },
        permission: "Synchronization.ReadWrite.All",
      },
    ],
    powershell:
      'Connect-MgGraph -TenantId "{sourceTenantId}" -Scopes "Synchronization.ReadWrite.All"\nGet-MgServicePrincipalSynchronizationJob -ServicePrincipalId "{servicePrincipalId}" -SynchronizationJobId "{jobId}" | Select-Object -ExpandProperty Status',
  },
  references: [
    {
      title: "How application provisioning works in Microsoft Entra ID — Incremental cycles",
      url: "https://learn.microsoft.com/entra/identity/app-provisioning/how-provisioning-works#incremental-cycles",
    },
    {
      title: "Check the status of user provisioning",
      url: "https://learn.microsoft.com/entra/identity/app-provisioning/application-provisioning-when-will-provisioning-finish-specific-user",
    },
    { title: "synchronizationStatus resource type", url: "https://learn.microsoft.com/graph/api/resources/synchronization-synchronizationstatus" },
  ],
  needs: ["source.syncServicePrincipals", "source.syncJobs"],
  uses: ["source.syncSecrets", "target.organization"],
  check(pair, ctx) {
    const config = requireConfiguration(pair, ctx);
    const job = jobOf(pair, config);
    if (!job) return ctx.notApplicable("The configuration has no provisioning job (job-not-running reports it).");
    // Stopped, just-started and quarantined jobs are job-not-running's and job-quarantined's.
    if (jobRunState(job).state !== "running" || job.status?.code === "Quarantine") return;
    const threshold = staleAfterHours(pair.manifest);
    const stale = jobStaleness(job, pair.manifest.window.until, threshold);
    if (!stale) return;
    const name = config.name;
    const s = job.status ?? {};
    const error = s.lastExecution?.error;
    ctx.report({
      messageId: stale.kind,
      data: {
        jobId: job.id,
        configurationName: name,
        status: s.code ?? "unknown",
        scheduleState: job.schedule?.state ?? "unknown",
        hours: stale.hours,
        threshold,
        cycles: Math.round((threshold * 60) / CYCLE_MINUTES),
        cycleMinutes: CYCLE_MINUTES,
        lastEnded: s.lastExecution?.timeEnded ?? "never",
        lastSuccess: s.lastSuccessfulExecution?.timeEnded ?? "never",
        lastState: s.lastExecution?.state ?? "unknown",
        failures: s.countSuccessiveCompleteFailures ?? 0,
        error: error?.code && error.code !== "None" ? `${error.code}: "${error.message ?? ""}"` : "none reported",
      },
      objects: [{ id: job.id, type: "job", displayName: `${name} provisioning job` }],
      evidence: {
        servicePrincipalId: config.servicePrincipal.id,
        "status.code": s.code ?? null,
        "schedule.state": job.schedule?.state ?? null,
        "schedule.interval": job.schedule?.interval ?? null,
        "status.lastExecution": s.lastExecution ?? null,
        "status.lastSuccessfulExecution.timeEnded": s.lastSuccessfulExecution?.timeEnded ?? null,
        "status.countSuccessiveCompleteFailures": s.countSuccessiveCompleteFailures ?? null,
        "status.progress": s.progress ?? null,
        referenceTime: pair.manifest.window.until,
        staleAfterHours: threshold,
      },
    });
  },
});
