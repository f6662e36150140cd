// The rule runner: checks each rule's facets, runs its pure check, and turns reports into results.
import type { Pair } from "../model/pair.js";
import { facetSpec, type FacetId } from "../snapshot/facets.js";
import { describeMissing } from "./missing.js";
import { configurationCaveat } from "./preconditions.js";
import type { Finding, MissingFacet, ReportDescriptor, Rule, RuleResult, Severity } from "./types.js";
import { SEVERITIES } from "./types.js";
import { declaredFacets, ruleView } from "./view.js";

class StopCheck extends Error {
  constructor(
    readonly status: "not-applicable" | "inconclusive",
    readonly reason: string,
  ) {
    super(reason);
    this.name = "StopCheck";
  }
}

/** A `{{name}}` placeholder of a message template (global: use with replace or matchAll only). */
export const PLACEHOLDER = /\{\{\s*(\w+)\s*\}\}/g;

/** Fill `{{name}}` placeholders from data; unknown placeholders stay visible rather than vanish. */
export function formatMessage(template: string, data: ReportDescriptor<string>["data"] = {}): string {
  return template.replace(PLACEHOLDER, (whole, name: string) => {
    const value = data[name];
    return value === undefined || value === null ? whole : String(value);
  });
}

/** Every facet of a `needsAnyOf` group none of which was collected. */
function unmetGroups(pair: Pair, rule: Rule): FacetId[] {
  return (rule.needsAnyOf ?? []).filter((group) => !group.some((id) => pair.has(id))).flat();
}

function missingFacets(pair: Pair, rule: Rule): MissingFacet[] {
  return [...rule.needs, ...unmetGroups(pair, rule)]
    .filter((id) => !pair.has(id))
    .map((id) => {
      const entry = pair.entry(id);
      return {
        facet: id,
        status: entry.status,
        ...(entry.error?.httpStatus ? { httpStatus: entry.error.httpStatus } : {}),
        code: entry.error?.code,
        message: entry.error?.message,
        permission: entry.permission ?? facetSpec(id).permission,
      };
    });
}

function worst(a: Severity, b: Severity): Severity {
  return SEVERITIES.indexOf(a) <= SEVERITIES.indexOf(b) ? a : b;
}

/** Run one rule against a pair. A rule that throws is reported as inconclusive, never as pass. */
export function runRule(rule: Rule, pair: Pair): RuleResult {
  const base = { ruleId: rule.id, title: rule.title, severity: rule.severity, side: rule.side, area: rule.area };
  const notApplicable = rule.appliesTo?.(pair);
  if (notApplicable) return { ...base, status: "not-applicable", reason: notApplicable, findings: [] };
  const missing = missingFacets(pair, rule);
  if (missing.length > 0) {
    return { ...base, status: "inconclusive", reason: `Data not collected: ${missing.map(describeMissing).join("; ")}`, findings: [], missing };
  }
  const findings: Finding[] = [];
  const notes: string[] = [];
  const ctx = {
    note(noteId: string, data?: ReportDescriptor<string>["data"]) {
      const template = rule.notes?.[noteId];
      if (template === undefined) throw new Error(`rule ${rule.id} used undeclared note id "${noteId}"`);
      notes.push(formatMessage(template, data));
    },
    report(d: ReportDescriptor<string>) {
      const template = rule.messages[d.messageId];
      if (template === undefined) throw new Error(`rule ${rule.id} reported undeclared message id "${d.messageId}"`);
      findings.push({
        message: formatMessage(template, d.data),
        side: d.side ?? rule.side,
        ...(d.errorCode ? { errorCode: d.errorCode } : {}),
        ...(d.severity ? { severity: d.severity } : {}),
        objects: d.objects ?? [],
        evidence: d.evidence ?? {},
      });
    },
    notApplicable(reason: string): never {
      throw new StopCheck("not-applicable", reason);
    },
    inconclusive(reason: string): never {
      throw new StopCheck("inconclusive", reason);
    },
  };
  try {
    // The check sees only the facets it declares: an undeclared read throws and makes the result inconclusive.
    rule.check(ruleView(pair, rule.id, declaredFacets(rule)), ctx);
  } catch (err) {
    if (err instanceof StopCheck) return { ...base, status: err.status, reason: err.reason, findings: [] };
    const message = err instanceof Error ? err.message : String(err);
    return { ...base, status: "inconclusive", reason: `Rule error: ${message}`, findings: [] };
  }
  // Run on a configuration identified from evidence, not CompanyId: the result and every finding say so.
  const caveat = configurationCaveat(pair, [...rule.needs, ...(rule.uses ?? [])]);
  const note = `${notes.map((n) => ` ${n}`).join("")}${caveat ? ` (${caveat})` : ""}`;
  if (caveat) for (const f of findings) f.evidence = { ...f.evidence, configuration: caveat };
  if (findings.length === 0) return { ...base, status: "pass", reason: `No problem found.${note}`, findings };
  const severity = findings.reduce<Severity>((s, f) => (f.severity ? worst(s, f.severity) : s), rule.severity);
  const n = findings.length;
  return { ...base, severity, status: "fail", reason: `${n} finding${n === 1 ? "" : "s"}.${note}`, findings };
}

/** Run every rule of a registry, in registry order. */
export function runRules(rules: readonly Rule[], pair: Pair): RuleResult[] {
  return rules.map((rule) => runRule(rule, pair));
}

/** True when an inconclusive result is at or above the threshold severity (its data was missing). */
export function inconclusiveAt(result: RuleResult, threshold: Severity): boolean {
  return result.status === "inconclusive" && SEVERITIES.indexOf(result.severity) <= SEVERITIES.indexOf(threshold);
}

/** True when a failed result is at or above the threshold severity. */
export function failsAt(result: RuleResult, threshold: Severity): boolean {
  return result.status === "fail" && SEVERITIES.indexOf(result.severity) <= SEVERITIES.indexOf(threshold);
}
