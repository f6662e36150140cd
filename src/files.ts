// The one file reader: no symlink followed out of its folder, no FIFO or device, a UTF-8 BOM accepted, never quoted in errors.
import { constants } from "node:fs";
import { open, realpath, type FileHandle } from "node:fs/promises";
import path from "node:path";

/** Why a file was not read, as a code the callers turn into their own one-line error. */
export type ReadRefusal = "symlink" | "outside" | "folder" | "not-a-file" | "too-large";

/** A file refused before it was read (node's own errors, ENOENT and the like, pass through unchanged). */
export class FileRefusedError extends Error {
  readonly code: ReadRefusal;
  constructor(code: ReadRefusal, file: string, detail?: string) {
    super(`${file}: ${describeRefusal(code)}${detail ? ` (${detail})` : ""}`);
    this.name = "FileRefusedError";
    this.code = code;
  }
}

function describeRefusal(code: ReadRefusal): string {
  switch (code) {
    case "symlink":
      return "is a symbolic link; not read";
    case "outside":
      return "resolves outside its folder; not read";
    case "folder":
      return "is a folder";
    case "not-a-file":
      return "is not a regular file; not read";
    case "too-large":
      return "is too large; not read";
  }
}

/** One line for why a file could not be read, without its contents: "is missing", "is a symbolic link; not read". */
export function describeReadError(err: unknown): string {
  if (err instanceof FileRefusedError) return describeRefusal(err.code);
  const code = err instanceof Error ? (err as NodeJS.ErrnoException).code : undefined;
  if (code === "ENOENT") return "is missing";
  if (code === "EISDIR") return "is a folder";
  if (code === "ELOOP") return describeRefusal("symlink");
  if (code === "ENOTDIR") return "is not in a folder";
  return `is unreadable (${code ?? "error"})`;
}

export interface OpenOptions {
  /** Refuse a symlink at the file's own name (snapshot files are never symlinks). */
  noFollow?: boolean;
  /** The file's real path must be inside this folder's real path (a symlink out of it is refused). */
  within?: string;
  maxBytes?: number;
}

/** Whether `real` is `root` or below it. */
const isUnder = (real: string, root: string) => real === root || real.startsWith(root.endsWith(path.sep) ? root : root + path.sep);

/**
 * Open a regular file for reading. O_NONBLOCK keeps a FIFO from blocking the open; the fstat then refuses it (and
 * devices, folders). With `within`, the path is resolved first: a symlink to /etc/… is refused, one inside is fine
 * (Kubernetes mounts config files as symlinks into their own folder).
 */
export async function openForRead(file: string, options: OpenOptions = {}): Promise<FileHandle> {
  if (options.within !== undefined) {
    const [real, root] = await Promise.all([realpath(file), realpath(options.within)]);
    if (!isUnder(real, root)) throw new FileRefusedError("outside", file);
  }
  const flags = constants.O_RDONLY | constants.O_NONBLOCK | (options.noFollow ? constants.O_NOFOLLOW : 0);
  let handle: FileHandle;
  try {
    handle = await open(file, flags);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ELOOP") throw new FileRefusedError("symlink", file);
    throw err;
  }
  try {
    const st = await handle.stat();
    if (!st.isFile()) throw new FileRefusedError(st.isDirectory() ? "folder" : "not-a-file", file);
    if (options.maxBytes !== undefined && st.size > options.maxBytes)
      throw new FileRefusedError("too-large", file, `${mib(st.size)}, more than the ${mib(options.maxBytes)} cts-doctor reads`);
  } catch (err) {
    await handle.close();
    throw err;
  }
  return handle;
}

export const mib = (bytes: number): string => `${Math.round(bytes / 1024 / 1024)} MiB`;

/** Read a text file through `openForRead`; a leading UTF-8 BOM (Windows tools write one) is dropped. */
export async function readTextFile(file: string, options: OpenOptions = {}): Promise<string> {
  const handle = await openForRead(file, options);
  try {
    return stripBom(await handle.readFile("utf8"));
  } finally {
    await handle.close();
  }
}

export const stripBom = (text: string): string => (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);

/** Whether every folder between `root` and `file` is a real folder inside `root` (no symlinked sub-folder). */
export async function parentInside(root: string, file: string): Promise<boolean> {
  try {
    const [parent, real] = await Promise.all([realpath(path.dirname(file)), realpath(root)]);
    return parent === path.join(real, path.relative(root, path.dirname(file)));
  } catch {
    return true; // a missing folder: the open that follows reports it
  }
}

/**
 * A JSON.parse failure in one line that never quotes the text: V8 puts the start of the input in its message
 * (`Unexpected token 'r', "root:x:0:0"… is not valid JSON`), which for a planted symlink is another file's contents.
 */
export function jsonSyntaxProblem(err: unknown): string {
  const message = err instanceof Error ? err.message : "";
  if (/unexpected end of json input/i.test(message)) return "ends before the JSON value does";
  const at = /at position (\d+)/.exec(message)?.[1];
  return at ? `invalid JSON at position ${at}` : "invalid JSON";
}

/** A string from a file or the tenant, cut to `max` characters for an error message. */
export function truncateForMessage(value: string, max = 80): string {
  return value.length > max ? `${value.slice(0, max)}… (${value.length} characters)` : value;
}
