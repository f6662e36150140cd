// The report document (report.json contract, schemaVersion 1): later versions add fields, never rename these.
import type { CloudName } from "../config/clouds.js";
import type { Rule, RuleResult, Severity, Status } from "../engine/types.js";
import type { Manifest } from "../snapshot/manifest.js";
import type { ProvisioningActivity } from "../model/activity.js";
import type { PredictSection } from "../predict/section.js";
import { TOOL_NAME, TOOL_VERSION } from "../version.js";
import type { ReportWaivers, WaivedResult } from "../waivers/types.js";
import { SEVERITIES, STATUSES } from "../engine/types.js";

export interface Report {
  schemaVersion: 1;
  generatedAt: string;
  tool: { name: string; version: string };
  source: TenantRef;
  target: TenantRef;
  /** Collection window and facet statuses, so a reader knows what the verdicts rest on. */
  collection: {
    createdAt: string;
    window: { since: string; until: string };
    facets: Manifest["facets"];
    /** Made from a redacted snapshot: names, addresses and object ids are pseudonyms. */
    redacted?: boolean;
  };
  summary: {
    byStatus: Record<Status, number>;
    failedBySeverity: Record<Severity, number>;
  };
  /** The CTS configuration analysed (the service principal whose CompanyId is the target), when one was found. */
  configuration?: ConfigurationRef;
  /** CTS configurations of the source for other tenants: listed, not analysed (absent when there are none). */
  otherConfigurations?: OtherConfigurationRef[];
  /** Provisioning outcomes per day over the window (for the report's chart). */
  provisioning?: ProvisioningActivity;
  /** The pair's name in a multi-pair `check`. */
  pair?: string;
  /** Status of each CTS job of the source at collection time (for job transitions between runs). */
  jobs?: JobStatus[];
  /** What changed since the previous run (`check`). */
  changes?: ReportChanges;
  /** Waivers that applied to this pair and those that expired (`check --waivers`). */
  waivers?: ReportWaivers;
  /** The next cycle predicted from the schema's mappings (`analyze`; `predict` writes the full list). */
  predict?: PredictSection;
  /** The run result (engine/), with the waiver overlay when `check --waivers` applied one. */
  results: WaivedResult[];
}

/** A tenant of the pair; the name and default domain come from its organization object, when it was collected. */
export interface TenantRef {
  tenantId: string;
  cloud: CloudName;
  displayName?: string;
  domain?: string;
}

/** Display name and default verified domain of each tenant. */
export interface TenantNames {
  source?: { displayName?: string; domain?: string };
  target?: { displayName?: string; domain?: string };
}

export interface JobStatus {
  servicePrincipalId: string;
  jobId: string;
  status: string;
}

/** A finding's identity across runs: the rule, and one affected object when the finding names any. */
export interface ChangeEntry {
  ruleId: string;
  objectId?: string;
  severity?: Severity;
  waived?: boolean;
}

export interface ReportChanges {
  /** What the comparison is against: the history database, a saved report, or nothing (first run). */
  basis: "history" | "baseline" | "none";
  /** When the compared run was generated. */
  previousGeneratedAt?: string;
  new: ChangeEntry[];
  resolved: ChangeEntry[];
  persisting: ChangeEntry[];
  /** Jobs whose status code changed, e.g. Active → Quarantine. */
  jobs: { jobId: string; from: string; to: string }[];
}

export interface ConfigurationRef {
  servicePrincipalId: string;
  displayName: string;
  jobId?: string;
  /** Synchronization rule id of the user mapping (provisionOnDemand's ruleId). */
  ruleId?: string;
}

/** A configuration of the source for another tenant, and how that was decided (src/model/other-configurations.ts). */
export interface OtherConfigurationRef {
  servicePrincipalId: string;
  name: string;
  /** Its CompanyId, when its secrets say so. */
  targetTenantId?: string;
  basis: "companyId" | "display-name";
  evidence: string;
}

/** The sentence every report opens its list of other tenants' configurations with. */
export function otherConfigurationsLead(report: Pick<Report, "otherConfigurations">): string | undefined {
  const n = report.otherConfigurations?.length ?? 0;
  return n ? `Also in the source: ${n} configuration(s) for other tenants, not analysed` : undefined;
}

/** One configuration for another tenant, short: "Woodgrove" (service principal id, tenant 9c5d…). */
export function otherConfigurationLabel(o: OtherConfigurationRef): string {
  return `"${o.name}" (${o.servicePrincipalId}, ${o.targetTenantId ? `tenant ${o.targetTenantId}` : "CompanyId unknown"})`;
}

export function buildReport(
  manifest: Manifest,
  results: RuleResult[],
  now = new Date(),
  provisioning?: ProvisioningActivity,
  configuration?: ConfigurationRef,
  names: TenantNames = {},
  otherConfigurations: OtherConfigurationRef[] = [],
): Report {
  const byStatus = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<Status, number>;
  const failedBySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const r of results) {
    byStatus[r.status]++;
    if (r.status === "fail") failedBySeverity[r.severity]++;
  }
  return {
    schemaVersion: 1,
    generatedAt: now.toISOString(),
    tool: { name: TOOL_NAME, version: TOOL_VERSION },
    source: { tenantId: manifest.source.tenantId, cloud: manifest.source.cloud, ...names.source },
    target: { tenantId: manifest.target.tenantId, cloud: manifest.target.cloud, ...names.target },
    collection: { createdAt: manifest.createdAt, window: manifest.window, facets: manifest.facets, ...(manifest.redacted ? { redacted: true } : {}) },
    summary: { byStatus, failedBySeverity },
    ...(configuration ? { configuration } : {}),
    ...(otherConfigurations.length ? { otherConfigurations } : {}),
    ...(provisioning ? { provisioning } : {}),
    results,
  };
}

/** True when a failed result's findings are all accepted by waivers: shown as waived, not as failing. */
export function isFullyWaived(r: WaivedResult): boolean {
  return r.status === "fail" && r.findings.length > 0 && r.findings.every((f) => f.waived);
}

/** "accepted by owner until 2026-03-31: reason" */
export function describeWaiver(w: { reason: string; owner: string; expires: string }): string {
  return `accepted by ${w.owner} until ${w.expires}: ${w.reason}`;
}

/** What reporters may know of a rule besides its result: its metadata, never its check. */
export type RuleInfo = Omit<Rule, "check" | "appliesTo">;

/** Substitute the placeholders rule fixes use: tenant ids, and the configuration's service principal, job and rule ids. */
export function fillPlaceholders(text: string, report: Pick<Report, "source" | "target"> & { configuration?: ConfigurationRef | undefined }): string {
  let out = text.replaceAll("{sourceTenantId}", report.source.tenantId).replaceAll("{targetTenantId}", report.target.tenantId);
  const c = report.configuration;
  if (c) {
    out = out.replaceAll("{servicePrincipalId}", c.servicePrincipalId);
    if (c.jobId) out = out.replaceAll("{jobId}", c.jobId);
    if (c.ruleId) out = out.replaceAll("{ruleId}", c.ruleId);
  }
  return out;
}
