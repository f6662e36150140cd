// Scoping-filter evaluation: one table per operator (as the Learn page defines them), then groups and sets.
import { describe, expect, it } from "vitest";
import { known, unknown } from "../../src/model/known.js";
import fc from "fast-check";
import { clauseText, evaluateOperator, evaluateScope, failingClauses, normalizeOperator, scopeOutcome, type ClauseOutcome } from "../../src/model/scoping.js";

type Row = [operator: string, value: unknown, values: string[], expected: ClauseOutcome];

const table: Record<string, Row[]> = {
  EQUALS: [
    ["EQUALS", "Sales", ["Sales"], "pass"],
    ["EQUALS", "sales", ["Sales"], "fail"], // case sensitive
    ["EQUALS", "Marketing", ["Sales", "Marketing"], "pass"],
    ["EQUALS", null, ["Sales"], "fail"],
    ["EQUALS", "", ["Sales"], "fail"],
    ["EQUALS", "None", ["None"], "pass"],
    ["EQUALS", true, ["True"], "pass"],
    ["EQUALS", ["Sales", "HR"], ["Sales"], "unknown"], // multi-valued attributes are not supported
  ],
  "NOT EQUALS": [
    ["NOT EQUALS", "Sales", ["Sales"], "fail"],
    ["NOT EQUALS", "sales", ["Sales"], "pass"],
    ["NOT EQUALS", null, ["Sales"], "fail"], // false for null / empty
    ["NOT_EQUALS", "HR", ["Sales"], "pass"],
  ],
  "IS TRUE": [
    ["IS TRUE", true, [], "pass"],
    ["IS TRUE", "True", [], "pass"],
    ["IS TRUE", false, [], "fail"],
    ["IS TRUE", null, [], "fail"],
    ["IS TRUE", "yes", [], "fail"],
  ],
  "IS FALSE": [
    ["IS FALSE", false, [], "pass"],
    ["IS FALSE", "false", [], "pass"],
    ["IS FALSE", true, [], "fail"],
    ["IS FALSE", null, [], "fail"],
  ],
  "IS NULL": [
    ["IS NULL", null, [], "pass"],
    ["IS NULL", "", [], "pass"],
    ["IS NULL", "Sales", [], "fail"],
    ["IS NULL", false, [], "fail"],
  ],
  "IS NOT NULL": [
    ["IS NOT NULL", "Engineer", [], "pass"],
    ["IS NOT NULL", null, [], "fail"],
    ["IS NOT NULL", "", [], "fail"],
  ],
  "REGEX MATCH": [
    ["REGEX MATCH", "alex@contoso.com", [".*@contoso\\.com"], "pass"],
    ["REGEX MATCH", "alex@fabrikam.com", [".*@contoso\\.com"], "fail"],
    ["REGEX MATCH", "ALEX@CONTOSO.COM", [".*@contoso\\.com"], "fail"], // case sensitive
    ["REGEX MATCH", "ALEX@CONTOSO.COM", ["(?i).*@contoso\\.com"], "pass"], // .NET inline flag
    ["REGEX MATCH", "1500000", ["^(1[0-9]{6})$"], "pass"],
    ["REGEX MATCH", "2500000", ["^(1[0-9]{6})$"], "fail"],
    ["REGEX MATCH", null, [".*"], "fail"],
    ["REGEX MATCH", "x", ["("], "unknown"], // invalid pattern
  ],
  "NOT REGEX MATCH": [
    ["NOT REGEX MATCH", "alex@fabrikam.com", [".*@contoso\\.com"], "pass"],
    ["NOT REGEX MATCH", "alex@contoso.com", [".*@contoso\\.com"], "fail"],
    ["NOT REGEX MATCH", null, [".*@contoso\\.com"], "fail"], // "returns false if the attribute is null / empty"
  ],
  Greater_Than: [
    ["Greater_Than", "10", ["5"], "pass"],
    ["Greater_Than", 5, ["5"], "fail"],
    ["Greater_Than", "abc", ["5"], "fail"], // both must be integers
    ["Greater_Than", null, ["5"], "fail"],
  ],
  Greater_Than_OR_EQUALS: [
    ["Greater_Than_OR_EQUALS", "5", ["5"], "pass"],
    ["Greater_Than_OR_EQUALS", 4, ["5"], "fail"],
    ["GREATER THAN OR EQUALS", "6", ["5"], "pass"],
    ["Greater_Than_OR_EQUALS", "5.5", ["5"], "fail"],
  ],
  Includes: [
    ["Includes", "Sales EMEA", ["EMEA"], "pass"],
    ["Includes", "Sales emea", ["EMEA"], "fail"], // case sensitive
    ["Includes", null, ["EMEA"], "fail"],
  ],
  ENDS_WITH: [
    ["ENDS_WITH", "alex@contoso.com", ["@contoso.com"], "pass"],
    ["ENDS_WITH", "alex@contoso.com.evil", ["@contoso.com"], "fail"],
  ],
  "&": [
    ["&", "Sales", ["Sales,Marketing"], "pass"],
    ["&", "HR", ["Sales,Marketing"], "fail"],
  ],
  "!&": [
    ["!&", "HR", ["Sales,Marketing"], "pass"],
    ["!&", "Sales", ["Sales,Marketing"], "fail"],
    ["!&", null, ["Sales"], "fail"],
  ],
  unknown: [["CONTAINS_SOMEHOW", "x", ["x"], "unknown"]],
};

