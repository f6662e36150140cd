// The layer order of ARCHITECTURE.md is ESLint's to enforce (eslint.config.js): these prove its rules catch a violation.
import { ESLint } from "eslint";
import { beforeAll, describe, expect, it } from "vitest";
import { packageRoot } from "../../../src/version.js";

const RULE = "@typescript-eslint/no-restricted-imports";
let eslint: ESLint;

beforeAll(() => {
  // Only the import rule, without type information: the files linted here exist only as text.
  eslint = new ESLint({
    cwd: packageRoot,
    ruleFilter: ({ ruleId }) => ruleId === RULE,
    overrideConfig: { languageOptions: { parserOptions: { projectService: false } } },
  });
});

/** The import rule's messages for `specifier` imported by a file at `filePath`. */
async function violations(filePath: string, specifier: string, typeOnly = false): Promise<string[]> {
  const code = typeOnly ? `import type { X } from "${specifier}";\nexport type Y = X;\n` : `import { x } from "${specifier}";\nexport const y = x;\n`;
  const [result] = await eslint.lintText(code, { filePath });
  expect(result!.messages.filter((m) => m.ruleId !== RULE)).toEqual([]);
  return result!.messages.map((m) => m.message);
}

describe("layer rules (eslint.config.js)", () => {
  it("collect may not import trace", async () => {
    const found = await violations("src/collect/x.ts", "../trace/chain.js");
    expect(found).toHaveLength(1);
    expect(found[0]).toContain("src/collect may not import src/trace");
    expect(found[0]).toContain('ARCHITECTURE.md "Layers"');
  });

  it("check may not import cli, also from a deeper folder", async () => {
    expect(await violations("src/check/x.ts", "../cli/output.js")).toEqual([expect.stringContaining("src/check may not import src/cli")]);
    expect(await violations("src/check/sub/x.ts", "../../cli/output.js")).toEqual([expect.stringContaining("src/check may not import src/cli")]);
  });

  it("a rule may not import the runner, but may import the rule API and describeMissing", async () => {
    expect(await violations("rules/some-rule/rule.ts", "../../src/engine/run.js")).toEqual([expect.stringContaining("never engine/run")]);
    expect(await violations("rules/some-rule/rule.ts", "../../src/engine/define.js")).toEqual([]);
    expect(await violations("rules/some-rule/rule.ts", "../../src/engine/missing.js")).toEqual([]);
    expect(await violations("rules/some-rule/rule.ts", "../../src/model/pair.js")).toEqual([]);
  });

  it("a rule does no I/O and never reaches Graph or the collectors", async () => {
    expect(await violations("rules/some-rule/rule.ts", "node:fs")).toHaveLength(1);
    expect(await violations("rules/some-rule/rule.ts", "@microsoft/microsoft-graph-client")).not.toEqual([]);
    expect(await violations("rules/some-rule/rule.ts", "../../src/graph/client.js")).toHaveLength(1);
    expect(await violations("rules/some-rule/rule.ts", "../../src/collect/run.js")).toHaveLength(1);
  });

  it("only src/cli and src/app import rules/", async () => {
    expect(await violations("src/engine/x.ts", "../../rules/index.js")).toEqual([expect.stringContaining("only src/cli and src/app import rules/")]);
    expect(await violations("src/check/x.ts", "../../rules/index.js")).not.toEqual([]);
    expect(await violations("src/app/x.ts", "../../rules/index.js")).toEqual([]);
    expect(await violations("src/cli/x.ts", "../../rules/index.js")).toEqual([]);
  });

  it("only src/graph imports the Graph client package", async () => {
    expect(await violations("src/collect/x.ts", "@microsoft/microsoft-graph-client")).toEqual([expect.stringContaining("only src/graph")]);
    expect(await violations("src/graph/x.ts", "@microsoft/microsoft-graph-client")).toEqual([]);
  });

  it("a lower layer may be imported; a higher one not, except the predict section's type in report", async () => {
    expect(await violations("src/collect/x.ts", "../model/pair.js")).toEqual([]);
    expect(await violations("src/check/x.ts", "../app/analyze.js")).toEqual([]);
    expect(await violations("src/model/x.ts", "../engine/types.js")).toEqual([expect.stringContaining("src/model may not import src/engine")]);
    expect(await violations("src/report/x.ts", "../predict/section.js", true)).toEqual([]);
    expect(await violations("src/report/x.ts", "../predict/section.js")).not.toEqual([]);
  });
});
