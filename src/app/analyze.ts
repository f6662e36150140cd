// The analysis shared by analyze, diagnose, demo and check: snapshot → pair → rules → report files.
import { ruleList } from "../../rules/index.js";
import { failsAt, inconclusiveAt, runRules } from "../engine/run.js";
import type { Rule, RuleResult, Severity } from "../engine/types.js";
import { ExitCode } from "../errors.js";
import type { Pair } from "../model/pair.js";
import { configurationInUse, jobOf, schemaOf, userRuleId } from "../model/configuration.js";
import { provisioningActivity } from "../model/activity.js";
import { configurationsForOtherTenants } from "../model/other-configurations.js";
import { reportPrediction } from "../predict/section.js";
import { buildReport, type ConfigurationRef, type OtherConfigurationRef, type Report, type RuleInfo, type TenantNames } from "../report/model.js";
import { writeReports, type ReportFormat, type WriteOptions } from "../report/write.js";
import { openSnapshot } from "./snapshot.js";

export function ruleInfoMap(): Map<string, RuleInfo> {
  return new Map(
    ruleList.map((rule) => {
      // A copy without the rule's functions: reporters get its metadata only.
      const meta: RuleInfo & Partial<Pick<Rule, "check" | "appliesTo">> = { ...rule };
      delete meta.check;
      delete meta.appliesTo;
      return [rule.id, meta];
    }),
  );
}

/** Ids of the configuration in use, for the report and for filling fix placeholders. */
export function configurationRef(pair: Pair): ConfigurationRef | undefined {
  if (!pair.has("source.syncServicePrincipals")) return undefined;
  const config = configurationInUse(pair);
  if (!config) return undefined;
  const job = pair.has("source.syncJobs") ? jobOf(pair, config) : undefined;
  const schema = job && pair.has("source.syncSchemas") ? schemaOf(pair, config, job) : undefined;
  const ruleId = userRuleId(schema);
  return {
    servicePrincipalId: config.servicePrincipal.id,
    displayName: config.name,
    ...(job ? { jobId: job.id } : {}),
    ...(ruleId ? { ruleId } : {}),
  };
}

/** The source's configurations for other tenants, listed in the report without being analysed. */
export function otherConfigurationRefs(pair: Pair): OtherConfigurationRef[] {
  if (!pair.has("source.syncServicePrincipals")) return [];
  return configurationsForOtherTenants(pair).map((o) => ({
    servicePrincipalId: o.config.servicePrincipal.id,
    name: o.config.name,
    ...(o.targetTenantId ? { targetTenantId: o.targetTenantId } : {}),
    basis: o.basis,
    evidence: o.evidence,
  }));
}

/** Each tenant's display name and default domain, from its organization facet when it was collected. */
export function tenantNames(pair: Pair): TenantNames {
  const one = (side: "source" | "target") => {
    const org = pair.maybe(`${side}.organization`)?.find((o) => o.id === pair[side].tenantId) ?? pair.maybe(`${side}.organization`)?.[0];
    if (!org) return undefined;
    const domains = org.verifiedDomains ?? [];
    const domain = (domains.find((d) => d.isDefault) ?? domains.find((d) => d.isInitial))?.name;
    return { ...(org.displayName ? { displayName: org.displayName } : {}), ...(domain ? { domain } : {}) };
  };
  const source = one("source");
  const target = one("target");
  return { ...(source ? { source } : {}), ...(target ? { target } : {}) };
}

/** A failure outranks missing data; missing data at or above the threshold is not a green run unless allowed. */
export function resultsExitCode(results: readonly RuleResult[], failOn: Severity, allowInconclusive: boolean): number {
  if (results.some((r) => failsAt(r, failOn))) return ExitCode.failed;
  if (!allowInconclusive && results.some((r) => inconclusiveAt(r, failOn))) return ExitCode.inconclusive;
  return ExitCode.ok;
}

/** The report of a pair as analyze writes it: every rule, the activity chart, names, other configurations, the prediction. */
export function pairReport(pair: Pair, at = new Date()): Report {
  const report = buildReport(
    pair.manifest,
    runRules(ruleList, pair),
    at,
    provisioningActivity(pair),
    configurationRef(pair),
    tenantNames(pair),
    otherConfigurationRefs(pair),
  );
  report.predict = reportPrediction(pair);
  return report;
}

export interface AnalysisOutcome {
  report: Report;
  files: string[];
  exitCode: number;
}

export async function analyzeSnapshot(
  snapshotDir: string,
  outDir: string,
  formats: ReportFormat[],
  failOn: Severity,
  options: WriteOptions & { allowInconclusive?: boolean } = {},
): Promise<AnalysisOutcome> {
  const report = pairReport(await openSnapshot(snapshotDir));
  const { allowInconclusive, ...writeOptions } = options;
  const files = await writeReports(report, ruleInfoMap(), outDir, formats, writeOptions);
  const exitCode = resultsExitCode(report.results, failOn, allowInconclusive === true);
  return { report, files, exitCode };
}
