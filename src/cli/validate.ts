// Checks on argv before any command runs: numbers through the config's own zod pieces, ports, and --out writability.
import { mkdir, rmdir, stat } from "node:fs/promises";
import path from "node:path";
import type { z } from "zod";
import { collectionSchema } from "../config/schema.js";
import { CtsError } from "../errors.js";
import { checkSinceArg } from "./options.js";

/** The command-line twin of each collection setting, validated by the same schema piece as the config value. */
const NUMBER_OPTIONS: { flag: string; key: string; schema: z.ZodType }[] = [
  { flag: "--concurrency", key: "concurrency", schema: collectionSchema.shape.concurrency },
  { flag: "--timeout", key: "timeout", schema: collectionSchema.shape.timeoutSeconds },
];

/** A command-line value as typed: repeated flags (arrays) joined with commas, as String() would. */
function argText(value: unknown): string {
  if (Array.isArray(value)) return value.map(argText).join(",");
  if (typeof value === "object" && value !== null) return JSON.stringify(value);
  return String(value);
}

export function checkNumbers(argv: Record<string, unknown>): void {
  for (const { flag, key, schema } of NUMBER_OPTIONS) {
    if (argv[key] === undefined) continue;
    const parsed = schema.safeParse(argv[key]);
    if (!parsed.success) throw new CtsError("USAGE", `${flag}: ${parsed.error.issues[0]?.message ?? "invalid"} (got ${argText(argv[key])})`);
  }
  if (argv["port"] !== undefined) {
    const port = argv["port"] as number;
    if (!(Number.isInteger(port) && port >= 0 && port <= 65535))
      throw new CtsError("USAGE", `--port: must be a whole number from 0 to 65535 (0 picks a free one), got ${String(port)}`);
  }
}

const WRITE_ERRORS: Record<string, string> = {
  ENOENT: "folders cannot be created there",
  ENOTDIR: "a file is in the way of a folder",
  EACCES: "permission denied",
  EPERM: "permission denied",
  EROFS: "read-only file system",
  ENOSPC: "no space left on the device",
};

/** The nearest folder that exists on the way up from `p`. */
async function existingAncestor(p: string): Promise<string> {
  for (let dir = path.resolve(p); ; dir = path.dirname(dir)) {
    const s = await stat(dir).catch(() => undefined);
    if (s) {
      if (!s.isDirectory()) throw Object.assign(new Error("not a folder"), { code: "ENOTDIR" });
      return dir;
    }
    if (path.dirname(dir) === dir) return dir;
  }
}

/**
 * Fail fast when `--out` cannot be written: a probe folder is made and removed in the nearest existing folder, one
 * level at a time (a recursive mkdir under /proc never returns on some kernels), before anything is collected.
 */
export async function checkWritable(target: string, isFile: boolean): Promise<void> {
  const dir = isFile ? path.dirname(path.resolve(target)) : path.resolve(target);
  try {
    const base = await existingAncestor(dir);
    const probe = path.join(base, `.cts-doctor-probe-${process.pid}`);
    await mkdir(probe);
    await rmdir(probe);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? "";
    throw new CtsError("USAGE", `--out ${target}: cannot write there (${WRITE_ERRORS[code] ?? code})`);
  }
}

/** Commands whose --out names a file (its folder must be writable) rather than a folder. */
const FILE_OUT = new Set(["export", "remediate"]);

export async function validateArgv(argv: Record<string, unknown>): Promise<void> {
  checkNumbers(argv);
  if (typeof argv["since"] === "string") checkSinceArg(argv["since"], typeof argv["until"] === "string" ? argv["until"] : undefined);
  const first = (argv["_"] as unknown[] | undefined)?.[0];
  const command = first === undefined ? "" : argText(first);
  // history reads check's --out folder; it writes nothing.
  if (command === "init" && typeof argv["file"] === "string") await checkWritable(argv["file"], true);
  if (typeof argv["out"] === "string" && command !== "history") await checkWritable(argv["out"], FILE_OUT.has(command));
}
