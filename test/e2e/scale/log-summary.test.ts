// The streamed log summary answers exactly what the rules computed from the whole log array before (reference copies).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isExternalUsersFilterSkip, logErrorCode, normalizeErrorCode } from "../../../src/model/log-codes.js";
import { FIRST_IDS, summarizeLogs } from "../../../src/model/log-queries.js";
import type { ProvisioningLogEntry } from "../../../src/snapshot/graph-types.js";

const FORBIDDEN = "AzureActiveDirectoryForbidden";
const time = (e: ProvisioningLogEntry): number => Date.parse(e.activityDateTime) || 0;
const statusOf = (e: ProvisioningLogEntry): string => (e.provisioningStatusInfo?.status ?? "").toLowerCase();
const byTime = (list: ProvisioningLogEntry[]) => [...list].sort((a, b) => time(a) - time(b));

// ---- reference: the array-based code the rules had before the summary ----

function refSms(logs: ProvisioningLogEntry[]) {
  const byUser = new Map<string, ProvisioningLogEntry[]>();
  for (const e of logs) {
    const id = e.sourceIdentity?.id;
    if (!id || (e.sourceIdentity?.identityType ?? "User").toLowerCase() !== "user") continue;
    byUser.set(id, [...(byUser.get(id) ?? []), e]);
  }
  const out = new Map<string, { count: number; lastIds: string[]; lastSkipped: string }>();
  for (const [id, entries] of byUser) {
    const sorted = byTime(entries);
    if (!isExternalUsersFilterSkip(sorted[sorted.length - 1]!)) continue;
    const skips = sorted.filter(isExternalUsersFilterSkip);
    out.set(id, { count: skips.length, lastIds: skips.slice(-20).map((e) => e.id), lastSkipped: skips[skips.length - 1]!.activityDateTime });
  }
  return out;
}

function refForbidden(logs: ProvisioningLogEntry[]) {
  const byObject = new Map<string, ProvisioningLogEntry[]>();
  for (const e of logs) {
    const id = e.sourceIdentity?.id;
    if (id) byObject.set(id, [...(byObject.get(id) ?? []), e]);
  }
  const entries: ProvisioningLogEntry[] = [];
  const ids: string[] = [];
  for (const [id, list] of byObject) {
    const sorted = byTime(list);
    if (logErrorCode(sorted[sorted.length - 1]!) !== FORBIDDEN) continue;
    entries.push(...sorted.filter((e) => logErrorCode(e) === FORBIDDEN));
    ids.push(id);
  }
  const sorted = byTime(entries);
  return {
    count: sorted.length,
    firstIds: sorted.slice(0, 50).map((e) => e.id),
    firstSeen: sorted[0]?.activityDateTime,
    lastSeen: sorted.at(-1)?.activityDateTime,
    reason: sorted.at(-1)?.provisioningStatusInfo?.errorInformation?.reason ?? null,
    ids: ids.sort(),
  };
}

function codeOf(e: ProvisioningLogEntry): string | undefined {
  const status = statusOf(e);
  if (status === "success") return undefined;
  const code = logErrorCode(e) ?? normalizeErrorCode((e.provisioningSteps ?? []).map((s) => s.details?.["SkipReason"]).find(Boolean));
  if (code) return code;
  return status === "failure" ? "NoErrorCode" : undefined;
}

function refProblems(logs: ProvisioningLogEntry[]) {
  const lastSuccess = new Map<string, number>();
  for (const e of logs) {
    const id = e.sourceIdentity?.id;
    if (id && statusOf(e) === "success") lastSuccess.set(id, Math.max(lastSuccess.get(id) ?? 0, time(e)));
  }
  const groups = new Map<string, { entries: ProvisioningLogEntry[]; objects: string[] }>();
  for (const e of logs) {
    if (isExternalUsersFilterSkip(e)) continue;
    const code = codeOf(e);
    if (!code) continue;
    const id = e.sourceIdentity?.id;
    if (id && (lastSuccess.get(id) ?? -1) > time(e)) continue;
    const g = groups.get(code) ?? { entries: [], objects: [] };
    g.entries.push(e);
    if (id && !g.objects.includes(id)) g.objects.push(id);
    groups.set(code, g);
  }
  return new Map(
    [...groups].map(([code, g]) => {
      const entries = byTime(g.entries);
      return [
        code,
        {
          count: entries.length,
          objects: g.objects,
          firstIds: entries.slice(0, FIRST_IDS).map((e) => e.id),
          firstSeen: entries[0]!.activityDateTime,
          lastSeen: entries.at(-1)!.activityDateTime,
          reason: entries.at(-1)!.provisioningStatusInfo?.errorInformation?.reason ?? null,
          reasons: [...new Set(entries.map((e) => e.provisioningStatusInfo?.errorInformation?.reason).filter(Boolean))].slice(0, 5),
          statuses: [...new Set(entries.map(statusOf))],
          actions: [...new Set(entries.map((e) => e.provisioningAction).filter(Boolean))],
          codesAsLogged: [...new Set(entries.map((e) => e.provisioningStatusInfo?.errorInformation?.errorCode).filter(Boolean))],
        },
      ] as const;
    }),
  );
}

// ---- generated logs: few identities, few distinct times (ties), every outcome the rules look at ----

