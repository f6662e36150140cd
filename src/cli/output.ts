// stderr diagnostics (progress, warnings, errors) so stdout stays clean for machine output.
import { CtsError, GraphRequestError, ExitCode } from "../errors.js";
import { terminalText } from "../report/html-view.js";
import { redactSecrets } from "../snapshot/redact-secrets.js";

export interface Output {
  quiet: boolean;
  debug: boolean;
}

/**
 * Text for the terminal (stderr, or stdout in text form): no secret, and no control or bidi character from tenant or
 * server text that a terminal would act on. Every human-readable line the CLI prints goes through this.
 */
export function forTerminal(text: string): string {
  return terminalText(redactSecrets(text));
}

export function info(out: Output, line: string): void {
  if (!out.quiet) process.stderr.write(forTerminal(line) + "\n");
}

export function debugLine(out: Output, line: string): void {
  if (out.debug) process.stderr.write(`[debug] ${forTerminal(line)}\n`);
}

const FILE_ERRORS: Record<string, string> = {
  EEXIST: "a file is in the way of a folder",
  ENOTDIR: "a file is in the way of a folder",
  EISDIR: "it is a folder",
  EACCES: "permission denied",
  EPERM: "permission denied",
  EROFS: "read-only file system",
  ENOSPC: "no space left on the device",
  // O_NOFOLLOW refused a symlink planted where a file is written.
  ELOOP: "it is a symbolic link (never followed when writing)",
};

/** A property of whatever was thrown (anything can be, even undefined). */
function propertyOf(err: unknown, key: "code" | "message"): unknown {
  return typeof err === "object" && err !== null ? (err as Record<string, unknown>)[key] : undefined;
}

/** The one-line reason for a file-system error writing an output, when it is one. */
function fileError(err: unknown): string | undefined {
  const code = propertyOf(err, "code");
  return typeof code === "string" ? FILE_ERRORS[code] : undefined;
}

/** One line for any error; the stack only with --debug. Returns the exit code. */
export function renderError(err: unknown, debug: boolean): number {
  let line: string;
  let code: number;
  if (err instanceof CtsError) {
    line = err.message;
    code = err.exitCode;
  } else if (err instanceof GraphRequestError) {
    line = `Graph error ${err.status || ""} ${err.graphCode}: ${err.message}${err.requestId ? ` (request-id ${err.requestId})` : ""}`.replace("  ", " ");
    code = ExitCode.collect;
  } else if (fileError(err)) {
    // An output path that cannot be written is bad input, not a crash.
    const e = err as NodeJS.ErrnoException;
    line = `cannot write ${e.path ?? "the output"}: ${fileError(err) ?? ""}`;
    code = ExitCode.usage;
  } else {
    const message = propertyOf(err, "message");
    line = `internal error: ${typeof message === "string" ? message : String(err)}${debug ? "" : " (run with --debug for details)"}`;
    code = ExitCode.usage;
  }
  // Messages can carry server text (Graph error messages): never let a token through, even with --debug.
  process.stderr.write(`cts-doctor: ${forTerminal(line.split("\n")[0] ?? "")}\n`);
  if (debug && err instanceof Error && err.stack) process.stderr.write(forTerminal(err.stack) + "\n");
  return code;
}
