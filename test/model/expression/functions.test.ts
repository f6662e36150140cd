// The functions the page gives no output for (roles, Guid, RandomString), evaluation errors, "no flow" and the steps.
import { describe, expect, it } from "vitest";
import {
  DateValue,
  ExpressionEvaluationError,
  ExpressionSyntaxError,
  attributesContext,
  evaluateExpression,
  fromJson,
  toJsonValue,
  type Value,
} from "../../../src/model/expression/index.js";

const NOW = new DateValue(Date.UTC(2026, 0, 5, 9, 30, 0));
const ctx = (attributes: Record<string, Value> = {}, extra = {}) => attributesContext(attributes, NOW, extra);
const value = (expression: string, attributes: Record<string, Value> = {}, extra = {}) => {
  const out = evaluateExpression(expression, ctx(attributes, extra));
  if (!out.flow) throw new Error("no flow");
  return toJsonValue(out.value);
};

describe("app role functions", () => {
  const roles = fromJson([
    { id: "06b07648-ecfe-589f-9d2f-6325724a46ee", value: "Admin", displayName: "Admin" },
    { id: "06b07648-ecfe-599f-9d2f-6325724a46ee", value: "User", displayName: "User" },
  ]);

  it("AppRoleAssignmentsComplex gives every role as the JSON text of the PATCH example", () => {
    expect(value("AppRoleAssignmentsComplex([appRoleAssignments])", { appRoleAssignments: roles })).toEqual([
      '{"id":"06b07648-ecfe-589f-9d2f-6325724a46ee","value":"Admin","displayName":"Admin"}',
      '{"id":"06b07648-ecfe-599f-9d2f-6325724a46ee","value":"User","displayName":"User"}',
    ]);
  });

  it("SingleAppRoleAssignment gives one role, and null without any", () => {
    expect(value("SingleAppRoleAssignment([appRoleAssignments])", { appRoleAssignments: roles })).toBe(
      '{"id":"06b07648-ecfe-589f-9d2f-6325724a46ee","value":"Admin","displayName":"Admin"}',
    );
    expect(value("SingleAppRoleAssignment([appRoleAssignments])", {})).toBeNull();
  });
});

