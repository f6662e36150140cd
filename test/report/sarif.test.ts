// report.sarif: valid against the official SARIF 2.1.0 schema (committed here), levels from severity, stable fingerprints.
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import ajvDraft04 from "ajv-draft-04";
import ajvFormats from "ajv-formats";
import { describe, expect, it } from "vitest";
import { SARIF_OBJECTS_PER_RESULT, renderSarif, sarifLevel } from "../../src/report/sarif.js";
import { bigObjects, fixtureReport, rules } from "./fixtures.js";

const schema = JSON.parse(readFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), "sarif-schema-2.1.0.json"), "utf8")) as object;
// The schema is draft-04, hence ajv-draft-04; both packages are CommonJS and also export themselves as .default.
const ajv = new ajvDraft04.default({ allErrors: true, strict: false });
ajvFormats.default(ajv);
const validate = ajv.compile(schema);

interface Result {
  ruleId: string;
  ruleIndex: number;
  kind: string;
  level: string;
  message: { text: string };
  locations: { physicalLocation: { artifactLocation: { uri: string } }; logicalLocations?: { name: string; fullyQualifiedName: string }[] }[];
  partialFingerprints: Record<string, string>;
}
interface Log {
  version: string;
  runs: {
    tool: { driver: { rules: { id: string; help: { text: string; markdown: string }; defaultConfiguration: { level: string } }[] } };
    results: Result[];
    invocations: { toolExecutionNotifications: { associatedRule: { id: string }; message: { text: string } }[] }[];
  }[];
}

const text = renderSarif(fixtureReport(), rules);
const log = JSON.parse(text) as Log;
const run = log.runs[0]!;

describe("renderSarif", () => {
  it("validates against the SARIF 2.1.0 schema", () => {
    const ok = validate(log);
    expect(validate.errors ?? [], JSON.stringify(validate.errors, null, 2)).toEqual([]);
    expect(ok).toBe(true);
    expect(log.version).toBe("2.1.0");
  });

  it("describes each rule with help text and a default level from its severity", () => {
    const ids = run.tool.driver.rules.map((r) => r.id);
    expect(ids).toEqual(["source-outbound-auto-redeem-disabled", "target-inbound-auto-redeem-disabled", "target-inbound-sync-disabled"]);
    for (const r of run.tool.driver.rules) {
      expect(r.help.text.length).toBeGreaterThan(50);
      expect(r.help.markdown).toContain("**Fix:**");
      expect(r.defaultConfiguration.level).toBe(sarifLevel(rules.get(r.id)!.severity));
    }
    expect(["critical", "high", "medium", "low", "info"].map((s) => sarifLevel(s as never))).toEqual(["error", "error", "warning", "note", "note"]);
  });

  it("has a fail result per finding with its level, and inconclusive rules as open results plus notifications", () => {
    const fails = run.results.filter((r) => r.kind === "fail");
    expect(fails.map((r) => [r.ruleId, r.level])).toEqual([
      ["source-outbound-auto-redeem-disabled", "error"],
      ["target-inbound-sync-disabled", "error"],
      ["target-inbound-sync-disabled", "warning"],
    ]);
    for (const r of run.results) expect(run.tool.driver.rules[r.ruleIndex]?.id).toBe(r.ruleId);
    const open = run.results.filter((r) => r.kind === "open");
    expect(open.map((r) => [r.ruleId, r.level])).toEqual([["target-inbound-auto-redeem-disabled", "none"]]);
    const notes = run.invocations[0]!.toolExecutionNotifications;
    expect(notes.map((n) => n.associatedRule.id)).toEqual(["target-inbound-auto-redeem-disabled"]);
    expect(notes[0]?.message.text).toContain("Grant Policy.Read.All");
    // code scanning needs a physical location on every result
    for (const r of run.results) expect(r.locations[0]?.physicalLocation.artifactLocation.uri).toMatch(/^cts-doctor\/(source|target|both)-tenant$/);
  });

  it("keeps tenant data as inert text: no embedded links, hidden characters shown", () => {
    // eslint-disable-next-line no-misleading-character-class -- each character is looked for on its own; the ZWJ joins nothing here
    expect(text).not.toMatch(/[\u202E\u200B\u200D\uFEFF]/);
    for (const r of run.results) expect(r.message.text).not.toMatch(/(^|[^\\])\[[^\]]*\]\(/);
    expect(run.results[0]?.message.text).toContain("\\[link\\](http://evil.example)");
  });

  it("gives fingerprints that are stable across runs and unique within one", () => {
    const again = JSON.parse(renderSarif(fixtureReport(bigObjects(3)), rules)) as Log;
    const prints = (l: Log) => l.runs[0]!.results.map((r) => r.partialFingerprints["ctsFinding/v1"]);
    expect(prints(again)).toEqual(prints(log));
    expect(new Set(prints(log)).size).toBe(run.results.length);
  });

  it("caps the logical locations per result and says how many more", () => {
    const big = JSON.parse(renderSarif(fixtureReport(bigObjects(20_000)), rules)) as Log;
    const first = big.runs[0]!.results[0]!;
    expect(first.locations[0]?.logicalLocations).toHaveLength(SARIF_OBJECTS_PER_RESULT);
    expect(first.message.text).toContain(
      `20000 affected objects (first ${SARIF_OBJECTS_PER_RESULT} listed, ${20_000 - SARIF_OBJECTS_PER_RESULT} more in report.json)`,
    );
    expect(validate(big)).toBe(true);
  });
});
