// Source tenant: the provisioning job of the configuration in use must exist, be started and be scheduled.
import { documented, jobAction } from "../../src/engine/fix-recipes.js";
import { defineRule } from "../../src/engine/define.js";
import { requireConfiguration } from "../../src/engine/preconditions.js";
import { jobOf } from "../../src/model/configuration.js";
import { jobRunState } from "../../src/model/job-state.js";
import { REFERENCES } from "../references.js";

export default defineRule({
  id: "job-not-running",
  title: "The cross-tenant synchronization job is not running",
  severity: "high",
  side: "source",
  area: "configuration",
  symptom:
    "Users assigned to the configuration are never provisioned into the target tenant and the provisioning logs stay empty: the configuration's Overview page offers 'Start provisioning' (Provisioning Status Off), and the job shows status Paused, NotRun or NotConfigured or a Disabled schedule instead of running a cycle about every 40 minutes.",
  cause:
    "A new configuration's job is created paused (schedule Disabled, status Paused) and only runs after 'Start provisioning' (Step 12 of the guide); it also stops when someone turns Provisioning Status off, pauses it, or when the service disables it after 4 weeks in quarantine. A configuration whose provisioning was never set up (no Get started → Save) has no job at all.",
  detection:
    "Reads the job of the configuration for the target tenant. Fails when there is no job, when status.code is Paused, NotRun or NotConfigured, or when schedule.state is Disabled or Paused; a job with status NotRun on an Active schedule was just started and is waiting for its first cycle, so it passes; a job that is only in Quarantine is left to job-quarantined.",
  messages: {
    noJob:
      'The configuration "{{configurationName}}" ({{servicePrincipalId}}) has no provisioning job: provisioning was never set up (Provisioning → Get started → Automatic → Save), so nothing runs.',
    paused:
      "The job {{jobId}} is paused (status {{status}}, schedule {{scheduleState}}): no provisioning cycle runs until it is started. A new job stays like this until 'Start provisioning'.",
    notRun:
      "The job {{jobId}} has status NotRun (schedule {{scheduleState}}): it has not completed a provisioning cycle and is not scheduled to run one. Start it.",
    notConfigured:
      "The job {{jobId}} has status NotConfigured (schedule {{scheduleState}}): its provisioning settings were never completed, so it cannot run. Finish Provisioning → Get started (Test Connection, Save), then start it.",
    scheduleStopped:
      "The job {{jobId}} has schedule state {{scheduleState}} (status {{status}}): no cycle is scheduled, so changes are no longer provisioned. The service disables a job after 4 weeks in quarantine; start it once the cause is fixed.",
  },
  fix: {
    summary:
      "Start the job from the configuration's Overview page (or set Provisioning Status to On and save); if the configuration has no job, finish Provisioning → Get started first.",
    portal:
      "Source tenant: Entra admin center → Entra ID → External Identities → Cross-tenant synchronization → Configurations → the configuration → Overview → Start provisioning (or Provisioning → Settings → Provisioning Status: On → Save)",
    graph: [documented(jobAction("start"))],
    powershell:
      'Connect-MgGraph -TenantId "{sourceTenantId}" -Scopes "Synchronization.ReadWrite.All"\nStart-MgServicePrincipalSynchronizationJob -ServicePrincipalId "{servicePrincipalId}" -SynchronizationJobId "{jobId}"',
  },
  references: [
    {
      title: "Configure cross-tenant synchronization — Step 12: Start the provisioning job",
      url: "https://learn.microsoft.com/entra/identity/multi-tenant-organizations/cross-tenant-synchronization-configure#step-12-start-the-provisioning-job",
    },
    REFERENCES.quarantineStatus,
    { title: "synchronizationJob: start", url: "https://learn.microsoft.com/graph/api/synchronization-synchronizationjob-start" },
  ],
  needs: ["source.syncServicePrincipals", "source.syncJobs"],
  uses: ["source.syncSecrets", "target.organization"],
  check(pair, ctx) {
    const config = requireConfiguration(pair, ctx);
    const sp = config.servicePrincipal;
    const configurationName = config.name;
    const job = jobOf(pair, config);
    if (!job) {
      ctx.report({
        messageId: "noJob",
        data: { configurationName, servicePrincipalId: sp.id },
        objects: [{ id: sp.id, type: "servicePrincipal", displayName: configurationName }],
        evidence: { servicePrincipalId: sp.id, jobs: [] },
      });
      return;
    }
    const status = job.status?.code;
    const scheduleState = job.schedule?.state;
    const run = jobRunState(job);
    // A just-started job (NotRun on an Active schedule) is waiting for its first cycle: not a stopped job.
    if (run.state !== "stopped") return;
    ctx.report({
      messageId: run.why,
      data: { jobId: job.id, status: status ?? "unknown", scheduleState: scheduleState ?? "unknown" },
      objects: [{ id: job.id, type: "job", displayName: `${configurationName} provisioning job` }],
      evidence: {
        servicePrincipalId: sp.id,
        "status.code": status ?? null,
        "schedule.state": scheduleState ?? null,
        "schedule.interval": job.schedule?.interval ?? null,
        "status.lastExecution.state": job.status?.lastExecution?.state ?? null,
        "status.lastExecution.timeEnded": job.status?.lastExecution?.timeEnded ?? null,
      },
    });
  },
});