describe("generated values", () => {
  it("Guid uses the injected generator, else a random v4 GUID", () => {
    expect(value("Guid()", {}, { uuid: () => "00aa00aa-bb11-cc22-dd33-44ee44ee44ee" })).toBe("00aa00aa-bb11-cc22-dd33-44ee44ee44ee");
    expect(value("Guid()")).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it.for([
    ["RandomString(6,3,0,0,3)", 6, 3, 0, 0, 3, ""],
    ['RandomString(10,2,2,2,1,"?,")', 10, 2, 2, 2, 1, "?,"],
  ] as const)("%s meets its minimums and avoids the characters", ([expr, length, digits, specials, capitals, lowers, avoid]) => {
    for (let i = 0; i < 50; i++) {
      const s = value(expr) as string;
      expect(s).toHaveLength(length);
      expect(s.replace(/\D/g, "").length).toBeGreaterThanOrEqual(digits);
      expect(s.replace(/[A-Za-z0-9]/g, "").length).toBeGreaterThanOrEqual(specials);
      expect(s.replace(/[^A-Z]/g, "").length).toBeGreaterThanOrEqual(capitals);
      expect(s.replace(/[^a-z]/g, "").length).toBeGreaterThanOrEqual(lowers);
      for (const c of avoid) expect(s).not.toContain(c);
    }
  });

  it("RandomString refuses minimums longer than the string, and more than 256 characters", () => {
    expect(() => value("RandomString(3,2,2,0,0)")).toThrow(ExpressionEvaluationError);
    expect(() => value("RandomString(257,0,0,0,0)")).toThrow(/1 to 256/);
  });
});

describe("evaluation errors name the function", () => {
  it.for([
    ["Item([proxyAddresses], 0)", /Item: index is 1-based/],
    ['CDate("not a date")', /CDate: cannot read "not a date" as a date/],
    ['DateAdd("q", 1, Now())', /DateAdd: interval must be one of yyyy, m, d, ww, h, n, s/],
    ['Left("abc", "x")', /Left: NumChars must be a number/],
    ['Replace("abc", , "(", , "", , )', /Replace: regexPattern is not a valid regular expression/],
    ['ToLower("A", "not a culture!")', /ToLower: unknown culture/],
    ['FormatDateTime("2015", , "yyyyMMdd", "yyyy")', /FormatDateTime: "2015" does not match the input format/],
    ['DateFromNum("abc")', /DateFromNum: value must be an AD date/],
  ] as const)("%s", ([expr, message]) => {
    expect(() => value(expr)).toThrow(message);
  });
});

describe("no flow", () => {
  it("IgnoreFlowIfNullOrEmpty anywhere in the expression drops the attribute, with the reason", () => {
    const out = evaluateExpression('Join(" ", [givenName], IgnoreFlowIfNullOrEmpty([surname]))', ctx({ givenName: "Ann" }));
    expect(out).toMatchObject({ flow: false, reason: expect.stringContaining("null") });
  });
});

describe("steps", () => {
  it("records each call innermost first, with its depth, and hides values inside Redact", () => {
    const out = evaluateExpression('Append(Redact(ToLower([upn])), ".test")', ctx({ upn: "A@B.C" }), { trace: true });
    expect(out.steps).toEqual([
      { text: "ToLower([upn])", value: "[Redact]", depth: 2 },
      { text: "Redact(ToLower([upn]))", value: "[Redact]", depth: 1 },
      { text: 'Append(Redact(ToLower([upn])), ".test")', value: "a@b.c.test", depth: 0 },
    ]);
  });
});

describe("attributes", () => {
  it("reads names exactly, then case-insensitively as Graph names are; a missing one is null", () => {
    expect(value("[UserPrincipalName]", { userPrincipalName: "a@b.c" })).toBe("a@b.c");
    expect(value("IsNull([nothing])")).toBe(true);
  });

  it("turns a reference ({ id }) into its id", () => {
    expect(fromJson({ id: "m-1" })).toBe("m-1");
  });
});

describe("syntax errors name the position", () => {
  it.for([
    ['Append([a], "x"', 15, /expected "," or "\)" in Append\(…\), found the end of the expression at position 16/],
    ['append([a], "x")', 0, /unknown function append \(names are case-sensitive: Append\) at position 1/],
    ['Left("abc")', 0, /Left takes 2 arguments, not 1 at position 1/],
    ['Switch([a], "d", "k")', 0, /Switch takes at least 4 arguments/],
    ['Switch([a], "d", "k", "v", "k2")', 0, /an even number of arguments/],
    ['Join("@", SelectUniqueValue([a], [b]))', 10, /SelectUniqueValue must be at the top level/],
    ['Append("abc, [a])', 7, /unterminated string constant/],
    ["Append([a, x)", 7, /unterminated attribute name/],
    ["Append([a], 'x')", 12, /unexpected character "'"/],
    ["Append([], [a])", 7, /empty attribute name/],
    ['Append([a], "x") "y"', 17, /unexpected "y" after the expression/],
    ["IIF([a] = [b] = [c], 1, 2)", 14, /expected "," or "\)" in IIF/],
    ["InStr([a], [b], 1, vbSometimes)", 19, /unknown name vbSometimes/],
  ] as const)("%s", ([expr, offset, message]) => {
    try {
      evaluateExpression(expr, ctx());
      expect.unreachable("no syntax error");
    } catch (err) {
      expect(err).toBeInstanceOf(ExpressionSyntaxError);
      expect((err as ExpressionSyntaxError).position).toBe(offset + 1);
      expect((err as Error).message).toMatch(message);
    }
  });

  it("accepts escapes, &H hex, negative numbers and new lines", () => {
    expect(value('Append("Company name: \\"Contoso\\" \\\\ ", CStr(&H1F))')).toBe('Company name: "Contoso" \\ 31');
    expect(value('DateAdd(\n"d",\n-1,\n"2021-01-01")')).toBe("12/31/2020 12:00:00 AM");
  });
});

describe("date limits", () => {
  it("DateAdd past year 9999 is an evaluation error, not a NaN date", () => {
    expect(() => value('DateAdd("yyyy", 100000, Now())')).toThrow(/leaves the dates/);
    expect(value('DateAdd("m", 1, "2021-01-31")')).toBe("2/28/2021 12:00:00 AM");
  });
});
