// The rule tester itself, on a rule made up here and cases written to a temp dir: what it accepts and each refusal.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { defineRule } from "../../src/engine/define.js";
import type { Rule } from "../../src/engine/types.js";
import { loadRuleCases, RuleCaseError, type RuleCaseErrorCode } from "../helpers/rule-case-file.js";
import { runRuleCases } from "../helpers/rule-cases.js";
import { checkCase, checkCoverage } from "../helpers/rule-tester.js";

const TARGET = "4a12efe6-aa14-4d03-8dff-88fc89e2e2ad";

/** Reports from the target's externalIdentitiesPolicy; {{policy}} stays unfilled when the policy has no displayName. */
const madeUp = defineRule({
  id: "made-up-leave",
  title: "t",
  severity: "medium",
  side: "target",
  area: "policies",
  symptom: "symptom text",
  cause: "cause text",
  detection: "detection text",
  fix: { summary: "s", portal: "p", graph: [] },
  references: [{ title: "r", url: "https://learn.microsoft.com/x" }],
  needs: ["target.externalIdentitiesPolicy"],
  messages: {
    allowed: "{{policy}} of {{tenantId}} lets external users leave.",
    unset: "{{policy}} of {{tenantId}} does not say whether external users may leave.",
  },
  check(pair, ctx) {
    const policy = pair.get("target.externalIdentitiesPolicy");
    if (policy.allowExternalIdentitiesToLeave === false) return;
    ctx.report({
      messageId: policy.allowExternalIdentitiesToLeave === true ? "allowed" : "unset",
      data: { tenantId: pair.target.tenantId, policy: typeof policy.displayName === "string" ? policy.displayName : undefined },
      objects: [{ id: pair.target.tenantId, type: "policy", displayName: "policy" }],
    });
  },
}) as Rule;

const policy = (patch: Record<string, unknown>) => ({
  "target.externalIdentitiesPolicy": { id: "externalIdentityPolicy", displayName: "External Identities Policy", ...patch },
});
const finding = (messageId: string, extra: Record<string, unknown> = {}) => ({ messageId, side: "target", objectIds: [TARGET], ...extra });

const GOOD: Record<string, object> = {
  "valid/stays.json": { description: "Leaving is off.", expect: { status: "pass" } },
  "invalid/allowed.json": {
    description: "Leaving is on.",
    facets: policy({ allowExternalIdentitiesToLeave: true }),
    expect: { status: "fail", findings: [finding("allowed", { data: { tenantId: TARGET, policy: "External Identities Policy" } })] },
  },
  "invalid/unset.json": { description: "Leaving is not set.", facets: policy({}), expect: { status: "fail", findings: [finding("unset")] } },
};

const dirs: string[] = [];
afterAll(() => {
  dirs.forEach((d) => {
    rmSync(d, { recursive: true, force: true });
  });
});

/** A case folder holding GOOD with `changes` applied (a null value removes that file). */
function caseFolder(changes: Record<string, object | null> = {}): string {
  const dir = mkdtempSync(path.join(tmpdir(), "rule-tester-"));
  dirs.push(dir);
  for (const [name, content] of Object.entries({ ...GOOD, ...changes })) {
    if (content === null) continue;
    mkdirSync(path.join(dir, path.dirname(name)), { recursive: true });
    writeFileSync(path.join(dir, name), JSON.stringify(content, null, 1));
  }
  return dir;
}

/** Runs every case and the coverage check of a folder, as the rule tests do. */
async function testFolder(dir: string): Promise<void> {
  const { valid, invalid } = loadRuleCases(dir);
  for (const c of [...valid, ...invalid]) await checkCase(madeUp, c);
  checkCoverage(madeUp, invalid);
}

async function refusal(dir: string): Promise<RuleCaseError> {
  const err = await testFolder(dir).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(RuleCaseError);
  return err as RuleCaseError;
}

async function expectRefused(changes: Record<string, object | null>, code: RuleCaseErrorCode, message: RegExp): Promise<void> {
  const err = await refusal(caseFolder(changes));
  expect(err.code, err.message).toBe(code);
  expect(err.message).toMatch(message);
}

