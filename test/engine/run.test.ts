// The engine with rules made up in the test: facet gating, statuses, message templates and severity.
import { describe, expect, it } from "vitest";
import { defineRule } from "../../src/engine/define.js";
import { describeMissing } from "../../src/engine/missing.js";
import { failsAt, formatMessage, runRule } from "../../src/engine/run.js";
import type { Rule } from "../../src/engine/types.js";
import { pairFrom } from "../helpers/pair.js";

const base = {
  title: "t",
  severity: "medium" as const,
  side: "source" as const,
  area: "policies" as const,
  symptom: "symptom text",
  cause: "cause text",
  detection: "detection text",
  fix: { summary: "s", portal: "p", graph: [] },
  references: [{ title: "r", url: "https://learn.microsoft.com/x" }],
};

function rule(check: Rule<"m">["check"], needs: Rule["needs"] = ["source.partner"]): Rule {
  return defineRule({ ...base, id: "made-up", messages: { m: "value {{v}} for {{who}}" }, needs, check });
}

describe("runRule", () => {
  it("passes when nothing is reported", async () => {
    const r = runRule(
      rule(() => undefined),
      await pairFrom("healthy"),
    );
    expect(r.status).toBe("pass");
    expect(r.findings).toEqual([]);
  });

  it("fails with formatted findings, default side and raised severity", async () => {
    const r = runRule(
      rule((_p, ctx) => {
        ctx.report({ messageId: "m", data: { v: 3, who: "x" }, objects: [{ id: "1", type: "user", displayName: "A" }] });
        ctx.report({ messageId: "m", data: { v: 4 }, side: "target", severity: "critical", errorCode: "E1" });
      }),
      await pairFrom("healthy"),
    );
    expect(r.status).toBe("fail");
    expect(r.severity).toBe("critical");
    expect(r.findings.map((f) => [f.message, f.side, f.errorCode])).toEqual([
      ["value 3 for x", "source", undefined],
      ["value 4 for {{who}}", "target", "E1"],
    ]);
  });

  it("is inconclusive, naming facet, code and permission, when a needed facet is missing", async () => {
    let ran = false;
    const pair = await pairFrom("healthy", {
      status: {
        "source.provisioningLogs": {
          status: "denied",
          error: { code: "Authorization_RequestDenied", message: "no", httpStatus: 403 },
          permission: "AuditLog.Read.All",
        },
      },
    });
    const r = runRule(
      rule(() => void (ran = true), ["source.provisioningLogs"]),
      pair,
    );
    expect(ran).toBe(false);
    expect(r.status).toBe("inconclusive");
    expect(r.reason).toContain("source.provisioningLogs: 403 Authorization_RequestDenied — grant AuditLog.Read.All");
    expect(r.missing?.[0]?.facet).toBe("source.provisioningLogs");
  });

  it("treats a facet missing from the manifest as not collected", async () => {
    const pair = await pairFrom("healthy");
    delete (pair.manifest.facets as Record<string, unknown>)["source.partner"];
    expect(
      runRule(
        rule(() => undefined),
        pair,
      ).status,
    ).toBe("inconclusive");
  });

  it("supports not-applicable and inconclusive from the check, and never turns a crash into pass", async () => {
    const pair = await pairFrom("healthy");
    expect(
      runRule(
        rule((_p, ctx) => ctx.notApplicable("same cloud")),
        pair,
      ),
    ).toMatchObject({ status: "not-applicable", reason: "same cloud" });
    expect(
      runRule(
        rule((_p, ctx) => ctx.inconclusive("odd data")),
        pair,
      ),
    ).toMatchObject({ status: "inconclusive", reason: "odd data" });
    const crash = runRule(
      rule(() => {
        throw new TypeError("boom");
      }),
      pair,
    );
    expect(crash.status).toBe("inconclusive");
    expect(crash.reason).toContain("boom");
  });

  it("rejects a report with an undeclared message id", async () => {
    const r = runRule(
      rule((_p, ctx) => {
        ctx.report({ messageId: "nope" as "m" });
      }),
      await pairFrom("healthy"),
    );
    expect(r.status).toBe("inconclusive");
    expect(r.reason).toContain('undeclared message id "nope"');
  });
});

describe("helpers", () => {
  it("formats messages and thresholds", () => {
    expect(formatMessage("a {{ x }} b {{y}}", { x: "1" })).toBe("a 1 b {{y}}");
    const fail = { status: "fail", severity: "medium" } as never;
    expect(failsAt(fail, "high")).toBe(false);
    expect(failsAt(fail, "medium")).toBe(true);
    expect(failsAt({ status: "inconclusive", severity: "critical" } as never, "low")).toBe(false);
    expect(describeMissing({ facet: "source.connectionTest", status: "skipped", message: "skipped with --no-connection-test" })).toBe(
      "source.connectionTest: skipped (skipped with --no-connection-test)",
    );
  });

  it("defineRule rejects bad metadata", () => {
    expect(() => defineRule({ ...base, id: "Bad_Id", messages: { m: "x" }, needs: ["source.partner"], check: () => undefined })).toThrow(/kebab-case/);
    expect(() => defineRule({ ...base, id: "ok-id", messages: { m: "x" }, needs: [], check: () => undefined })).toThrow(/needs no facet/);
  });
});
