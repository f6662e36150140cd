// Table-driven cases for sms-sign-in-users-skipped: fixtures/rules/sms-sign-in-users-skipped/{valid,invalid}/*.json, plus evidence.
import { describe, expect, it } from "vitest";
import rule from "./rule.js";
import { runRule } from "../../src/engine/run.js";
import { pairFrom } from "../../test/helpers/pair.js";
import { runRuleCases } from "../../test/helpers/rule-cases.js";

runRuleCases(rule);

describe("sms-sign-in-users-skipped: evidence", () => {
  it("says which source found each user, with the user's UPN", async () => {
    const result = runRule(rule, await pairFrom("contoso-fabrikam"));
    expect(result.findings[0]!.objects).toEqual([
      { id: "0a9c2f6e-5d4b-4c3a-8b1e-2f7d6c5b4a39", type: "user", displayName: "Adele Vance", userPrincipalName: "adele@contoso.com" },
    ]);
    const users = (result.findings[0]!.evidence as { users: Record<string, unknown>[] }).users;
    expect(users).toEqual([
      expect.objectContaining({
        userId: "0a9c2f6e-5d4b-4c3a-8b1e-2f7d6c5b4a39",
        foundBy: ["provisioningLogs", "phoneMethods"],
        smsSignInState: "ready",
        skippedLogEntries: 2,
        lastSkipped: "2025-02-28T14:21:03Z",
      }),
    ]);
  });
});
