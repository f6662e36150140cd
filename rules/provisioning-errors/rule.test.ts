// Table-driven cases for provisioning-errors: fixtures/rules/provisioning-errors/{valid,invalid}/*.json, plus severity and evidence caps.
import { describe, expect, it } from "vitest";
import rule from "./rule.js";
import { EXCLUDED_CODES, PROVISIONING_CODES, isExcludedCode, lookupCode } from "./codes.js";
import { normalizeErrorCode } from "../../src/model/log-codes.js";
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
    expect(result.findings[1]!.evidence).toMatchObject({
      count: 3,
      objectCount: 2,
      known: true,
      firstSeen: "2025-02-27T16:20:30Z",
      lastSeen: "2025-03-01T15:00:30Z",
    });
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

  it("gives every code in the table the side where it is fixed", () => {
    for (const [code, meta] of Object.entries(PROVISIONING_CODES)) expect(["source", "target"], code).toContain(meta.side);
  });
});

/**
 * Every code in Microsoft's error tables, as the docs print them: entra-docs
 * docs/identity/monitoring-health/howto-analyze-provisioning-logs.md ("Error codes", "Error codes for cross-tenant
 * synchronization" — InvitationCreationFailureUserAccountDisabled is in its newer revision — with the <br/> line
 * breaks removed) and the CTS troubleshooting sections of
 * docs/identity/multi-tenant-organizations/cross-tenant-synchronization-configure.md (both cloud pivots).
 */
const DOCUMENTED = {
  "howto-analyze-provisioning-logs.md, Error codes": [
    "Conflict",
    "EntryConflict",
    "TooManyRequests",
    "InternalServerError",
    "InsufficientRights",
    "MethodNotAllowed",
    "NotPermitted",
    "Unauthorized",
    "UnprocessableEntity",
    "WebExceptionProtocolError",
    "InvalidAnchor",
    "NotImplemented",
    "MandatoryFieldsMissing",
    "MissingValues",
    "SchemaAttributeNotFound",
    "InternalError",
    "InvalidDomain",
    "Timeout",
    "LicenseLimitExceeded",
    "DuplicateTargetEntries",
    "DuplicateSourceEntries",
    "ImportSkipped",
    "EntrySynchronizationSkipped",
    "SystemForCrossDomainIdentityManagementMultipleEntriesInResponse",
    "SystemForCrossDomainIdentityManagementServiceIncompatible",
    "SchemaPropertyCanOnlyAcceptValue",
  ],
  "howto-analyze-provisioning-logs.md, Error codes for cross-tenant synchronization": [
    "Microsoft Entra IDCannotUpdateObjectsOriginatedInExternalService",
    "AzureDirectoryB2BManagementPolicyCheckFailure",
    "Microsoft Entra IDQuotaLimitExceeded",
    "InvitationCreationFailure",
    "Microsoft Entra IDForbidden",
    "InvitationCreationFailureInvalidPropertyValue",
    "InvitationCreationFailureAmbiguousUser",
    "Microsoft Entra IDCannotUpdateObjectsMasteredOnPremises",
    "InvitationCreationFailureUserAccountDisabled",
  ],
  "cross-tenant-synchronization-configure.md, Troubleshoot": [
    "AzureActiveDirectoryCrossTenantSyncPolicyCheckFailure",
    "ExternalTenantNotFound",
    "AzureActiveDirectoryTokenExpired",
  ],
};

describe("provisioning-errors: the documented catalogue", () => {
  it.each(Object.entries(DOCUMENTED))("knows every code of %s (or names the rule that owns it)", (_table, codes) => {
    for (const printed of codes) {
      const code = normalizeErrorCode(printed)!;
      const owned = isExcludedCode(code) ? EXCLUDED_CODES[code] : undefined;
      expect(lookupCode(code) ?? owned, printed).toBeTruthy();
    }
  });

  it("still groups and reports a code the docs do not list", () => {
    expect(lookupCode("InvitationCreationFailureUnexpectedState")).toBeUndefined();
    expect(isExcludedCode("InvitationCreationFailureUnexpectedState")).toBe(false);
  });
});

describe("provisioning-errors: latest outcomes and the job's counters in evidence", () => {
  const evidenceOf = async (name: string) => {
    const [, c] = loadCases(rule.id, "invalid").find(([n]) => n === name)!;
    const result = runRule(rule, await pairFrom(c.base ?? "healthy", c));
    expect(result.findings).toHaveLength(1);
    return result.findings[0]!.evidence;
  };

  it("says the latest outcomes were read, and no longer that the finding is conservative, when the outcomes facet is in", async () => {
    const evidence = await evidenceOf("timeout-after-earlier-success");
    expect(evidence["latestOutcomesRead"]).toBe(true);
    expect(evidence).not.toHaveProperty("logsCollectedWithoutSuccesses");
  });

  it("says successes and outcomes were not read when the outcomes facet is missing, as before", async () => {
    expect(await evidenceOf("timeout-outcomes-not-read")).toMatchObject({ logsCollectedWithoutSuccesses: true, latestOutcomesRead: false });
  });

  it("carries the job's own counters: status code, escrows and the last cycle", async () => {
    expect((await evidenceOf("timeout-outcomes-not-read"))["jobCounters"]).toEqual({
      code: "Active",
      escrowed: 0,
      lastCycle: { state: "Succeeded", timeEnded: "2025-03-04T10:21:05.7488681Z", exported: 0, escrowed: 0 },
      progress: [],
    });
  });

  it("says nothing of outcomes when the logs hold every entry (a snapshot collected whole)", async () => {
    const [, c] = loadCases(rule.id, "invalid").find(([n]) => n === "contoso-fabrikam")!;
    const result = runRule(rule, await pairFrom(c.base ?? "healthy", c));
    for (const f of result.findings) {
      expect(f.evidence).not.toHaveProperty("latestOutcomesRead");
      expect(f.evidence).not.toHaveProperty("logsCollectedWithoutSuccesses");
    }
  });
});
