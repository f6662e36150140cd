// Terminal escapes from tenant data: every text output shows control and bidi characters as code points.
import { cp, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../../helpers/cli.js";
import { scenarioDir } from "../../helpers/pair.js";
import { SCENARIO } from "./fault-run.js";

// OSC window title ending in BEL, clear screen, a carriage return that redraws the line, and a right-to-left override.
const HOSTILE = "Adele\u001b]0;owned\u0007\u001b[2J\rVERDICT: OK\u202eecnaV\u009b31m";
// eslint-disable-next-line no-control-regex -- raw escape and BEL characters reaching the terminal are what this test looks for
const RAW = /[\u001b\u0007\r\u202e\u009b]/;

async function hostileSnapshot(): Promise<string> {
  const dir = path.join(await mkdtemp(path.join(tmpdir(), "escapes-")), "snapshot");
  await cp(scenarioDir(SCENARIO), dir, { recursive: true });
  const users = path.join(dir, "source", "users.ndjson");
  const lines = (await readFile(users, "utf8")).split("\n");
  const first = JSON.parse(lines[0]!) as { displayName: string };
  first.displayName = HOSTILE;
  lines[0] = JSON.stringify(first);
  await writeFile(users, lines.join("\n"));
  const manifestFile = path.join(dir, "manifest.json");
  const manifest = JSON.parse(await readFile(manifestFile, "utf8")) as { facets: Record<string, Record<string, unknown>> };
  manifest.facets["target.deletedUsers"] = {
    status: "skipped",
    permission: "User.Read.All",
    error: { code: "NotCollected", message: `server says ${HOSTILE}` },
  };
  await writeFile(manifestFile, JSON.stringify(manifest));
  return dir;
}

describe("control and bidi characters from tenant data", () => {
  it("trace-user text shows them as code points", async () => {
    const run = await runCli(["trace-user", "adele@contoso.com", await hostileSnapshot()]);
    expect(run.stdout).toContain("Adele[U+001B]]0;owned[U+0007]");
    expect(run.stdout).toContain("[U+000D]VERDICT: OK[U+202E]");
    expect(run.stdout).not.toMatch(RAW);
    expect(run.stderr).not.toMatch(RAW);
  });

  it("the analyze summary on the terminal shows them as code points", async () => {
    const snapshot = await hostileSnapshot();
    const run = await runCli(["analyze", snapshot, "--out", path.join(path.dirname(snapshot), "out"), "--format", "json"]);
    expect(run.stderr).toContain("[U+001B]");
    expect(run.stderr).not.toMatch(RAW);
    expect(run.stdout).not.toMatch(RAW);
  });
});
