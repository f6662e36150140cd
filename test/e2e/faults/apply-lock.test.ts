// Two `remediate apply` of one plan at once: the second is refused (LOCKED, exit 5), so no write is sent twice.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, symlink, writeFile } from "node:fs/promises";
import { hostname, tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it, vi } from "vitest";
import { runApply, runPlan } from "../../../src/cli/remediate.js";
import { CtsError, ExitCode } from "../../../src/errors.js";
import { journalLockFile } from "../../../src/remediate/apply.js";
import { runCli } from "../../helpers/cli.js";
import { benchEach, quiet, writesSeen } from "../../remediate/helpers.js";

const b = benchEach();

/** The pid of a process that has exited (a crashed apply's). */
function deadPid(): number {
  const r = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" });
  return Number(r.stdout);
}

async function plan(): Promise<{ file: string; steps: number }> {
  const file = path.join(b.dir, "plan.json");
  const made = await runPlan({ ...quiet, config: b.configFile, out: file, allowTenantWide: true }, { readCredentials: b.credentials });
  return { file, steps: made.steps.length };
}

const apply = (file: string) => runApply({ ...quiet, plan: file, yes: true, allowReadCredentials: false, verify: false });

describe("remediate apply holds the journal's lock", () => {
  it("two applies of one plan at once: one applies every step, the other is refused before any write", async () => {
    const { file, steps } = await plan();
    const results = await Promise.allSettled([apply(file), apply(file)]);
    const refused = results.filter((r) => r.status === "rejected");
    expect(refused).toHaveLength(1);
    const err = (refused[0] as PromiseRejectedResult).reason as CtsError;
    expect(err).toBeInstanceOf(CtsError);
    expect(err.code).toBe("LOCKED");
    expect(err.exitCode).toBe(ExitCode.locked);
    expect(err.message).toMatch(
      /^journal .*journal\.jsonl is in use by remediate apply \(pid \d+ on .+, started .+\); wait for it to finish, or delete .*journal\.jsonl\.lock if that run is gone$/,
    );
    const writes = writesSeen(b.emulator);
    expect(writes).toHaveLength(steps);
    expect(new Set(writes.map((w) => `${w.method} ${w.path}`)).size).toBe(steps);
    // Released when the run ends: the lock file is gone and a later apply runs (and writes nothing more).
    expect(existsSync(journalLockFile(path.join(b.dir, "journal.jsonl")))).toBe(false);
    expect((await apply(file)).result.writes).toBe(0);
  }, 60_000);

  it("through the CLI the refusal is one line and exit code 5", async () => {
    const { file } = await plan();
    const lock = journalLockFile(path.join(b.dir, "journal.jsonl"));
    await writeFile(lock, JSON.stringify({ pid: process.pid, host: hostname(), startedAt: new Date().toISOString(), command: "remediate apply", token: "x" }));
    const run = await runCli(["remediate", "apply", file, "--config", b.configFile, "--yes", "--no-verify", "--quiet"]);
    expect(run.code).toBe(5);
    expect(run.stderr.trim().split("\n")).toHaveLength(1);
    expect(run.stderr).toMatch(/^cts-doctor: journal .* is in use by remediate apply/);
    expect(writesSeen(b.emulator)).toEqual([]);
    // Not ours to remove: the lock of a live run stays.
    expect(existsSync(lock)).toBe(true);
  }, 60_000);

  it("a stale lock (this host, its process gone) is taken over with a notice", async () => {
    const { file, steps } = await plan();
    const lock = journalLockFile(path.join(b.dir, "journal.jsonl"));
    const pid = deadPid();
    await writeFile(lock, JSON.stringify({ pid, host: hostname(), startedAt: "2026-01-01T00:00:00.000Z", command: "remediate apply", token: "old" }));
    let stderr = "";
    vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => ((stderr += String(chunk)), true));
    const result = await runApply({ quiet: false, debug: false, plan: file, yes: true, allowReadCredentials: false, verify: false });
    expect(stderr).toContain(
      `cts-doctor: journal ${path.join(b.dir, "journal.jsonl")}: took over a lock left by remediate apply (pid ${pid}, started 2026-01-01T00:00:00.000Z), which is no longer running\n`,
    );
    expect(result.result.writes).toBe(steps);
    expect(existsSync(lock)).toBe(false);
  }, 60_000);

  it("a lock held on another host is never taken over (its pid cannot be checked from here)", async () => {
    const { file } = await plan();
    const lock = journalLockFile(path.join(b.dir, "journal.jsonl"));
    await writeFile(
      lock,
      JSON.stringify({ pid: deadPid(), host: `not-${hostname()}`, startedAt: "2026-01-01T00:00:00.000Z", command: "remediate apply", token: "other" }),
    );
    await expect(apply(file)).rejects.toMatchObject({ code: "LOCKED", message: expect.stringContaining(`on not-${hostname()}`) });
    expect(writesSeen(b.emulator)).toEqual([]);
  }, 60_000);

  it("a journal.jsonl planted as a symlink is never appended through: one line, exit 2, nothing written", async () => {
    const { file } = await plan();
    const victim = path.join(await mkdtemp(path.join(tmpdir(), "victim-")), "authorized_keys");
    await writeFile(victim, "ssh-ed25519 AAAA victim\n");
    await symlink(victim, path.join(b.dir, "journal.jsonl"));
    const run = await runCli(["remediate", "apply", file, "--config", b.configFile, "--yes", "--no-verify", "--quiet"]);
    expect(run.code).toBe(2);
    expect(run.stderr.trim()).toBe(`cts-doctor: cannot write ${path.join(b.dir, "journal.jsonl")}: it is a symbolic link (never followed when writing)`);
    expect(await readFile(victim, "utf8")).toBe("ssh-ed25519 AAAA victim\n");
    expect(writesSeen(b.emulator)).toEqual([]);
  }, 60_000);
});
