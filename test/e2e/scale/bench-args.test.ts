// The bench scripts parse their arguments: --help prints the usage, bad input is one line and exit 2, nothing written.
import { spawnSync } from "node:child_process";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { packageRoot } from "../../../src/version.js";

let cwd: string;
beforeAll(async () => void (cwd = await mkdtemp(path.join(tmpdir(), "cts-bench-args-"))));
afterAll(() => rm(cwd, { recursive: true, force: true }));

const run = (script: string, args: string[]) =>
  spawnSync(process.execPath, [path.join(packageRoot, "dist", "bench", script), ...args], { cwd, encoding: "utf8" });

describe("bench arguments", () => {
  it("generate --help prints the usage and writes no pair", async () => {
    for (const flag of ["--help", "-h"]) {
      const r = run("generate.js", [flag]);
      expect(r.status).toBe(0);
      expect(r.stdout).toMatch(/^usage: generate\.js DIR/);
    }
    expect(await readdir(cwd)).toEqual([]);
  });

  it.each([
    ["generate.js", [], /expected 1 to 3 argument/],
    ["generate.js", ["--users", "5"], /Unknown option '--users'/],
    ["generate.js", ["out", "many"], /users: "many" is not a whole number/],
    ["generate.js", ["out", "10", "5", "--seed"], /--seed/],
    ["collection-worker.js", ["nope", "http://127.0.0.1:1", "x"], /mode: "nope" is not one of diagnose, guide/],
    ["run.js", ["extra"], /expected 0 argument/],
  ] as const)("%s %j is one line on stderr and exit 2", async (script, args, message) => {
    const r = run(script, [...args]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stdout).toBe("");
    expect(await readdir(cwd)).toEqual([]);
  });
});
