// The documented quarantine reasons (synchronizationQuarantine.reason) and what to do about each; becomes the rule's messages.

/** quarantineReason values, as the service reports them. */
export const QUARANTINE_REASONS = [
  "EncounteredQuarantineException",
  "EncounteredEscrowProportionThreshold",
  "QuarantinedOnDemand",
  "TooManyDeletes",
  "EncounteredBaseEscrowThreshold",
  "EncounteredTotalEscrowThreshold",
  "IngestionInterrupted",
  "Unknown",
] as const;

export type QuarantineReason = (typeof QUARANTINE_REASONS)[number];

const PREFIX =
  'The job {{jobId}} of configuration "{{configurationName}}" is in quarantine since {{currentBegan}} (series began {{seriesBegan}}, {{seriesCount}} attempt(s), about {{days}} day(s) before the snapshot; next attempt {{nextAttempt}}), reason {{reason}}, error {{error}}. While quarantined, cycles run at most once a day and the job is disabled after 4 weeks. From the collected data: {{cause}} ';

/** Per-reason fix, appended to the common description. */
const FIXES: Record<QuarantineReason, string> = {
  EncounteredQuarantineException:
    "The service could not connect to the target (for cross-tenant sync: a cross-tenant access policy check failed). Fix what the error names (e.g. AzureActiveDirectoryCrossTenantSyncPolicyCheckFailure: outbound automatic redemption in the source, inbound sync and automatic redemption in the target), run Test connection, then restart the job clearing QuarantineState.",
  EncounteredEscrowProportionThreshold:
    "More than 40% of the provisioning events failed (evaluated from 5,000 failures; 40,000 non-reference or 60,000 total failures also quarantine). Fix the per-object errors shown in the provisioning logs, then restart the job clearing Escrows and QuarantineState.",
  QuarantinedOnDemand: "Microsoft quarantined the job manually. Open a support request with Microsoft before restarting it.",
  TooManyDeletes:
    "A cycle wanted to delete or disable more users than the accidental-deletion threshold allows (default 500); the pending deletions are logged as StagedDelete. If the deletions are intended, allow them (restart with ForceDeletes); otherwise fix the assignments or scope that took the users out of scope, then restart.",
  EncounteredBaseEscrowThreshold:
    "Too many objects failed to provision (escrow threshold). Review the failures in the provisioning logs, fix them, then restart the job clearing Escrows and QuarantineState.",
  EncounteredTotalEscrowThreshold:
    "The total number of failed objects (escrows) passed the threshold. Review the failures in the provisioning logs, fix them, then restart the job clearing Escrows and QuarantineState.",
  IngestionInterrupted:
    "Reading the source directory was interrupted. Review the provisioning and audit logs, then restart the job; open a support request if it recurs.",
  Unknown:
    "The service did not give a documented reason. Review the error, the provisioning logs and the audit logs, fix the cause, then restart the job clearing QuarantineState.",
};

/** One message per reason: the common description followed by that reason's fix. */
export const REASON_MESSAGES = Object.fromEntries(QUARANTINE_REASONS.map((r) => [r, PREFIX + FIXES[r]])) as Record<QuarantineReason, string>;

/** The reason as reported, folded onto the documented list (the docs also print "QuarantineOnDemand"). */
export function quarantineReason(raw: string | null | undefined): QuarantineReason {
  const value = (raw ?? "").trim().toLowerCase();
  if (value === "quarantineondemand") return "QuarantinedOnDemand";
  return QUARANTINE_REASONS.find((r) => r.toLowerCase() === value) ?? "Unknown";
}