describe.each(Object.entries(table))("operator %s", (_name, rows) => {
  it.each(rows)("%s %j vs %j → %s", (operator, value, values, expected) => {
    const result = evaluateOperator(operator, value, values);
    expect(result.outcome).toBe(expected);
    expect(result.why.length).toBeGreaterThan(0);
  });
});

describe("operator names", () => {
  it("accept the API's spaces and the portal's underscores alike, the same on every call", () => {
    for (let i = 0; i < 2; i++) {
      expect(normalizeOperator("Greater_Than_OR_EQUALS")).toBe("GREATER THAN OR EQUALS");
      expect(normalizeOperator("not  regex match")).toBe("NOT REGEX MATCH");
    }
  });
});

describe("clause text", () => {
  it("is the logs' text for the group it is evaluated in, also when one clause object is seen under two names", () => {
    const c = { sourceOperandName: "department", operatorName: "EQUALS", targetOperand: { values: ["Sales", "HR"] } };
    expect(clauseText("First", c)).toBe("First.department EQUALS 'Sales','HR'");
    expect(clauseText("Second", c)).toBe("Second.department EQUALS 'Sales','HR'");
    expect(clauseText("First", c)).toBe("First.department EQUALS 'Sales','HR'");
  });
});

describe("evaluateScope", () => {
  const user: Record<string, unknown> = { department: "Sales", jobTitle: null, alternativeSecurityIds: "None" };
  const read = (name: string) => (name === "extensionAttribute1" ? unknown<unknown>("not collected") : known(user[name] ?? null));
  const clause = (sourceOperandName: string, operatorName: string, ...values: string[]) => ({ sourceOperandName, operatorName, targetOperand: { values } });

  it("ANDs the clauses of a group and names the failing one", () => {
    const r = evaluateScope(
      {
        groups: [{ name: "Filter external users", clauses: [clause("alternativeSecurityIds", "EQUALS", "None"), clause("department", "EQUALS", "Marketing")] }],
      },
      read,
    );
    expect(r.outcome).toBe("fail");
    expect(failingClauses(r, "fail").map((c) => c.text)).toEqual(["Filter external users.department EQUALS 'Marketing'"]);
  });

  it("ORs the groups of a set", () => {
    const r = evaluateScope(
      {
        groups: [
          { name: "A", clauses: [clause("department", "EQUALS", "HR")] },
          { name: "B", clauses: [clause("department", "EQUALS", "Sales")] },
        ],
      },
      read,
    );
    expect(r.outcome).toBe("pass");
  });

  it("needs every non-empty set (inputFilterGroups and groups) to hold", () => {
    const r = evaluateScope(
      {
        inputFilterGroups: [{ name: "in", clauses: [clause("jobTitle", "IS NOT NULL")] }],
        groups: [{ name: "g", clauses: [clause("department", "EQUALS", "Sales")] }],
      },
      read,
    );
    expect(r.outcome).toBe("fail");
  });

  it("is unknown, not pass, when an attribute could not be read and nothing else fails", () => {
    const r = evaluateScope(
      { groups: [{ name: "g", clauses: [clause("extensionAttribute1", "EQUALS", "x"), clause("department", "EQUALS", "Sales")] }] },
      read,
    );
    expect(r.outcome).toBe("unknown");
    expect(failingClauses(r, "unknown")[0]!.why).toBe("not collected");
  });

  it("passes when the mapping has no filter", () => {
    expect(evaluateScope(null, read).outcome).toBe("pass");
    expect(evaluateScope({ groups: [], inputFilterGroups: [], categoryFilterGroups: [] }, read).outcome).toBe("pass");
  });
});

describe("scopeOutcome (the outcome alone, as predict asks it first)", () => {
  const rows = Object.values(table).flat();

  it.each(rows)("%s %j vs %j → %s, as evaluateScope says", (operator, value, values, expected) => {
    const scope = { groups: [{ name: "g", clauses: [{ sourceOperandName: "a", operatorName: operator, targetOperand: { values } }] }] };
    const read = () => known(value);
    expect(scopeOutcome(scope, read)).toBe(expected);
    expect(evaluateScope(scope, read).outcome).toBe(expected);
  });

  it("agrees with evaluateScope on any scope: sets, groups, clauses, unknown attributes, clauses without an operator", () => {
    const clause = fc.record({
      sourceOperandName: fc.constantFrom("a", "b", "missing", ""),
      operatorName: fc.constantFrom(...rows.map((r) => r[0]), ""),
      targetOperand: fc.record({ values: fc.constantFrom(...rows.map((r) => r[2])) }),
    });
    const groups = fc.array(fc.record({ name: fc.constant("g"), clauses: fc.array(clause, { maxLength: 3 }) }), { maxLength: 3 });
    const scope = fc.record({ groups, inputFilterGroups: groups, categoryFilterGroups: groups }, { requiredKeys: [] });
    const values = fc.constantFrom(...rows.map((r) => r[1]));
    fc.assert(
      fc.property(scope, values, values, (sc, a, b) => {
        const read = (name: string) => (name === "a" ? known(a) : name === "b" ? known(b) : unknown<unknown>("not collected"));
        expect(scopeOutcome(sc, read)).toBe(evaluateScope(sc, read).outcome);
      }),
      { numRuns: 500 },
    );
  });
});
