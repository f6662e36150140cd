// Rule and result types shared by the engine, the rules and the reporters.
import type { FacetId } from "../snapshot/facets.js";
import type { Pair } from "../model/pair.js";

export const SEVERITIES = ["critical", "high", "medium", "low", "info"] as const;
export type Severity = (typeof SEVERITIES)[number];

export const STATUSES = ["fail", "pass", "inconclusive", "not-applicable"] as const;
export type Status = (typeof STATUSES)[number];

export type Side = "source" | "target" | "both";
export type Area = "policies" | "configuration" | "users" | "logs";
export type ObjectType = "user" | "group" | "servicePrincipal" | "policy" | "job";

export interface AffectedObject {
  id: string;
  type: ObjectType;
  displayName: string;
  userPrincipalName?: string;
}

/** One Graph request of a fix; `{sourceTenantId}`, `{targetTenantId}` and `{servicePrincipalId}`-style placeholders are filled by reporters. */
export interface FixRequest {
  tenant: "source" | "target";
  method: "GET" | "POST" | "PATCH" | "PUT" | "DELETE";
  url: string;
  body?: unknown;
  permission: string;
}

export interface RuleFix {
  /** One line: what to change. */
  summary: string;
  /** Admin center path. */
  portal: string;
  graph: FixRequest[];
  powershell?: string;
}

export interface Reference {
  title: string;
  url: string;
}

export interface Finding {
  message: string;
  side: Side;
  errorCode?: string;
  severity?: Severity;
  objects: AffectedObject[];
  evidence: Record<string, unknown>;
}

export interface ReportDescriptor<M extends string> {
  messageId: M;
  data?: Record<string, string | number | boolean | null | undefined>;
  /** Defaults to the rule's side. */
  side?: Side;
  errorCode?: string;
  /** Overrides the rule's severity for this finding (e.g. provisioning errors graded by code). */
  severity?: Severity;
  objects?: AffectedObject[];
  evidence?: Record<string, unknown>;
}

export interface RuleContext<M extends string> {
  report(descriptor: ReportDescriptor<M>): void;
  /** The rule does not apply to this pair (e.g. same-cloud pair for a cross-cloud rule); stops the check. */
  notApplicable(reason: string): never;
  /** Data the rule needed turned out to be unusable (e.g. an optional facet); stops the check. */
  inconclusive(reason: string): never;
  /** What the rule could not see but still decided on (e.g. users not read): added to the result's reason, pass or fail. */
  note(noteId: string, data?: ReportDescriptor<M>["data"]): void;
}

export interface RuleMeta<M extends string = string> {
  id: string;
  title: string;
  severity: Severity;
  side: Side;
  area: Area;
  /** What the user sees: error codes and messages, as documented. */
  symptom: string;
  cause: string;
  /** How the rule decides, in one or two sentences (also the README's Detection section). */
  detection: string;
  messages: Record<M, string>;
  /** Templates for `ctx.note`: what a result (pass or fail) could not see, by note id. */
  notes?: Record<string, string>;
  fix: RuleFix;
  references: Reference[];
  /** Facets the rule cannot run without: any one not ok makes the result inconclusive. */
  needs: FacetId[];
  /** Facets the rule reads when present. */
  uses?: FacetId[];
  /** Groups of facets of which the rule needs at least one: inconclusive only when none of a group was collected. */
  needsAnyOf?: FacetId[][];
  /**
   * Rules whose failure explains a failure of this one: when one of them fails too, reporters fold this rule under it
   * as a consequence. A finding's own `evidence.explainedBy` (an array of rule ids) overrides this for that finding.
   */
  explainedBy?: string[];
}

export interface Rule<M extends string = string> extends RuleMeta<M> {
  /**
   * Decided before any facet is checked, from the manifest alone (e.g. the pair's clouds): a reason when the rule does
   * not apply. A same-cloud pair is not-applicable for cross-cloud rules even when their facets could not be read.
   */
  appliesTo?(pair: Pair): string | undefined;
  check(pair: Pair, ctx: RuleContext<M>): void;
}

export interface MissingFacet {
  facet: FacetId;
  status: string;
  httpStatus?: number;
  code?: string;
  message?: string;
  permission?: string;
}

export interface RuleResult {
  ruleId: string;
  title: string;
  severity: Severity;
  side: Side;
  area: Area;
  status: Status;
  reason: string;
  findings: Finding[];
  missing?: MissingFacet[];
}
