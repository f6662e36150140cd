// Remediation data: the steps rule fixes propose, the plan file they make, and the context a fix builder reads.
import type { RuleResult } from "../engine/types.js";
import type { Pair } from "../model/pair.js";
import type { TenantSide } from "../snapshot/facets.js";

export type GraphVersion = "v1.0" | "beta";
export type WriteMethod = "POST" | "PATCH" | "PUT" | "DELETE";

/**
 * A test on one value of a Graph document. `path` is dot-separated; `name[k=v]` picks the array element whose field k
 * is v, `$json` parses a JSON string. A missing document (404) or property reads as null.
 */
export interface Check {
  path: string;
  equals?: unknown;
  in?: unknown[];
  notIn?: unknown[];
}

/** What to GET to see the state a step depends on and changes. */
export interface StateRead {
  tenant: TenantSide;
  version: GraphVersion;
  /** Path after the version, query included. */
  path: string;
  /** Read on this version when `version` cannot be read (the secrets GET is published on beta only). */
  fallbackVersion?: GraphVersion;
}

/** How to build the reverse of a step once its `before` state is known. */
export interface UndoSpec {
  method: WriteMethod;
  version: GraphVersion;
  path: string;
  /** A fixed body (e.g. enableSmsSignIn has none). */
  body?: unknown;
  /**
   * "paths": the body sets each precondition path back to its value before the write (an upsert that created the
   * resource is deleted instead); "secrets": the owned key's changed properties are put back, from a live GET again.
   */
  restore?: "paths" | "secrets";
}

/**
 * Create-or-update (identitySynchronization): apply PATCHes `body` (the changed properties) when the live read finds the
 * resource and PUTs `createBody` after a 404, whatever the snapshot said.
 */
export interface UpsertSpec {
  /** Whether the snapshot the plan was made from held the resource; when the live read disagrees, the preconditions
   * (read from the snapshot) do not apply and apply journals the difference. */
  existed: boolean;
  createBody: Record<string, unknown>;
}

/**
 * A secrets PUT whose body apply builds from the live GET: every key is sent back as read, and within the owned key's
 * JSON value only these properties change (null removes one).
 */
export interface SecretsChange {
  key: string;
  set: Record<string, unknown>;
}

/** A step as a rule's fix proposes it, before the plan gives it an id and merges duplicates. */
export interface StepDraft {
  tenant: TenantSide;
  method: WriteMethod;
  version: GraphVersion;
  /** Path after the version. */
  path: string;
  body?: unknown;
  permission: string;
  /** One line a human reads before approving. */
  summary: string;
  read: StateRead;
  /** The values expected now; any other value means the tenant drifted since the plan. */
  precondition: Check[];
  /** What holds once the step took effect; when it already holds the step is skipped. */
  effect: Check[];
  undo?: UndoSpec;
  upsert?: UpsertSpec;
  /** Set on secrets PUTs: `body` is then left out of the plan and built at apply time. */
  secrets?: SecretsChange;
  /** Lower runs first: partner records before their sync policy, policies before the job restart. */
  order: number;
  /** Drafts with the same key (one resource, one method) are merged into one request. */
  mergeKey?: string;
  /** provisionOnDemand: at most 5 requests per 10 s. */
  paced?: "provisionOnDemand";
  /** Changes a tenant-wide setting (needs --allow-tenant-wide). */
  tenantWide?: boolean;
}

/** What a rule's fix.ts returns: steps, or why it cannot propose any. */
export type FixOutcome = { steps: StepDraft[] } | { skipped: string };

export interface FixOptions {
  allowTenantWide: boolean;
  /** Recipient for failure notifications when the configuration has none. */
  notificationEmail?: string;
}

export interface FixContext {
  pair: Pair;
  result: RuleResult;
  options: FixOptions;
}

/** A rule's fix builder: pure, it reads the pair and the result and returns data (Graph requests), never runs them. */
export type FixBuilder = (ctx: FixContext) => FixOutcome;

/** One step of a plan file. */
export interface PlanStep extends Omit<StepDraft, "mergeKey"> {
  /** Stable within the plan: "03-source-outbound-auto-redeem-disabled". */
  id: string;
  ruleIds: string[];
  tenantId: string;
  /** `/v1.0/…` as a person would type it. */
  url: string;
}

export interface PlanRuleState {
  ruleId: string;
  status: RuleResult["status"];
  findings: number;
}

export interface Plan {
  kind: "cts-doctor.remediation-plan";
  schemaVersion: 1;
  createdAt: string;
  source: { tenantId: string; cloud: string };
  target: { tenantId: string; cloud: string };
  /** The config the plan was made with (absolute path), so apply can find the credentials. */
  configPath?: string;
  snapshotDir?: string;
  options: { allowTenantWide: boolean; rules?: string[] };
  /** The rules' state when the plan was made (the "before" of apply's report). */
  before: PlanRuleState[];
  steps: PlanStep[];
  /** Failing rules that got no step, and why. */
  notPlanned: { ruleId: string; reason: string }[];
}
