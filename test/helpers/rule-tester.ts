// The rule tester, as ESLint's RuleTester: runs a case against its rule and refuses any mismatch with a RuleCaseError.
import { PLACEHOLDER, runRule } from "../../src/engine/run.js";
import type { ReportDescriptor, Rule, RuleResult } from "../../src/engine/types.js";
import { pairFrom } from "./pair.js";
import { RuleCaseError, type ExpectedFinding, type InvalidCase, type LoadedCase, type RuleCase } from "./rule-case-file.js";

const placeholders = (template: string): Set<string> => new Set([...template.matchAll(PLACEHOLDER)].map((m) => m[1]!));

/** Runs the rule on the case's pair, recording each report descriptor beside the finding it became. */
async function observe(rule: Rule, c: RuleCase): Promise<{ result: RuleResult; reports: ReportDescriptor<string>[] }> {
  const reports: ReportDescriptor<string>[] = [];
  const recording: Rule = {
    ...rule,
    check: (pair, ctx) => {
      rule.check(pair, {
        ...ctx,
        report: (d) => {
          ctx.report(d);
          reports.push(d);
        },
      });
    },
  };
  const result = runRule(recording, await pairFrom(c.base ?? "healthy", c));
  return { result, reports };
}

/** The expected messageIds and data keys must exist in the rule's metadata (a typo would otherwise only show as a diff). */
function refuseUnknownMessages(rule: Rule, loaded: LoadedCase<InvalidCase>): void {
  loaded.case.expect.findings.forEach((f, i) => {
    const template = rule.messages[f.messageId];
    if (template === undefined) {
      throw new RuleCaseError(
        "undeclared-message",
        `${loaded.file}: findings.${i}: messageId "${f.messageId}" is not declared by rule ${rule.id} (declared: ${Object.keys(rule.messages).join(", ")})`,
      );
    }
    const names = placeholders(template);
    const unknown = Object.keys(f.data ?? {}).filter((k) => !names.has(k));
    if (unknown.length)
      throw new RuleCaseError(
        "unknown-data-key",
        `${loaded.file}: findings.${i}: data key(s) ${unknown.join(", ")} are not placeholders of message "${f.messageId}"`,
      );
  });
}

/** The engine leaves a placeholder it has no value for as it is (formatMessage), so one left in a message is a bug. */
function refuseUnfilled(loaded: LoadedCase, result: RuleResult, reports: ReportDescriptor<string>[]): void {
  result.findings.forEach((f, i) => {
    const left = [...f.message.matchAll(PLACEHOLDER)].map((m) => m[0]);
    if (left.length)
      throw new RuleCaseError(
        "unfilled-placeholder",
        `${loaded.file}: finding ${i} (${reports[i]?.messageId ?? "?"}) leaves ${left.join(", ")} unfilled: "${f.message}"`,
      );
  });
}

/** What a finding is compared on: the keys the expectation states (data only for the placeholders it names). */
function comparable(want: ExpectedFinding | undefined, report: ReportDescriptor<string>, objectIds: string[]): Record<string, unknown> {
  const data = want?.data ? Object.fromEntries(Object.keys(want.data).map((k) => [k, report.data?.[k] ?? null])) : undefined;
  return { messageId: report.messageId, side: report.side, ...(report.errorCode ? { errorCode: report.errorCode } : {}), objectIds, ...(data ? { data } : {}) };
}

/** Runs one case; throws RuleCaseError when the result is not what the case expects. */
export async function checkCase(rule: Rule, loaded: LoadedCase): Promise<RuleResult> {
  if (loaded.kind === "invalid") refuseUnknownMessages(rule, loaded as LoadedCase<InvalidCase>);
  const { result, reports } = await observe(rule, loaded.case);
  refuseUnfilled(loaded, result, reports);
  const expected = loaded.case.expect;
  if (result.status !== expected.status) {
    throw new RuleCaseError(
      "status-mismatch",
      `${loaded.file}: expected status ${expected.status}, got ${result.status} (${result.reason})`,
      result.status,
      expected.status,
    );
  }
  if (expected.status !== "fail") {
    if (expected.reason && !result.reason.includes(expected.reason)) {
      throw new RuleCaseError(
        "status-mismatch",
        `${loaded.file}: the reason does not contain "${expected.reason}": ${result.reason}`,
        result.reason,
        expected.reason,
      );
    }
    return result;
  }
  const wanted = expected.findings.map(({ messageId, side, errorCode, objectIds, data }) => ({
    messageId,
    side,
    ...(errorCode ? { errorCode } : {}),
    objectIds,
    ...(data ? { data } : {}),
  }));
  const got = result.findings.map((f, i) =>
    comparable(
      expected.findings[i],
      { ...reports[i]!, side: f.side },
      f.objects.map((o) => o.id),
    ),
  );
  if (JSON.stringify(got) !== JSON.stringify(wanted))
    throw new RuleCaseError("finding-mismatch", `${loaded.file}: the findings differ from the expected ones`, got, wanted);
  return result;
}

/** Every message a rule declares must be expected by at least one of its invalid cases (ESLint's messageId coverage). */
export function checkCoverage(rule: Rule, invalid: LoadedCase<InvalidCase>[]): void {
  const produced = new Set(invalid.flatMap((c) => c.case.expect.findings.map((f) => f.messageId)));
  const missing = Object.keys(rule.messages).filter((id) => !produced.has(id));
  if (missing.length)
    throw new RuleCaseError(
      "message-not-covered",
      `rule ${rule.id}: no invalid case expects message id(s) ${missing.join(", ")}; add a case under its invalid/ folder`,
    );
}
