// Wrong-typed strings in a snapshot: refused at load in one line (exit 2), and nothing is written.
import { cp, mkdtemp, readdir, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ExitCode } from "../../../src/errors.js";
import { runCli } from "../../helpers/cli.js";
import { scenarioDir } from "../../helpers/pair.js";
import { SCENARIO } from "./fault-run.js";

/** A copy of the scenario with line 0 of an NDJSON facet (or the whole JSON facet) changed by `edit`. */
async function hostileCopy(file: string, edit: (value: Record<string, unknown>) => void): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), "wrong-types-"));
  const snapshot = path.join(dir, "snapshot");
  await cp(scenarioDir(SCENARIO), snapshot, { recursive: true });
  const target = path.join(snapshot, file);
  const text = await readFile(target, "utf8");
  if (file.endsWith(".ndjson")) {
    const lines = text.split("\n");
    const first = JSON.parse(lines[0]!) as Record<string, unknown>;
    edit(first);
    lines[0] = JSON.stringify(first);
    await writeFile(target, lines.join("\n"));
  } else {
    const value = JSON.parse(text) as Record<string, unknown>;
    edit(value);
    await writeFile(target, JSON.stringify(value));
  }
  return snapshot;
}

const cases: [string, string, (v: Record<string, unknown>) => void, RegExp][] = [
  ["a numeric displayName on a user", "source/users.ndjson", (u) => (u.displayName = 12345), /source\.users.*displayName/],
  [
    "an object errorCode in a log entry",
    "source/provisioningLogs.ndjson",
    (e) => ((e.provisioningStatusInfo as { errorInformation: Record<string, unknown> }).errorInformation.errorCode = { x: 1 }),
    /provisioningLogs.*errorCode/,
  ],
  ["a numeric userPrincipalName on a target user", "target/users.ndjson", (u) => (u.userPrincipalName = 7), /target\.users.*userPrincipalName/],
  [
    "a numeric display name on the service principal",
    "source/syncServicePrincipals.json",
    (v) => ((v as unknown as Record<string, unknown>[])[0]!.displayName = 1),
    /syncServicePrincipals.*displayName/,
  ],
  [
    "an array job status code",
    "source/syncJobs.json",
    (v) => ((Object.values(v)[0] as Record<string, Record<string, unknown>>[])[0]!.status!.code = ["x"]),
    /syncJobs.*code/,
  ],
];

describe("wrong-typed strings in a snapshot", () => {
  it.each(cases)("%s: one-line error, exit 2, no report written", async (_name, file, edit, message) => {
    const snapshot = await hostileCopy(file, edit);
    const out = path.join(path.dirname(snapshot), "out");
    const run = await runCli(["analyze", snapshot, "--out", out, "--format", "json,html,csv,md,sarif,junit"]);
    expect(run.code, run.stderr).toBe(ExitCode.usage);
    expect(run.stderr).not.toMatch(/internal error/);
    expect(run.stderr.trim().split("\n")).toHaveLength(1);
    expect(run.stderr).toMatch(message);
    const written = await readdir(out).catch(() => []);
    expect(written).toEqual([]);
  });
});
