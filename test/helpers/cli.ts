// Test helper: run the CLI's main() in-process with extra environment, capturing stdout and stderr.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { expect, vi } from "vitest";
import { main } from "../../src/cli/main.js";
import { packageRoot } from "../../src/version.js";

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** `env` values set variables for the run (undefined removes one); everything is restored afterwards. */
export async function runCli(args: string[], env: Record<string, string | undefined> = {}): Promise<CliRun> {
  const saved = { ...process.env };
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined) Reflect.deleteProperty(process.env, k);
    else process.env[k] = v;
  }
  let stdout = "";
  let stderr = "";
  const out = vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => ((stdout += String(chunk)), true));
  const err = vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => ((stderr += String(chunk)), true));
  // One command's exit code must never leak into the next.
  process.exitCode = undefined;
  try {
    return { code: await main(args), stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
    process.env = saved;
    process.exitCode = undefined;
  }
}

/** The built CLI, as a user runs it. */
export const CLI_BIN = path.join(packageRoot, "dist", "src", "cli", "main.js");

/** Run the built CLI in a child process (exit codes, stdout/stderr and signals exactly as a shell sees them). */
export function spawnCli(args: string[], env: Record<string, string> = {}, timeout = 60_000): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI_BIN, ...args], { encoding: "utf8", env: { ...process.env, ...env }, timeout });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The error contract: the exit code, one line `cts-doctor: …` containing `text`, and no stack trace. */
export function expectOneLineError(r: { code: number | null; stderr: string }, code: number, text: string): void {
  expect(r.code, r.stderr).toBe(code);
  const lines = r.stderr.trim().split("\n");
  expect(lines, r.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^cts-doctor: /);
  expect(lines[0]).toContain(text);
  expect(r.stderr).not.toMatch(/\n\s+at /);
}
