// The pure Redactor: B2B UPNs that still correlate, deleted-user prefixes, names, ids, phone numbers and free text.
import { describe, expect, it } from "vitest";
import { homeAddressFromUpn } from "../../src/model/correlate.js";
import { Redactor } from "../../src/snapshot/redactor.js";

const key = Buffer.alloc(32, 1);
const TENANT = "1fd6544e-e994-4de2-9f1b-787b51c7d325";

describe("Redactor", () => {
  it("refuses a key shorter than 16 bytes", () => {
    expect(() => new Redactor(Buffer.alloc(15))).toThrow(/16 bytes/);
  });

  it("pseudonymises the local part, keeps the domain, ignores case", () => {
    const r = new Redactor(key);
    const a = r.address("Alex@Contoso.com");
    expect(a).toMatch(/^u-[0-9a-f]{12}@Contoso\.com$/);
    expect(r.address("alex@contoso.com").toLowerCase()).toBe(a.toLowerCase());
    expect(r.address("alex@fabrikam.com")).not.toMatch(new RegExp(`^${a.split("@")[0]}@`));
  });

  it("re-encodes a B2B UPN so it decodes to the pseudonym of the home address", () => {
    const r = new Redactor(key);
    const upn = r.address("alex.wilber_contoso.com#EXT#@fabrikam.onmicrosoft.com");
    expect(upn).toMatch(/^u-[0-9a-f]{12}_contoso\.com#EXT#@fabrikam\.onmicrosoft\.com$/);
    expect(homeAddressFromUpn(upn)).toBe(r.address("alex.wilber@contoso.com"));
    // A home local part with underscores still splits at the last one.
    expect(homeAddressFromUpn(r.address("first_last_contoso.com#EXT#@fabrikam.onmicrosoft.com"))).toBe(r.address("first_last@contoso.com"));
  });

  it("keeps a deleted user's id prefix as the pseudonymised id", () => {
    const r = new Redactor(key);
    const id = "74e45ce0-a52a-4766-976c-7201b0f99370";
    const upn = r.address("74e45ce0a52a4766976c7201b0f99370leeg_contoso.com#EXT#@fabrikam.onmicrosoft.com");
    expect(upn.slice(0, 32)).toBe(r.objectId(id).replace(/-/g, ""));
    expect(homeAddressFromUpn(upn, true)).toBe(r.address("leeg@contoso.com"));
  });

  it("maps object ids to version-4-shaped GUIDs and leaves preserved ids alone", () => {
    const r = new Redactor(key, [TENANT]);
    const id = r.objectId("0A9C2F6E-5D4B-4C3A-8B1E-2F7D6C5B4A39");
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(r.objectId("0a9c2f6e-5d4b-4c3a-8b1e-2f7d6c5b4a39")).toBe(id);
    expect(r.objectId(TENANT)).toBe(TENANT);
  });

  it("gives people and groups stable, distinct name pseudonyms", () => {
    const r = new Redactor(key);
    expect(r.displayName("Adele Vance")).toMatch(/^Person [0-9a-f]{8}$/);
    expect(r.displayName("Adele Vance")).toBe(new Redactor(key).displayName("Adele Vance"));
    expect(r.groupName("SG-CTS-Fabrikam")).toMatch(/^Group [0-9a-f]{8}$/);
    expect(new Redactor(Buffer.alloc(32, 2)).displayName("Adele Vance")).not.toBe(r.displayName("Adele Vance"));
  });

  it("masks a phone number but its country code", () => {
    const r = new Redactor(key);
    expect(r.phoneNumber("+1 4255550110")).toBe("+1 **********");
    expect(r.phoneNumber("+44 20 7946 0958")).toBe("+44 ** **** ****");
    expect(r.phoneNumber("4255550110")).toBe("**********");
  });

  it("replaces addresses, B2B UPNs, quoted names and known ids in free text, and nothing else", () => {
    const r = new Redactor(key, [TENANT]);
    const userId = "2e08d859-4de4-4205-ac50-d925d47b1a52";
    const pseudoId = r.objectId(userId);
    const lynne = r.displayName("Lynne Robbins");
    const text = r.text(
      `Failed to update User 'lynner@contoso.com' (${userId}) in tenant ${TENANT}: Set-MailUser lynner_contoso.com#EXT#@fabrikam.onmicrosoft.com. Group 'SG-CTS-Fabrikam' was skipped; Lynne Robbins was notified; Lynne Robbinson was not.`,
      { names: true },
    );
    expect(text).toBe(
      `Failed to update User '${r.address("lynner@contoso.com")}' (${pseudoId}) in tenant ${TENANT}: Set-MailUser ${r.address("lynner_contoso.com#EXT#@fabrikam.onmicrosoft.com")}. Group '${r.groupName("SG-CTS-Fabrikam")}' was skipped; ${lynne} was notified; Lynne Robbinson was not.`,
    );
    // Structured text: addresses only, a scoping clause stays intact.
    const clause = `{"Filter external users.alternativeSecurityIds EQUALS 'None'":false,"x.userPrincipalName EQUALS 'adele@contoso.com'":true}`;
    expect(r.text(clause)).toBe(clause.replace("adele@contoso.com", r.address("adele@contoso.com")));
  });
});
