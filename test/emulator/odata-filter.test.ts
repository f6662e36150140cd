// Table tests for the $filter parser and evaluator (directory case-insensitive, provisioning case-sensitive).
import { describe, expect, it } from "vitest";
import { matchesFilter } from "../../src/emulator/filter-eval.js";
import { FilterError, parseFilter } from "../../src/emulator/odata-filter.js";

const items = [
  {
    id: "a",
    displayName: "Adele Vance",
    userType: "Member",
    accountEnabled: true,
    age: 30,
    mail: null,
    otherMails: ["adele@x.com"],
    identities: [{ issuer: "ExternalAzureAD", signInType: "federated" }],
    created: "2025-03-01T10:00:00Z",
    servicePrincipal: { id: "C8C95753-F628-48E1-9FAB-76C2D4CF624C", displayName: "Fabrikam" },
    provisioningStatusInfo: { status: "failure" },
  },
  {
    id: "b",
    displayName: "O'Brien",
    userType: "Guest",
    accountEnabled: false,
    age: 41,
    mail: "ob@x.com",
    otherMails: [],
    identities: [],
    created: "2025-03-05T00:00:00Z",
    servicePrincipal: { id: "c8c95753-f628-48e1-9fab-76c2d4cf624c", displayName: "fabrikam" },
    provisioningStatusInfo: { status: "Success" },
  },
  {
    id: "c",
    displayName: "Carl",
    userType: null,
    accountEnabled: true,
    age: 20,
    otherMails: ["c@y.com", "carl@x.com"],
    created: "2025-02-20T00:00:00Z",
    servicePrincipal: null,
    provisioningStatusInfo: { status: "skipped" },
  },
];

function ids(filter: string, caseInsensitive: boolean): string[] {
  const parsed = parseFilter(filter);
  return items.filter((i) => matchesFilter(parsed, i, { caseInsensitive })).map((i) => i.id);
}

describe("$filter: directory objects (case-insensitive)", () => {
  it.for([
    ["userType eq 'Guest'", ["b"]],
    ["userType eq 'guest'", ["b"]],
    ["userType eq null", ["c"]],
    ["mail eq null", ["a", "c"]],
    ["userType ne 'Member'", ["b", "c"]],
    ["accountEnabled eq true", ["a", "c"]],
    ["accountEnabled", ["a", "c"]],
    ["not accountEnabled", ["b"]],
    ["displayName eq 'O''Brien'", ["b"]],
    ["age gt 25 and age lt 41", ["a"]],
    ["age ge 30", ["a", "b"]],
    ["age le 30", ["a", "c"]],
    ["userType eq 'Guest' or (age lt 25 and accountEnabled eq true)", ["b", "c"]],
    ["not (userType eq 'Member')", ["b", "c"]],
    ["startswith(displayName,'ad')", ["a"]],
    ["endswith(displayName, 'VANCE')", ["a"]],
    ["contains(tolower(displayName), 'brien')", ["b"]],
    ["toupper(userType) eq 'MEMBER'", ["a"]],
    ["id in ('a', 'c')", ["a", "c"]],
    ["otherMails/any(m:m eq 'carl@x.com')", ["c"]],
    ["otherMails/any()", ["a", "c"]],
    ["identities/any(i:i/issuer eq 'externalazuread' and i/signInType eq 'federated')", ["a"]],
    ["otherMails/all(m:endswith(m,'@x.com'))", ["a", "b"]],
    ["created gt 2025-03-01", ["a", "b"]],
    ["created ge 2025-03-01T10:00:00Z and created lt 2025-03-05T00:00:00Z", ["a"]],
    ["servicePrincipal/id eq 'c8c95753-f628-48e1-9fab-76c2d4cf624c'", ["a", "b"]],
    ["servicePrincipal/id eq c8c95753-f628-48e1-9fab-76c2d4cf624c", ["a", "b"]],
    ["DisplayName eq 'carl'", ["c"]],
  ] as const)("%s", ([filter, expected]) => {
    expect(ids(filter, true)).toEqual(expected);
  });
});

describe("$filter: provisioning logs (case-sensitive strings)", () => {
  it.for([
    ["provisioningStatusInfo/status eq 'failure'", ["a"]],
    ["provisioningStatusInfo/status eq 'success'", []],
    ["provisioningStatusInfo/status eq microsoft.graph.provisioningResult'success'", ["b"]],
    ["servicePrincipal/displayName eq 'fabrikam'", ["b"]],
    ["servicePrincipal/id eq 'c8c95753-f628-48e1-9fab-76c2d4cf624c'", ["b"]],
    ["contains(tolower(servicePrincipal/id), 'c8c95753')", ["a", "b"]],
    [
      "((contains(tolower(servicePrincipal/id), 'c8c95753') or contains(tolower(servicePrincipal/displayName), 'c8c95753')) and created gt 2025-02-28 and created lt 2025-03-02)",
      ["a"],
    ],
    // The outcomes read (src/collect/log-outcomes.ts): one service principal, successes after a time, objects in a group.
    ["servicePrincipal/id eq 'c8c95753-f628-48e1-9fab-76c2d4cf624c' and created gt 2025-03-01T00:00:00Z and (id eq 'a' or id eq 'b' or id eq 'c')", ["b"]],
    ["provisioningStatusInfo/status eq 'skipped' and created gt 2025-02-01T00:00:00.000Z and (id eq 'a' or id eq 'c')", ["c"]],
    ["(id eq 'A' or id eq 'b') and created gt 2025-03-01T00:00:00Z", ["b"]],
  ] as const)("%s", ([filter, expected]) => {
    expect(ids(filter, false)).toEqual(expected);
  });
});

describe("$filter: advanced-query detection and errors", () => {
  it.for([
    ["userType eq 'Member'", false],
    ["userType ne 'Member'", true],
    ["not accountEnabled", true],
    ["endswith(mail,'@x.com')", true],
    ["startswith(mail,'x')", false],
  ] as const)("%s advanced=%s", ([filter, advanced]) => {
    expect(parseFilter(filter).advanced).toBe(advanced);
  });

  it.for([
    "",
    "userType eq",
    "userType eq 'open",
    "userType has 'x'",
    "length(displayName) eq 3",
    "(userType eq 'a'",
    "userType eq 'a')",
    "contains(displayName)",
    "userType eq 'a' xor x",
    "identities/any(i i/issuer eq 'x')",
    "age eq 1 ; drop",
  ])("rejects %j", (filter) => {
    expect(() => parseFilter(filter)).toThrow(FilterError);
  });
});
