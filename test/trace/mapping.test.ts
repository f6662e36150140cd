// The trace's "mapping" link on bundled scenarios: all values match, drift, and a schema that was not collected.
import { describe, expect, it } from "vitest";
import { PROVISIONING_CODE_BOOK as codes, ruleBook } from "../../src/cli/trace-user.js";
import { traceFromFacts } from "../../src/trace/chain.js";
import type { MappedAttribute } from "../../src/trace/mapping.js";
import { traceText } from "../../src/trace/render.js";
import { snapshotFacts } from "../../src/trace/snapshot.js";
import type { TraceResult } from "../../src/trace/types.js";
import { pairFrom, type PairPatch } from "../helpers/pair.js";

const MEGAN = "meganb@contoso.com";
const denied: PairPatch = {
  status: { "source.syncSchemas": { status: "denied", error: { code: "Authorization_RequestDenied", message: "Insufficient privileges" } } },
};

async function trace(scenario: string, query: string, patch: PairPatch = {}): Promise<TraceResult> {
  return traceFromFacts(snapshotFacts(await pairFrom(scenario, patch), query), ruleBook(), { codes });
}

const mappingOf = (t: TraceResult) => t.links.find((l) => l.name === "mapping")!;
const attributesOf = (t: TraceResult) => (mappingOf(t).evidence.attributes ?? []) as MappedAttribute[];
const attr = (t: TraceResult, name: string) => attributesOf(t).find((a) => a.attribute === name);

describe("trace-user mapping link", () => {
  const cases: { name: string; scenario: string; patch?: PairPatch; status: string; differing: string[]; verdict: string }[] = [
    { name: "every mapped value matches the target", scenario: "healthy", status: "ok", differing: [], verdict: "ok" },
    { name: "the source mail drifted from the target's", scenario: "user-data-problems", status: "warning", differing: ["mail"], verdict: "warning" },
    { name: "the schema was not collected", scenario: "healthy", patch: denied, status: "unknown", differing: [], verdict: "ok" },
  ];
  it.each(cases)("$name → $status", async ({ scenario, patch, status, differing, verdict }) => {
    const t = await trace(scenario, MEGAN, patch);
    const link = mappingOf(t);
    expect(link.status).toBe(status);
    expect(
      attributesOf(t)
        .filter((a) => a.differs)
        .map((a) => a.attribute),
    ).toEqual(differing);
    expect(t.verdict.status).toBe(verdict);
    // The link sits after the scoping and assignment links and before the target.
    const names = t.links.map((l) => l.name);
    expect(names.indexOf("mapping")).toBe(names.indexOf("target-user") - 1);
    expect(names.indexOf("mapping")).toBeGreaterThan(names.indexOf("scoping-filter"));
  });

  it("shows each attribute's expression, value, flow type and the target's value", async () => {
    const t = await trace("healthy", MEGAN);
    expect(attr(t, "displayName")).toMatchObject({ expression: "[displayName]", flowType: "Always", value: "Megan Bowen", differs: false });
    expect(attr(t, "userType")).toMatchObject({ expression: '"Member"', value: "Member", targetValue: "Member", differs: false });
    // An undocumented function is not guessed: its error is the value, and it never counts as a match.
    expect(attr(t, "alternativeSecurityIds")?.error).toMatch(/AltSecIdFromNetId/);
    expect(mappingOf(t).detail).toMatch(/Not established \(reasons in the evidence\): .*alternativeSecurityIds/);
  });

  it("knows IsSoftDeleted on both sides: neither a listed source user nor a listed target user is soft-deleted", async () => {
    const t = await trace("healthy", MEGAN);
    expect(attr(t, "IsSoftDeleted")).toMatchObject({ expression: "[IsSoftDeleted]", value: false, targetValue: false, differs: false });
    expect(attr(t, "IsSoftDeleted")?.targetUnknown).toBeUndefined();
    expect(mappingOf(t).detail).not.toContain("IsSoftDeleted");
  });

  it("names the drift, old and new, in the detail and the text output", async () => {
    const t = await trace("user-data-problems", MEGAN);
    expect(attr(t, "mail")).toMatchObject({ value: "meganb@contoso-old.net", targetValue: "meganb@contoso.com", differs: true });
    expect(mappingOf(t).detail).toContain('mail: target "meganb@contoso.com", mapping "meganb@contoso-old.net" ([mail])');
    expect(t.verdict.message).toMatch(/^mapping: /);
    expect(traceText(t)).toContain('- mail ← [mail] = "meganb@contoso-old.net" [Always]  DIFFERS: target has "meganb@contoso.com"');
  });

  it("says why when the schema is missing, never ok", async () => {
    const link = mappingOf(await trace("healthy", MEGAN, denied));
    expect(link.detail).toMatch(/^The configuration's schema could not be read: source.syncSchemas is denied/);
    expect(link.evidence).toEqual({});
  });

  it("a target-user warning speaks before mapping drift in the verdict (the pending invitee's stale UPN)", async () => {
    const t = await trace("contoso-fabrikam", "alexw@contoso.com");
    expect(mappingOf(t).status).toBe("warning");
    expect(attr(t, "userPrincipalName")?.differs).toBe(true);
    expect(t.links.find((l) => l.name === "target-user")?.ruleIds).toEqual(["pending-acceptance-upn-stale"]);
  });
});
