// Argument parsing for the bench scripts: node:util parseArgs, `--help`, and bad input as one line with exit 2.
import { parseArgs, type ParseArgsConfig } from "node:util";

/** Exit code for bad arguments, as the CLI's usage errors. */
export const USAGE_EXIT = 2;

function fail(script: string, message: string, usage: string): never {
  process.stderr.write(`${script}: ${message} (usage: ${usage})\n`);
  process.exit(USAGE_EXIT);
}

/**
 * Parse `argv` strictly: unknown options, a wrong number of positionals or a positional that looks like an option
 * (`--help` once became a folder name) are one-line errors; `--help` prints the usage and exits 0.
 */
export function benchArgs(
  script: string,
  usage: string,
  spec: { options?: NonNullable<ParseArgsConfig["options"]>; positionals: { min: number; max: number } },
  argv = process.argv.slice(2),
): { values: Record<string, string | boolean | (string | boolean)[] | undefined>; positionals: string[] } {
  let parsed: { values: Record<string, string | boolean | (string | boolean)[] | undefined>; positionals: string[] };
  try {
    parsed = parseArgs({ args: argv, options: { ...spec.options, help: { type: "boolean", short: "h" } }, allowPositionals: true, strict: true });
  } catch (err) {
    fail(script, (err as Error).message.split("\n", 1)[0] ?? "", usage);
  }
  if (parsed.values.help) {
    process.stdout.write(`usage: ${usage}\n`);
    process.exit(0);
  }
  const { positionals } = parsed;
  const dash = positionals.find((p) => p.startsWith("-"));
  if (dash !== undefined) fail(script, `"${dash}" is not a valid argument`, usage);
  if (positionals.length < spec.positionals.min || positionals.length > spec.positionals.max) {
    fail(
      script,
      `expected ${spec.positionals.min === spec.positionals.max ? spec.positionals.min : `${spec.positionals.min} to ${spec.positionals.max}`} argument(s), got ${positionals.length}`,
      usage,
    );
  }
  return { values: parsed.values, positionals };
}

/** A whole number ≥ `min` from an argument, or a one-line error. */
export function wholeNumber(script: string, usage: string, name: string, value: unknown, min = 1): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "string") fail(script, `${name}: needs a value`, usage);
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min) fail(script, `${name}: "${value}" is not a whole number ≥ ${min}`, usage);
  return n;
}

/** One of `choices`, or a one-line error. */
export function oneOf<T extends string>(script: string, usage: string, name: string, value: string | undefined, choices: readonly T[]): T {
  if (!choices.includes(value as T)) fail(script, `${name}: "${value ?? ""}" is not one of ${choices.join(", ")}`, usage);
  return value as T;
}