describe("rule tester", () => {
  it("accepts cases that match the rule", async () => {
    await expect(testFolder(caseFolder())).resolves.toBeUndefined();
  });

  it("refuses an expected finding without messageId", async () => {
    const withoutId: Partial<ReturnType<typeof finding>> = finding("unset");
    delete withoutId.messageId;
    await expectRefused(
      { "invalid/unset.json": { ...GOOD["invalid/unset.json"], expect: { status: "fail", findings: [withoutId] } } },
      "invalid-case",
      /^invalid\/unset\.json: missing expect\.findings\.0\.messageId/,
    );
  });

  it("refuses unknown keys, naming the file and the key's path", async () => {
    await expectRefused(
      { "invalid/unset.json": { ...GOOD["invalid/unset.json"], expect: { status: "fail", findings: [finding("unset", { objectId: TARGET })] } } },
      "invalid-case",
      /^invalid\/unset\.json: unknown key expect\.findings\.0\.objectId$/,
    );
    await expectRefused(
      { "valid/stays.json": { description: "x", expect: { status: "pass" }, facet: {} } },
      "invalid-case",
      /^valid\/stays\.json: unknown key facet$/,
    );
    await expectRefused(
      {
        "valid/stays.json": { description: "x", expect: { status: "pass" }, status: { "target.externalIdentitiesPolicy": { status: "denied", reason: "x" } } },
      },
      "invalid-case",
      /unknown key status\.target\.externalIdentitiesPolicy\.reason/,
    );
    await expectRefused(
      { "valid/stays.json": { description: "x", expect: { status: "pass" }, facets: { "target.partners": null } } },
      "invalid-case",
      /^valid\/stays\.json: unknown key facets\.target\.partners$/,
    );
  });

  it("refuses a facet patch that does not have the facet's shape, and an unknown scenario", async () => {
    await expectRefused(
      { "valid/stays.json": { description: "x", facets: { "target.deletedUsers": [{ displayName: "no id" }] }, expect: { status: "pass" } } },
      "invalid-case",
      /facets\.target\.deletedUsers: at 0\.id: expected string/,
    );
    await expectRefused(
      { "valid/stays.json": { description: "x", base: "no-such-scenario", expect: { status: "pass" } } },
      "invalid-case",
      /base: no such scenario/,
    );
  });

  it("refuses a duplicate case: the same input, whatever the description or expectation", async () => {
    await expectRefused(
      { "valid/again.json": { ...GOOD["valid/stays.json"], description: "Same again." } },
      "duplicate-case",
      /^valid\/stays\.json: duplicate case, same input as valid\/again\.json/,
    );
    await expectRefused(
      { "valid/contradicts.json": { description: "Said to pass.", facets: policy({}), base: "healthy", expect: { status: "pass" } } },
      "duplicate-case",
      /^invalid\/unset\.json: duplicate case, same input as valid\/contradicts\.json/,
    );
  });

  it("fails a finding whose rendered message keeps an unfilled {{placeholder}}", async () => {
    const noName = { id: "externalIdentityPolicy", allowExternalIdentitiesToLeave: true };
    await expectRefused(
      {
        "invalid/allowed.json": {
          description: "No displayName.",
          facets: { "target.externalIdentitiesPolicy": noName },
          expect: { status: "fail", findings: [finding("allowed")] },
        },
      },
      "unfilled-placeholder",
      /^invalid\/allowed\.json: finding 0 \(allowed\) leaves \{\{policy\}\} unfilled/,
    );
  });

  it("refuses a rule whose declared messageId no invalid case produces", async () => {
    await expectRefused({ "invalid/unset.json": null }, "message-not-covered", /^rule made-up-leave: no invalid case expects message id\(s\) unset;/);
  });

  it("refuses an expected messageId or data key the rule does not declare", async () => {
    await expectRefused(
      { "invalid/unset.json": { ...GOOD["invalid/unset.json"], expect: { status: "fail", findings: [finding("unsett")] } } },
      "undeclared-message",
      /messageId "unsett" is not declared by rule made-up-leave \(declared: allowed, unset\)/,
    );
    await expectRefused(
      { "invalid/unset.json": { ...GOOD["invalid/unset.json"], expect: { status: "fail", findings: [finding("unset", { data: { tenant: TARGET } })] } } },
      "unknown-data-key",
      /data key\(s\) tenant are not placeholders of message "unset"/,
    );
  });

  it("fails a case whose rule reports another messageId, other data or another side", async () => {
    const allowed = GOOD["invalid/allowed.json"] as { expect: { findings: object[] } };
    const wrong = (f: object) => ({ "invalid/allowed.json": { ...allowed, expect: { status: "fail", findings: [f] } } });
    await expectRefused(wrong(finding("unset")), "finding-mismatch", /^invalid\/allowed\.json: the findings differ/);
    await expectRefused(wrong(finding("allowed", { data: { tenantId: "1fd6544e-e994-4de2-9f1b-787b51c7d325" } })), "finding-mismatch", /findings differ/);
    await expectRefused(wrong(finding("allowed", { side: "source" })), "finding-mismatch", /findings differ/);
    await expectRefused(wrong({ ...finding("allowed"), errorCode: "E1" }), "finding-mismatch", /findings differ/);
  });

  it("fails a case whose status or reason differs", async () => {
    await expectRefused(
      { "valid/stays.json": { ...GOOD["valid/stays.json"], expect: { status: "inconclusive" } } },
      "status-mismatch",
      /expected status inconclusive, got pass/,
    );
    const denied = { "target.externalIdentitiesPolicy": { status: "denied", error: { code: "Authorization_RequestDenied", message: "no" } } };
    await expectRefused(
      { "valid/stays.json": { description: "Denied.", status: denied, expect: { status: "inconclusive", reason: "grant User.Read.All" } } },
      "status-mismatch",
      /the reason does not contain "grant User\.Read\.All"/,
    );
  });
});

// The vitest adapter the rules use, on the same made-up rule and a good folder.
runRuleCases(madeUp, caseFolder());
