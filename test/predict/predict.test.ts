// predict on the bundled scenarios: one case per action kind, checked against the scenarios' logs and target users.
import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import type { Pair } from "../../src/model/pair.js";
import { renderPredictCsv } from "../../src/predict/csv.js";
import { predictPair } from "../../src/predict/predict.js";
import type { Prediction } from "../../src/predict/types.js";
import { NO_CHANGE_TEXT } from "../../src/predict/user.js";
import type { ProvisioningLogEntry, SynchronizationSchema, User } from "../../src/snapshot/graph-types.js";
import { pairFrom } from "../helpers/pair.js";

const byName = (p: Prediction, name: string) => p.users.find((u) => u.displayName === name)!;

/** The schemas facet with the user mapping changed by `edit`. */
function schemasWith(pair: Pair, edit: (mappings: NonNullable<SynchronizationSchema["synchronizationRules"]>[number]["objectMappings"]) => void) {
  const schemas = structuredClone(pair.get("source.syncSchemas"));
  for (const jobs of Object.values(schemas)) for (const s of Object.values(jobs)) for (const r of s.synchronizationRules ?? []) edit(r.objectMappings);
  return schemas;
}

function logOf(pair: Pair, name: string): ProvisioningLogEntry[] {
  return pair.get("source.provisioningLogs").filter((e) => e.sourceIdentity?.displayName === name);
}

describe("predict on healthy", () => {
  it("no change for all 14 in-scope users, as the logs' RedundantExport skip says, and the Northwind guests stay", async () => {
    const pair = await pairFrom("healthy");
    const p = predictPair(pair);
    expect(p.counts).toEqual({ create: 0, update: 0, "no-change": 14, skip: 0, deprovision: 0, inconclusive: 0 });
    expect(p.users.every((u) => u.reason === NO_CHANGE_TEXT)).toBe(true);
    const redundant = pair.get("source.provisioningLogs").find((e) => e.provisioningStatusInfo?.status === "skipped");
    expect(redundant?.provisioningStatusInfo?.errorInformation?.reason).toBe(NO_CHANGE_TEXT);
    expect(p.lastCycleSucceeded).toBe(true);
    // IsSoftDeleted is the service's own attribute: a listed target user is not soft-deleted, so it is known, not unknown.
    expect(p.users.flatMap((u) => u.unknown.map((x) => x.attribute))).not.toContain("IsSoftDeleted");
  });

  it("update: a target attribute edited in the target is a change old → new, and drift after a successful cycle", async () => {
    const base = await pairFrom("healthy");
    const targets = base.get("target.users").map((u): User => (u.displayName === "Diego Siciliani" ? { ...u, displayName: "Diego (edited in Fabrikam)" } : u));
    const p = predictPair(await pairFrom("healthy", { facets: { "target.users": targets } }));
    const diego = byName(p, "Diego Siciliani");
    expect(diego.action).toBe("update");
    expect(diego.changes).toEqual([
      {
        attribute: "displayName",
        expression: "[displayName]",
        old: "Diego (edited in Fabrikam)",
        new: "Diego Siciliani",
        drift: true,
        note: expect.stringContaining("FlowWhenChanged"),
      },
    ]);
  });

  it("evaluates Function mappings with the expression language; ObjectAddOnly mappings do not update", async () => {
    const base = await pairFrom("healthy");
    const schemas = schemasWith(base, (mappings) => {
      const users = mappings!.find((m) => m.sourceObjectName === "User")!;
      const display = users.attributeMappings!.find((a) => a.targetAttributeName === "displayName")!;
      display.source = { type: "Function", name: "ToUpper", expression: "ToUpper([displayName])" };
      users.attributeMappings!.find((a) => a.targetAttributeName === "mail")!.flowType = "ObjectAddOnly";
      users.attributeMappings!.find((a) => a.targetAttributeName === "mail")!.source = { type: "Constant", name: "x@y.z", expression: '"x@y.z"' };
    });
    const p = predictPair(await pairFrom("healthy", { facets: { "source.syncSchemas": schemas } }));
    expect(p.counts.update).toBe(14);
    expect(byName(p, "Megan Bowen").changes.map((c) => [c.attribute, c.new])).toEqual([["displayName", "MEGAN BOWEN"]]);
  });

  it("deprovision: a synchronized user whose source left scope is soft-deleted when Delete is a target object action", async () => {
    const base = await pairFrom("healthy");
    const users = base.get("source.users").filter((u) => u.displayName !== "Grady Archie");
    const p = predictPair(await pairFrom("healthy", { facets: { "source.users": users } }));
    expect(p.counts.deprovision).toBe(1);
    expect(byName(p, "Grady Archie")).toMatchObject({ action: "deprovision", reason: expect.stringContaining("soft-deleted") });
    expect(p.deleteThreshold).toEqual({ value: 500, exceeded: false });

    const schemas = schemasWith(base, (mappings) => {
      mappings!.find((m) => m.sourceObjectName === "User")!.flowTypes = "Add, Update" as never; // a flags enum: Graph writes combinations as a comma list, the typings only single values
    });
    const kept = predictPair(await pairFrom("healthy", { facets: { "source.users": users, "source.syncSchemas": schemas } }));
    expect(byName(kept, "Grady Archie").reason).toContain("the target user stays");
  });

  it("inconclusive: without phone methods the built-in alternativeSecurityIds filter cannot be evaluated", async () => {
    const p = predictPair(
      await pairFrom("healthy", { status: { "source.phoneMethods": { status: "denied", error: { code: "Authorization_RequestDenied", message: "denied" } } } }),
    );
    expect(p.counts.inconclusive).toBe(14);
    expect(p.users[0]!.reason).toContain("the scoping filter cannot be evaluated");
  });
});

