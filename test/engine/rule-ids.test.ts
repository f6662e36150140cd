// RULE_IDS is the registry's key list in order, so a rule added to one and not the other is caught here as well as by tsc.
import { describe, expect, it } from "vitest";
import { rules } from "../../rules/index.js";
import { isRuleId, RULE_IDS } from "../../src/engine/rule-ids.js";

describe("RULE_IDS", () => {
  it("is sorted, unique, and the registry's keys in order", () => {
    expect([...RULE_IDS]).toEqual([...new Set(RULE_IDS)].sort());
    expect(Object.keys(rules)).toEqual([...RULE_IDS]);
  });

  it("tells rule ids from other strings", () => {
    expect(isRuleId("sms-sign-in-users-skipped")).toBe(true);
    expect(isRuleId("sms-sign-in")).toBe(false);
    expect(isRuleId("")).toBe(false);
  });
});
