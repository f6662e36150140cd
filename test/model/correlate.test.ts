// The shared correlation of source and target users, and the error-code normalisation.
import { describe, expect, it } from "vitest";
import { correlateUsers, homeAddressFromUpn } from "../../src/model/correlate.js";
import { normalizeErrorCode } from "../../src/model/signals.js";
import type { User } from "../../src/snapshot/graph-types.js";

const u = (id: string, props: Partial<User>): User => ({ id, ...props });

describe("homeAddressFromUpn", () => {
  it.each([
    ["alex.wilber_contoso.com#EXT#@fabrikam.onmicrosoft.com", false, "alex.wilber@contoso.com"],
    ["Lee_Gu_contoso.com#EXT#@fabrikam.onmicrosoft.com", false, "lee_gu@contoso.com"],
    ["74e45ce0a52a4766976c7201b0f99370leegu_contoso.com#EXT#@fabrikam.onmicrosoft.com", true, "leegu@contoso.com"],
    ["plain@fabrikam.com", false, undefined],
    ["_contoso.com#EXT#@fabrikam.onmicrosoft.com", false, undefined],
    [null, false, undefined],
  ])("%s → %s", (upn, deleted, want) => {
    expect(homeAddressFromUpn(upn, deleted)).toBe(want);
  });
});

describe("correlateUsers", () => {
  const source = [
    u("s1", { mail: "Alex.Wilber@contoso.com", userPrincipalName: "alexw@contoso.com" }),
    u("s2", { mail: null, userPrincipalName: "megan@contoso.com" }),
    u("s3", { mail: "lee@contoso.com", userPrincipalName: "lee@contoso.com" }),
    u("s4", { mail: "nobody@contoso.com", userPrincipalName: "nobody@contoso.com" }),
    u("s5", { mail: "o'brien@contoso.com", userPrincipalName: "obrien@contoso.com" }),
  ];
  const target = [
    u("t1", { mail: "alex.wilber@contoso.com", userPrincipalName: "alex.wilber_contoso.com#EXT#@fabrikam.onmicrosoft.com" }),
    u("t2", { mail: null, otherMails: ["MEGAN@contoso.com"], userPrincipalName: "x#EXT#@fabrikam.onmicrosoft.com" }),
    u("t5", { mail: null, userPrincipalName: "o'brien_contoso.com#EXT#@fabrikam.onmicrosoft.com" }),
  ];
  const deleted = [u("d3", { mail: "lee@contoso.com", userPrincipalName: "74e45ce0a52a4766976c7201b0f99370lee_contoso.com#EXT#@fabrikam.onmicrosoft.com" })];
  const result = correlateUsers(source, target, deleted);

  it("matches by mail (case-insensitive), otherMails and the #EXT# UPN prefix", () => {
    expect(result.map((c) => [c.source.id, c.target?.id, c.matchedBy])).toEqual([
      ["s1", "t1", "mail"],
      ["s2", "t2", "otherMails"],
      ["s3", undefined, undefined],
      ["s4", undefined, undefined],
      ["s5", "t5", "upnPrefix"],
    ]);
  });

  it("finds soft-deleted counterparts", () => {
    expect(result.find((c) => c.source.id === "s3")?.deleted?.id).toBe("d3");
    expect(result.find((c) => c.source.id === "s4")?.deleted).toBeUndefined();
  });
});

describe("normalizeErrorCode", () => {
  it.each([
    ["AzureActiveDirectoryForbidden", "AzureActiveDirectoryForbidden"],
    ["Microsoft Entra IDForbidden", "AzureActiveDirectoryForbidden"],
    ["Microsoft Entra ID QuotaLimitExceeded", "AzureActiveDirectoryQuotaLimitExceeded"],
    ["EntityTypeNotSupported", "EntityTypeNotSupported"],
    ["", undefined],
    [null, undefined],
  ])("%s → %s", (code, want) => {
    expect(normalizeErrorCode(code)).toBe(want);
  });
});
