// Source configuration: the live connection test, or the job's last run / quarantine, fails with a documented CTS code.
import { documented, jobAction } from "../../src/engine/fix-recipes.js";
import { defineRule } from "../../src/engine/define.js";
import type { AffectedObject, Side } from "../../src/engine/types.js";
import { configurationInUse, jobOf } from "../../src/model/configuration.js";
import { errorSignals, type CtsErrorCode, type ErrorSignal, type SignalSource } from "../../src/model/signals.js";
import { POLICY_RULES, REFERENCES } from "../references.js";

type MessageId = "sourceConsent" | "targetInbound" | "policyCheck" | "b2bPolicy" | "externalTenantNotFound" | "tokenExpired" | "undocumented" | "noCode";

interface Diagnosis {
  messageId: MessageId;
  side: Side;
  explainedBy: string[];
}

const SOURCE_LABEL: Record<SignalSource, string> = {
  connectionTest: "connection test",
  lastExecution: "job's last execution",
  quarantine: "job quarantine",
  provisioningLog: "provisioning log",
};

/** Which rule explains a documented code (for the policy check, the message says which tenant is at fault). */
function diagnose(code: CtsErrorCode, message: string): Diagnosis {
  switch (code) {
    case "AzureActiveDirectoryCrossTenantSyncPolicyCheckFailure":
      if (/source tenant has not enabled automatic user consent/i.test(message))
        return { messageId: "sourceConsent", side: "source", explainedBy: ["source-outbound-auto-redeem-disabled"] };
      if (/target tenant has not enabled inbound synchronization/i.test(message))
        return { messageId: "targetInbound", side: "target", explainedBy: ["target-inbound-sync-disabled", "target-inbound-auto-redeem-disabled"] };
      return {
        messageId: "policyCheck",
        side: "both",
        explainedBy: ["source-outbound-auto-redeem-disabled", "target-inbound-sync-disabled", "target-inbound-auto-redeem-disabled"],
      };
    case "AzureDirectoryB2BManagementPolicyCheckFailure":
      return { messageId: "b2bPolicy", side: "both", explainedBy: ["source-outbound-auto-redeem-disabled", "target-inbound-auto-redeem-disabled"] };
    case "ExternalTenantNotFound":
      return { messageId: "externalTenantNotFound", side: "source", explainedBy: ["cross-cloud-config-not-marked"] };
    case "AzureActiveDirectoryTokenExpired":
      return { messageId: "tokenExpired", side: "target", explainedBy: ["cross-cloud-sync-not-enabled-in-target"] };
  }
}

/** The client names a Graph error without a code `HTTP<status>` (src/graph/client.ts): that is no code at all. */
const isStandInCode = (code: string): boolean => /^HTTP\d{3}$/.test(code);

interface SignalGroup {
  code: string;
  message: string;
  diagnosis: Diagnosis | undefined;
  signals: ErrorSignal[];
}

/** One group per distinct code and message; a signal without a documented code counts only from the connection test. */
function groupSignals(signals: readonly ErrorSignal[]): SignalGroup[] {
  const groups = new Map<string, SignalGroup>();
  for (const s of signals) {
    const code = s.ctsCode;
    if (!code && (s.source !== "connectionTest" || isStandInCode(s.code))) continue;
    const reported = code ?? s.code;
    const message = s.message.trim();
    const key = `${reported.toLowerCase()}\u0000${message}`;
    const group = groups.get(key) ?? { code: reported, message, diagnosis: code ? diagnose(code, message) : undefined, signals: [] };
    group.signals.push(s);
    groups.set(key, group);
  }
  return [...groups.values()];
}

