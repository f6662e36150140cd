// The `expression` command's contract: {"value"} / {"flow": false} exit 0, {"error"} exit 1, a syntax error exit 2.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { packageRoot } from "../../src/version.js";
import { runCli } from "../helpers/cli.js";

const json = async (...args: string[]) => {
  const r = await runCli(["expression", "--json", ...args]);
  return { ...r, body: r.stdout ? JSON.parse(r.stdout) : undefined };
};

describe("cts-doctor expression --json", () => {
  it.for([
    ['Append([userPrincipalName], ".test")', { userPrincipalName: "John.Doe@contoso.com" }, "John.Doe@contoso.com.test"],
    ["Count([proxyAddresses])", { proxyAddresses: ["a", "b"] }, 2],
    ["IsPresent([mail])", {}, false],
    ['Split([x], ",")', { x: "a, b" }, ["a", "b"]],
    ["Item([proxyAddresses], 3)", { proxyAddresses: ["a"] }, null],
  ] as const)("%s → its value", async ([expr, attributes, value]) => {
    const r = await json(expr, "--attributes", JSON.stringify(attributes));
    expect(r.code, r.stderr).toBe(0);
    expect(r.body).toEqual({ value });
  });

  it("prints a DateTime in the page's UTC format, with Now() from --now", async () => {
    const r = await json('DateAdd("d", 1, Now())', "--now", "2026-01-05T23:30:00+02:00");
    expect(r.body).toEqual({ value: "1/6/2026 9:30:00 PM" });
  });

  it('prints {"flow": false} when IgnoreFlowIfNullOrEmpty drops the attribute', async () => {
    const r = await json("IgnoreFlowIfNullOrEmpty([department])", "--attributes", "{}");
    expect(r.code).toBe(0);
    expect(r.body).toEqual({ flow: false });
  });

  it("SelectUniqueValue skips the values given in --taken", async () => {
    const r = await json(
      'SelectUniqueValue(Join("@", [a], "x.com"), Join("@", [b], "x.com"))',
      "--attributes",
      '{"a":"ann","b":"a.n"}',
      "--taken",
      '["ANN@x.com"]',
    );
    expect(r.body).toEqual({ value: "a.n@x.com" });
  });

  it('an evaluation error prints {"error"} and exits 1', async () => {
    const r = await json("Item([proxyAddresses], 0)", "--attributes", '{"proxyAddresses":["a"]}');
    expect(r.code).toBe(1);
    expect(r.body).toEqual({ error: "Item: index is 1-based: 0 names no item" });
  });

  it("a syntax error is one line on stderr naming the position, exit 2, nothing on stdout", async () => {
    const r = await runCli(["expression", "--json", 'Append([a] "x")']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe('cts-doctor: expression: expected "," or ")" in Append(…), found "x" at position 12\n');
  });

  it.for([
    [["--attributes", "{nope"], "--attributes is not valid JSON"],
    [["--attributes", "[1]"], "--attributes must be a JSON object"],
    [["--now", "yesterday"], "--now must be an ISO date-time"],
    [["--taken", '{"a":1}'], "--taken must be a JSON array of strings"],
  ] as const)("bad option %j is a usage error (exit 2)", async ([opts, message]) => {
    const r = await runCli(["expression", "--json", "[a]", ...opts]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
  });
});

describe("cts-doctor expression (text)", () => {
  it("prints the value and each step, innermost first", async () => {
    const r = await runCli(["expression", 'ToLower(Join(".", [givenName], [surname]))', "--attributes", '{"givenName":"John","surname":"Smith"}']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(
      [
        'value: "john.smith"',
        "steps:",
        '    Join(".", [givenName], [surname]) → "John.Smith"',
        '  ToLower(Join(".", [givenName], [surname])) → "john.smith"',
        "",
      ].join("\n"),
    );
  });

  it("says when the attribute does not flow, and why", async () => {
    const r = await runCli(["expression", "IgnoreFlowIfNullOrEmpty([department])"]);
    expect(r.stdout).toMatch(/^no flow: IgnoreFlowIfNullOrEmpty: the value is null/);
  });

  it("an evaluation error is one line on stderr, exit 1", async () => {
    const r = await runCli(["expression", 'CDate("soon")']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('cts-doctor: expression: CDate: cannot read "soon" as a date (use ISO 8601, such as 2021-06-30T08:00:00Z, or M/d/yyyy h:mm:ss tt)\n');
  });
});

describe("the built command", () => {
  it("keeps the contract when spawned", () => {
    const bin = path.join(packageRoot, "dist", "src", "cli", "main.js");
    const r = spawnSync(process.execPath, [bin, "expression", "--json", "Left([a], 2)", "--attributes", '{"a":"abc"}'], { encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ value: "ab" });
  });
});