describe("predict on contoso-fabrikam", () => {
  it("skip: Adele Vance, with the ScopeEvaluationResult her provisioning log records", async () => {
    const pair = await pairFrom("contoso-fabrikam");
    const adele = byName(predictPair(pair), "Adele Vance");
    expect(adele.action).toBe("skip");
    const logged = logOf(pair, "Adele Vance")
      .flatMap((e) => e.provisioningSteps ?? [])
      .find((s) => s.details?.["ScopeEvaluationResult"])!.details!["ScopeEvaluationResult"];
    expect(adele.reason).toBe(`Scoping filter evaluation passed: False; ScopeEvaluationResult ${logged}`);
  });

  it("create: Megan Bowen (her create is in the logs) and Lee Gu, whose target user sits in deleted items", async () => {
    const pair = await pairFrom("contoso-fabrikam");
    const p = predictPair(pair);
    expect(logOf(pair, "Megan Bowen").some((e) => e.provisioningAction === "create")).toBe(true);
    const megan = byName(p, "Megan Bowen");
    expect(megan.action).toBe("create");
    expect(megan.changes).toContainEqual({ attribute: "userType", expression: '"Member"', old: null, new: "Member", drift: false });
    expect(megan.unknown.map((u) => u.attribute)).toContain("alternativeSecurityIds");
    expect(byName(p, "Lee Gu")).toMatchObject({ action: "create", reason: expect.stringContaining("soft-deleted target user matches") });
  });

  it("update without drift while the job is quarantined: Alex Wilber's hand-invited UPN", async () => {
    const p = predictPair(await pairFrom("contoso-fabrikam"));
    expect(p.lastCycleSucceeded).toBe(false);
    expect(byName(p, "Alex Wilber").changes).toEqual([
      expect.objectContaining({ attribute: "userPrincipalName", old: "alex.wilber@contoso.com", new: "alexw@contoso.com", drift: false }),
    ]);
  });
});

describe("predict.csv", () => {
  it("has a row per change (one for a user without changes) and neutralises formula-looking cells", async () => {
    const base = await pairFrom("healthy");
    const targets = base.get("target.users").map((u): User => (u.displayName === "Diego Siciliani" ? { ...u, displayName: "=HYPERLINK(1)" } : u));
    const csv = renderPredictCsv(predictPair(await pairFrom("healthy", { facets: { "target.users": targets } })));
    const rows = parse<Record<string, string>>(csv, { columns: true });
    expect(rows).toHaveLength(14);
    const diego = rows.find((r) => r.displayName === "Diego Siciliani")!;
    expect(diego).toMatchObject({ action: "update", attribute: "displayName", old: "'=HYPERLINK(1)", new: "Diego Siciliani", drift: "true" });
  });
});

describe("report.json's predict section", () => {
  it("counts per action and lists the users of every action but no-change, with their changes", async () => {
    const { predictSection, reportPrediction } = await import("../../src/predict/section.js");
    const section = predictSection(predictPair(await pairFrom("contoso-fabrikam")));
    expect(section).toMatchObject({ counts: { create: 2, update: 1, "no-change": 10, skip: 1 }, driftChanges: 0, omitted: {} });
    if ("unavailable" in section) throw new Error("unavailable");
    expect(section.users["no-change"]).toBeUndefined();
    expect(section.users.create?.map((u) => u.displayName).sort()).toEqual(["Lee Gu", "Megan Bowen"]);
    expect(reportPrediction(await pairFrom("no-configuration"))).toEqual({
      unavailable: expect.stringContaining("no cross-tenant synchronization configuration"),
    });
  });
});