export default defineRule<MessageId>({
  id: "connection-test-failed",
  title: "Test connection to the target tenant fails",
  severity: "critical",
  side: "both",
  area: "configuration",
  symptom:
    'Provisioning → Test connection fails with "You appear to have entered invalid credentials. Please confirm you are using the correct information for an administrative account." and one of: Error code: AzureActiveDirectoryCrossTenantSyncPolicyCheckFailure, Details: "The source tenant has not enabled automatic user consent with the target tenant. Please enable the outbound cross-tenant access policy for automatic user consent in the source tenant. aka.ms/TroubleshootingCrossTenantSyncPolicyCheck" or "The target tenant has not enabled inbound synchronization with this tenant. Please request the target tenant admin to enable the inbound synchronization on their cross-tenant access policy. Learn more: aka.ms/TroubleshootingCrossTenantSyncPolicyCheck"; AzureDirectoryB2BManagementPolicyCheckFailure, "Policy permitting auto-redemption of invitations not configured."; ExternalTenantNotFound, "This tenant was not found by the authentication authority of the current cloud"; AzureActiveDirectoryTokenExpired, "The identity of the calling application could not be established." The same codes appear as the job\'s last execution or quarantine error.',
  cause:
    "Before it provisions anyone, the service checks the pair's cross-tenant access policies: the source's outbound automatic redemption for the target, the target's inbound synchronization and inbound automatic redemption for the source, and — across clouds — that the configuration was created for cross-cloud synchronization and that the target enabled cross-cloud synchronization for the source's cloud. A failed check fails the test connection, the job run, and puts the job in quarantine.",
  detection:
    "Collects error codes from the live connection test (validateCredentials) and from the configuration's job (last execution error, quarantine error), and reports one finding per distinct code and message, naming the rules that explain the cause (explainedBy). Documented codes are recognised in the code or the message; a failed connection test with any other code is reported too. With the connection test skipped it judges on the job alone; inconclusive only when neither was collected.",
  messages: {
    sourceConsent:
      'The {{where}} failed with {{code}}: "{{message}}". The source tenant does not automatically redeem invitations for the target (outbound automatic redemption) — see {{explainedBy}}.',
    targetInbound:
      'The {{where}} failed with {{code}}: "{{message}}". The target tenant does not allow inbound synchronization from the source, or does not redeem its invitations automatically — see {{explainedBy}}.',
    policyCheck:
      'The {{where}} failed with {{code}}: "{{message}}". A cross-tenant access policy check failed in the source (outbound automatic redemption) or the target (inbound sync, inbound automatic redemption) — see {{explainedBy}}.',
    b2bPolicy:
      'The {{where}} failed with {{code}}: "{{message}}". Automatic redemption of invitations is not enabled outbound in the source and/or inbound in the target — see {{explainedBy}}.',
    externalTenantNotFound:
      'The {{where}} failed with {{code}}: "{{message}}". The configuration was created without "Setup cross-tenant synchronization across Microsoft clouds", so the target tenant is looked up in the source\'s own cloud — see {{explainedBy}}.',
    tokenExpired:
      'The {{where}} failed with {{code}}: "{{message}}". The target tenant has not enabled cross-cloud synchronization for the source tenant\'s cloud (Microsoft cloud settings) — see {{explainedBy}}.',
    undocumented:
      'The connection test failed with {{code}} (HTTP {{status}}): "{{message}}". This is not one of the documented cross-tenant synchronization codes; check the message and the configuration\'s provisioning settings.',
    noCode: "The connection test failed with HTTP {{status}} and no error code; run Test connection in the admin center to see the details.",
  },
  fix: {
    summary:
      "Fix the cause named in the finding (the rules listed in explainedBy carry the exact change), then run Test connection again; if the job is quarantined, restart it afterwards.",
    portal:
      "Fix the policy named in the finding in the tenant it names, then source tenant: Entra admin center → Entra ID → External Identities → Cross-tenant synchronization → Configurations → the configuration → Provisioning → Admin Credentials → Test Connection",
    graph: [
      documented(jobAction("validateCredentials"), {
        useSavedCredentials: false,
        credentials: [
          { key: "CompanyId", value: "{targetTenantId}" },
          { key: "AuthenticationType", value: "SyncPolicy" },
        ],
      }),
    ],
  },
  references: [
    REFERENCES.configureStep6TestConnection,
    REFERENCES.configureTroubleshoot,
    {
      title: "Configure cross-tenant synchronization across Microsoft clouds — troubleshooting",
      url: "https://learn.microsoft.com/entra/identity/multi-tenant-organizations/cross-tenant-synchronization-configure?pivots=cross-cloud-synchronization#troubleshoot-common-cross-tenant-synchronization-scenarios",
    },
    { title: "synchronizationJob: validateCredentials", url: "https://learn.microsoft.com/graph/api/synchronization-synchronizationjob-validatecredentials" },
  ],
  needs: ["source.syncServicePrincipals"],
  // Either the live connection test or the job's status is enough to judge on.
  needsAnyOf: [["source.connectionTest", "source.syncJobs"]],
  uses: ["source.syncSecrets", "target.organization", "source.provisioningLogs"],
  // Each finding names its own causes in evidence.explainedBy (from the error code); this list is the union of them.
  explainedBy: POLICY_RULES,
  check(pair, ctx) {
    const config = configurationInUse(pair);
    if (!config)
      return ctx.notApplicable(
        `No cross-tenant synchronization configuration in the source has CompanyId ${pair.target.tenantId}, so there is nothing to test.`,
      );
    const test = pair.maybe("source.connectionTest") ?? undefined;
    const hasJobs = pair.has("source.syncJobs");
    const job = hasJobs ? jobOf(pair, config) : undefined;
    const sp: AffectedObject = {
      id: config.servicePrincipal.id,
      type: "servicePrincipal",
      displayName: config.name,
    };
    const groups = groupSignals(errorSignals(pair).filter((s) => s.source !== "provisioningLog"));
    for (const g of groups) {
      const where = [...new Set(g.signals.map((s) => SOURCE_LABEL[s.source]))].join(" and ");
      const evidence = {
        code: g.code,
        message: g.message,
        seenIn: g.signals.map((s) => ({ source: s.source, ref: s.ref, ...(s.code !== g.code ? { reportedCode: s.code } : {}), ...(s.at ? { at: s.at } : {}) })),
        explainedBy: g.diagnosis?.explainedBy ?? [],
        ...(job ? { jobId: job.id, jobStatus: job.status?.code ?? null } : {}),
        ...(test ? { connectionTest: { ok: test.ok, status: test.status, testedAt: test.testedAt } } : {}),
      };
      if (g.diagnosis) {
        ctx.report({
          messageId: g.diagnosis.messageId,
          side: g.diagnosis.side,
          errorCode: g.code,
          data: { where, code: g.code, message: g.message, explainedBy: g.diagnosis.explainedBy.join(", ") },
          objects: [sp],
          evidence,
        });
      } else {
        ctx.report({
          messageId: "undocumented",
          side: "both",
          errorCode: g.code,
          data: { code: g.code, status: test?.status, message: g.message },
          objects: [sp],
          evidence,
        });
      }
    }

    if (test && !test.ok && !groups.some((g) => g.signals.some((s) => s.source === "connectionTest"))) {
      ctx.report({ messageId: "noCode", side: "both", data: { status: test.status }, objects: [sp], evidence: { connectionTest: test } });
    }
  },
});
