// Shared report fixtures for the reporter tests: real rule metadata, hostile tenant data, and a large finding.
import { ruleList } from "../../rules/index.js";
import type { AffectedObject, RuleResult } from "../../src/engine/types.js";
import type { ProvisioningActivity } from "../../src/model/activity.js";
import { buildReport, type Report, type RuleInfo } from "../../src/report/model.js";
import type { Manifest } from "../../src/snapshot/manifest.js";

export const SOURCE = "11111111-1111-1111-1111-111111111111";
export const TARGET = "22222222-2222-2222-2222-222222222222";
export const IMG = "<img src=x onerror=alert(1)>";
export const BREAKOUT = "</script><script>alert(1)</script>";
export const FORMULA = '=HYPERLINK("http://x","y")';
export const SUM = "@SUM(1)";
export const RTL = "evil\u202Egnp.exe";
export const ZW = "ad\u200Bmin\u200D\uFEFF";
export const MD = "a|b `code` [link](http://evil.example) **bold**\nsecond line <b>x</b> & www.evil.example";
export const CDATA = "]]><x/><!-- & ' \" \u0001";

export const manifest: Manifest = {
  schemaVersion: 1,
  tool: { name: "cts-doctor", version: "0.1.0" },
  createdAt: "2025-01-02T03:04:05.000Z",
  source: { tenantId: SOURCE, cloud: "global" },
  target: { tenantId: TARGET, cloud: "usgov" },
  window: { since: "2024-12-26T00:00:00.000Z", until: "2025-01-02T00:00:00.000Z" },
  facets: {
    "source.partner": { status: "ok", file: "source/partner.json", count: 1 },
    "target.partner": { status: "denied", error: { code: "Authorization_RequestDenied", message: IMG, httpStatus: 403 }, permission: "Policy.Read.All" },
  },
};

export const rules = new Map<string, RuleInfo>(ruleList.map((r) => [r.id, r]));

const meta = (id: string) => {
  const r = rules.get(id);
  if (!r) throw new Error(`no rule ${id}`);
  return { ruleId: r.id, title: r.title, severity: r.severity, side: r.side, area: r.area };
};

export const hostileObjects: AffectedObject[] = [
  { id: IMG, type: "user", displayName: BREAKOUT, userPrincipalName: FORMULA },
  { id: "u2", type: "user", displayName: RTL, userPrincipalName: ZW },
  { id: "u3", type: "user", displayName: SUM, userPrincipalName: "+1-555" },
  { id: "u4", type: "group", displayName: MD, userPrincipalName: " \t=1+1" },
  { id: "u5", type: "user", displayName: "\n=cmd|' /C calc'!A0", userPrincipalName: CDATA },
];

export function bigObjects(n: number): AffectedObject[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `00000000-0000-0000-0000-${String(i).padStart(12, "0")}`,
    type: "user",
    displayName: `User ${i} ${i % 97 === 0 ? IMG : "Contoso"}`,
    userPrincipalName: `user${i}@contoso.example`,
  }));
}

export function results(objects: AffectedObject[] = hostileObjects): RuleResult[] {
  return [
    {
      ...meta("source-outbound-auto-redeem-disabled"),
      status: "fail",
      reason: "1 finding.",
      findings: [
        {
          message: `Partner ${BREAKOUT} ${IMG} ${MD}`,
          side: "source",
          errorCode: FORMULA,
          objects,
          evidence: { [IMG]: BREAKOUT, nested: { rtl: RTL, zw: ZW }, formula: FORMULA },
        },
      ],
    },
    {
      ...meta("target-inbound-sync-disabled"),
      severity: "high",
      status: "fail",
      reason: "2 findings.",
      findings: [
        { message: "Inbound sync is off", side: "target", severity: "high", objects: [], evidence: { isSyncAllowed: false } },
        {
          message: `Second ${CDATA}`,
          side: "target",
          severity: "medium",
          errorCode: SUM,
          objects: [{ id: "p1", type: "policy", displayName: RTL }],
          evidence: {},
        },
      ],
    },
    {
      ...meta("target-inbound-auto-redeem-disabled"),
      status: "inconclusive",
      reason: `Data not collected: target.partner: 403 Authorization_RequestDenied ${IMG} — grant Policy.Read.All`,
      findings: [],
      missing: [{ facet: "target.partner", status: "denied", code: "Authorization_RequestDenied", message: IMG, permission: "Policy.Read.All" }],
    },
  ];
}

/** Outcomes for every day of the fixture window, with a failure spike on one day. */
export const provisioning: ProvisioningActivity = {
  basis: "logs",
  window: manifest.window,
  byDay: Array.from({ length: 8 }, (_, i) => ({
    day: `2024-12-${String(26 + i).padStart(2, "0")}`.replace("2024-12-32", "2025-01-01").replace("2024-12-33", "2025-01-02"),
    success: 10 + i * 3,
    skipped: i % 3,
    failure: i === 4 ? 25 : i % 2,
    warning: 0,
  })),
  totals: { success: 164, skipped: 7, failure: 28, warning: 0 },
};

export const NOW = new Date("2025-01-02T04:00:00Z");

export function fixtureReport(objects: AffectedObject[] = hostileObjects, activity: ProvisioningActivity | undefined = provisioning): Report {
  return buildReport(manifest, results(objects), NOW, activity);
}
