// Every rule id, sorted: the registry (rules/index.ts) must match it exactly, and the trace names rules by it.

/** The rule ids, sorted; one per folder under rules/. */
export const RULE_IDS = [
  "accidental-deletion-prevention-off",
  "configuration-missing",
  "connection-test-failed",
  "cross-cloud-config-not-marked",
  "cross-cloud-endpoints-missing",
  "cross-cloud-group-sync-unsupported",
  "cross-cloud-pair-unsupported",
  "cross-cloud-sync-not-enabled-in-target",
  "external-users-can-leave",
  "external-users-in-scope",
  "group-mapping-disabled",
  "guest-invitations-blocked",
  "job-not-running",
  "job-not-synced-recently",
  "job-quarantined",
  "matching-attribute-changed",
  "nested-group-assignment",
  "no-assignments",
  "notification-email-missing",
  "pending-acceptance-upn-stale",
  "provisioning-errors",
  "scope-sync-all-with-groups",
  "several-configurations-same-target",
  "skip-out-of-scope-deletions-ignored",
  "sms-sign-in-users-skipped",
  "soft-deleted-target-users",
  "source-license-missing",
  "source-outbound-auto-redeem-disabled",
  "source-user-mail-invalid",
  "target-group-sync-inbound-disabled",
  "target-inbound-auto-redeem-disabled",
  "target-inbound-sync-disabled",
  "unsupported-target-attribute-mapped",
  "usertype-mapping-create-only",
] as const;

export type RuleId = (typeof RULE_IDS)[number];

const IDS: ReadonlySet<string> = new Set(RULE_IDS);

/** A string (e.g. read from metadata text) that names a rule. */
export const isRuleId = (s: string): s is RuleId => IDS.has(s);
