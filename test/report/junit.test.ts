// report.junit.xml: well-formed, a test case per rule (fail → failure, inconclusive → skipped), hostile text round-trips.
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { describe, expect, it } from "vitest";
import { renderJunit } from "../../src/report/junit.js";
import { BREAKOUT, CDATA, FORMULA, IMG, fixtureReport, rules } from "./fixtures.js";

const xml = renderJunit(fixtureReport(), rules);
const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "",
  textNodeName: "text",
  isArray: (name) => ["testcase", "property"].includes(name),
  processEntities: true,
  // eslint-disable-next-line @typescript-eslint/no-deprecated -- its replacement, entityDecoder, needs @nodable/entities, which is not our dependency; this decodes &#10;
  htmlEntities: true,
});

interface Case {
  classname: string;
  name: string;
  failure?: { type: string; message: string; text: string };
  skipped?: { message: string };
}
interface Suite {
  name: string;
  tests: string;
  failures: string;
  skipped: string;
  errors: string;
  testcase: Case[];
  properties: { property: { name: string; value: string }[] };
}
const doc = parser.parse(xml) as { testsuites: { tests: string; failures: string; skipped: string; testsuite: Suite } };
const suite = doc.testsuites.testsuite;

describe("renderJunit", () => {
  it("is well-formed XML", () => {
    // eslint-disable-next-line @typescript-eslint/no-deprecated -- its replacement is the fast-xml-validator package, which is not installed
    expect(XMLValidator.validate(xml)).toBe(true);
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites')).toBe(true);
  });

  it("has a test case per rule and matching counts", () => {
    expect(suite.testcase.map((c) => c.name.split(":")[0])).toEqual([
      "source-outbound-auto-redeem-disabled",
      "target-inbound-auto-redeem-disabled",
      "target-inbound-sync-disabled",
    ]);
    expect([suite.tests, suite.failures, suite.skipped, suite.errors]).toEqual(["3", "2", "1", "0"]);
    expect([doc.testsuites.tests, doc.testsuites.failures, doc.testsuites.skipped]).toEqual(["3", "2", "1"]);
    expect(suite.properties.property.find((p) => p.name === "targetTenantId")?.value).toBe("22222222-2222-2222-2222-222222222222");
  });

  it("maps fail to failure and inconclusive to skipped with the permission to grant", () => {
    const [fail, inconclusive] = suite.testcase;
    expect(fail?.failure?.type).toBe("critical");
    expect(fail?.failure?.text).toContain("Fix: In the source tenant");
    expect(inconclusive?.skipped?.message).toContain("grant Policy.Read.All");
    expect(inconclusive?.failure).toBeUndefined();
  });

  it("carries hostile text through escaped, never as markup", () => {
    const fail = suite.testcase[0]!.failure!;
    expect(fail.message).toContain(`${BREAKOUT} ${IMG}`);
    expect(fail.message).toContain("\nsecond line"); // line break kept in the attribute
    expect(fail.text).toContain(FORMULA);
    expect(suite.testcase[2]?.failure?.text).toContain("]]><x/><!-- & ' \" [U+0001]");
    expect(xml).not.toContain(CDATA);
    expect(xml).not.toMatch(/<(img|script|x)\b/);
    // eslint-disable-next-line no-control-regex -- a raw control character in the XML is what must not be there
    expect(xml).not.toMatch(/[\u0001\u202E\u200B]/);
  });
});
