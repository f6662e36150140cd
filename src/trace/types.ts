// What a user trace is built from (facts, from a snapshot or a few live reads) and what it produces (links, verdict).
import type { RuleId } from "../engine/rule-ids.js";
import type { SyncConfiguration, TargetConfiguration } from "../model/configuration.js";
import type { MatchedBy } from "../model/correlate.js";
import type { Known } from "../model/known.js";
import type { Graph, PhoneMethod, ProvisioningLogEntry, SynchronizationJob, SynchronizationSchema, User, WithRequired } from "../snapshot/graph-types.js";

export interface GroupRef {
  id: string;
  displayName: string;
}

export interface ConfigurationFacts {
  /** The configuration whose CompanyId is the target tenant; undefined when there is none. */
  config: SyncConfiguration | undefined;
  /** How many CTS configurations the source has (for the "none points at the target" message). */
  configurationCount: number;
  job: Known<SynchronizationJob | undefined>;
  schema: Known<SynchronizationSchema | undefined>;
  /** How the configuration was identified (model/configuration.ts); a trace on an unconfirmed one says so. */
  choice?: TargetConfiguration;
}

export interface ScopeFacts {
  syncAll: boolean;
  assignedDirectly: boolean;
  /** The assigned group the user is a direct member of. */
  viaGroup?: GroupRef;
  /** user → first group → … → assigned group, when the user is only a member through nesting. */
  nestedPath?: GroupRef[];
  /** Number of principals assigned to the configuration, when known (0 → no-assignments). */
  assignmentCount?: number;
  /** Why nested membership could not be checked (the user may still be in a nested group). */
  nestedUnknown?: string;
}

export interface TargetFacts {
  live?: User;
  deleted?: User;
  matchedBy?: MatchedBy;
}

/** A directory audit event (auditLogs/directoryAudits), as Graph returns it. */
export type DirectoryAudit = WithRequired<Graph.DirectoryAudit, "id" | "activityDateTime">;

/** Everything the chain is evaluated from. Live and snapshot mode fill the same shape. */
export interface TraceFacts {
  mode: "live" | "snapshot";
  /** What the user asked for: UPN, mail or object id. */
  query: string;
  sourceTenantId: string;
  targetTenantId: string;
  /** null: no such user in the source. */
  sourceUser: Known<User | null>;
  /**
   * How to read a property the user object lacks: live reads $select every attribute used, so absence means null;
   * a snapshot only holds the collector's $select, so absence means "not collected".
   */
  absentAttribute: "null" | "not-collected";
  configuration: Known<ConfigurationFacts>;
  scope: Known<ScopeFacts>;
  /** null: the user has no phone methods (404). */
  phoneMethods: Known<PhoneMethod[] | null>;
  /** The user's entries for this configuration, newest first. */
  logs: Known<ProvisioningLogEntry[]>;
  target: Known<TargetFacts>;
  /** Target audit events by Microsoft.Azure.SyncFabric for the matched target user, newest first. */
  audits: Known<DirectoryAudit[]>;
}

export const LINK_STATUSES = ["ok", "blocked", "warning", "unknown"] as const;
export type LinkStatus = (typeof LINK_STATUSES)[number];

export const LINK_NAMES = ["source-user", "configuration", "scope", "scoping-filter", "sms-sign-in", "provisioning-logs", "mapping", "target-user"] as const;
export type LinkName = (typeof LINK_NAMES)[number];

export interface TraceLink {
  name: LinkName;
  status: LinkStatus;
  detail: string;
  ruleIds: RuleId[];
  /** What to do, when the link is blocked or a warning (from the rule's metadata when a rule explains it). */
  fix?: string;
  evidence: Record<string, unknown>;
}

export interface TraceVerdict {
  status: LinkStatus;
  /** Rule ids of the blocked links first (chain order), then of the warnings. */
  ruleIds: RuleId[];
  message: string;
  fix?: string;
  /** The command that provisions the user on demand, when that would help. */
  command?: string;
}

export interface TraceResult {
  mode: "live" | "snapshot";
  query: string;
  user: { id: string | null; userPrincipalName: string | null; displayName?: string | null };
  links: TraceLink[];
  verdict: TraceVerdict;
}