const IDENTITIES = ["0a9c2f6e-5d4b-4c3a-8b1e-2f7d6c5b4a39", "2f0fd319-3a35-460d-af17-b083ac7ef568", "54ca899c-3ce3-447a-91c4-8a229d011c95", "group-1", ""];
const SMS_STEP = {
  name: "EntrySynchronizationScoping",
  details: { ScopeEvaluationResult: "{\"Filter external users.alternativeSecurityIds EQUALS 'None'\":false}" },
};

const entryArb = fc.record({
  who: fc.integer({ min: 0, max: IDENTITIES.length - 1 }),
  minute: fc.integer({ min: 0, max: 30 }),
  ms: fc.constantFrom("", ".000", ".250"),
  status: fc.constantFrom("success", "failure", "skipped", "warning", "Failure"),
  code: fc.constantFrom(
    undefined,
    FORBIDDEN,
    "Microsoft Entra ID Forbidden",
    "AzureActiveDirectoryQuotaLimitExceeded",
    "RedundantExport",
    "EntityTypeNotSupported",
  ),
  skipReason: fc.constantFrom(undefined, "NotEffectivelyEntitled", "EntityTypeNotSupported"),
  sms: fc.boolean(),
  reason: fc.constantFrom(undefined, "r1", "r2", "r3", "r4", "r5", "r6"),
  action: fc.constantFrom(undefined, "create", "update"),
  odd: fc.boolean(),
});

type Generated = typeof entryArb extends fc.Arbitrary<infer T> ? T : never;

function build(list: Generated[]): ProvisioningLogEntry[] {
  return list.map((x, i) => {
    const id = IDENTITIES[x.who]!;
    return {
      id: x.odd ? `Entry-${i}` : `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`,
      activityDateTime: `2025-03-01T10:${String(x.minute).padStart(2, "0")}:00${x.ms}Z`,
      provisioningAction: x.action,
      ...(id
        ? {
            sourceIdentity: {
              id,
              displayName: `Name ${x.who}`,
              identityType: id.startsWith("group") ? "Group" : "User",
              details: { UserPrincipalName: `u${x.who}@contoso.com` },
            },
          }
        : {}),
      provisioningStatusInfo: { status: x.status, errorInformation: x.code || x.reason ? { errorCode: x.code, reason: x.reason } : null },
      provisioningSteps: [...(x.sms ? [SMS_STEP] : []), ...(x.skipReason ? [{ name: "s", details: { SkipReason: x.skipReason } }] : [])],
    } as ProvisioningLogEntry;
  });
}

describe("log summary", () => {
  it("gives the SMS skips, the still-forbidden objects and the open problems the array code gave", () => {
    fc.assert(
      fc.property(fc.array(entryArb, { maxLength: 120 }), (list) => {
        const logs = build(list);
        const summary = summarizeLogs(logs);

        const sms = new Map(summary.smsSkippedUsers().map((u) => [u.id, { count: u.count, lastIds: u.lastIds, lastSkipped: u.lastSkipped }]));
        expect(sms).toEqual(refSms(logs));

        const forbidden = summary.stillFailing(FORBIDDEN);
        const ref = refForbidden(logs);
        expect({
          count: forbidden.count,
          firstIds: forbidden.firstIds,
          firstSeen: forbidden.firstSeen,
          lastSeen: forbidden.last?.activityDateTime,
          reason: forbidden.last?.reason ?? null,
          ids: forbidden.objects.map((o) => o.id).sort(),
        }).toEqual(ref);

        const problems = new Map(
          summary.openProblems().map((g) => [
            g.code,
            {
              count: g.count,
              objects: g.objects.map((o) => o.id),
              firstIds: g.firstIds,
              firstSeen: g.first.activityDateTime,
              lastSeen: g.last.activityDateTime,
              reason: g.last.reason ?? null,
              reasons: g.reasons.slice(0, 5),
              statuses: g.statuses,
              actions: g.actions,
              codesAsLogged: g.codesAsLogged,
            },
          ]),
        );
        expect(problems).toEqual(refProblems(logs));
      }),
      { numRuns: 300 },
    );
  });

  it("counts outcomes per day and keeps only the cross-cloud codes as signals", () => {
    const logs = build([
      { who: 0, minute: 1, ms: "", status: "success", code: undefined, skipReason: undefined, sms: false, reason: undefined, action: undefined, odd: false },
      {
        who: 1,
        minute: 2,
        ms: "",
        status: "failure",
        code: "ExternalTenantNotFound" as never,
        skipReason: undefined,
        sms: false,
        reason: "r1",
        action: undefined,
        odd: false,
      },
      {
        who: 1,
        minute: 3,
        ms: "",
        status: "failure",
        code: FORBIDDEN,
        skipReason: undefined,
        sms: false,
        reason: "r2 AzureActiveDirectoryTokenExpired" as never,
        action: undefined,
        odd: false,
      },
      { who: 2, minute: 4, ms: "", status: "failure", code: FORBIDDEN, skipReason: undefined, sms: false, reason: "r3", action: undefined, odd: false },
    ]);
    const summary = summarizeLogs(logs);
    expect([...summary.byDay]).toEqual([["2025-03-01", { success: 1, skipped: 0, failure: 3, warning: 0 }]]);
    expect(summary.signals.map((s) => s.ref)).toEqual([logs[1]!.id, logs[2]!.id]);
  });
});
