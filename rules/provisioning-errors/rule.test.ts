// Table-driven cases for provisioning-errors: fixtures/rules/provisioning-errors/{valid,invalid}/*.json, plus severity and evidence caps.
import { describe, expect, it } from "vitest";
import rule from "./rule.js";
import { PROVISIONING_CODES } from "./codes.js";
import { runRule } from "../../src/engine/run.js";
import type { ProvisioningLogEntry } from "../../src/snapshot/graph-types.js";
import { pairFrom } from "../../test/helpers/pair.js";
import { loadCases, runRuleCases } from "../../test/helpers/rule-cases.js";

runRuleCases(rule);

describe("provisioning-errors: severity and evidence", () => {
  it("grades each finding by its code and the result by the worst finding", async () => {
    const [, c] = loadCases(rule.id, "invalid").find(([name]) => name === "several-codes-by-severity")!;
    const result = runRule(rule, await pairFrom(c.base ?? "healthy", c));
    expect(result.findings.map((f) => [f.errorCode, f.severity])).toEqual([
      ["AzureActiveDirectoryQuotaLimitExceeded", "high"],
      ["InvalidAnchor", "medium"],
      ["InvitationCreationFailureUnexpectedState", "medium"],
      ["NoErrorCode", "medium"],
    ]);
    expect(result.severity).toBe("high");
    expect(result.findings[1]!.evidence).toMatchObject({ count: 3, objectCount: 2, known: true, firstSeen: "2025-02-27T16:20:30Z", lastSeen: "2025-03-01T15:00:30Z" });
    expect(result.findings[2]!.evidence).toMatchObject({ known: false, count: 1 });
  });

  it("caps the listed log entry ids at 50 and gives the total", async () => {
    const base = await pairFrom("contoso-fabrikam");
    const failure = base.get("source.provisioningLogs").find((e) => e.id === "ce3b207d-489c-468d-b789-fcdb4a4cf88b")!;
    const logs: ProvisioningLogEntry[] = Array.from({ length: 60 }, (_, i) => ({
      ...structuredClone(failure),
      id: `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`,
      activityDateTime: new Date(Date.UTC(2025, 1, 26, 0, i)).toISOString(),
    }));
    const result = runRule(rule, await pairFrom("contoso-fabrikam", { facets: { "source.provisioningLogs": logs } }));
    expect(result.findings).toHaveLength(1);
    const evidence = result.findings[0]!.evidence as { logEntryIds: string[]; logEntryIdsTotal: number; count: number };
    expect(evidence.logEntryIds).toHaveLength(50);
    expect(evidence.logEntryIdsTotal).toBe(60);
    expect(evidence.count).toBe(60);
    expect(result.findings[0]!.objects.map((o) => o.id)).toEqual(["2e08d859-4de4-4205-ac50-d925d47b1a52"]);
  });

  it("documents a cause, a fix and a severity for every code in the table", () => {
    for (const [code, meta] of Object.entries(PROVISIONING_CODES)) {
      expect(meta.cause.length, code).toBeGreaterThan(10);
      expect(meta.fix.length, code).toBeGreaterThan(10);
    }
  });
});
