// Reading and writing snapshot folders: validated manifest, atomic facet files, NDJSON read line by line.
import { createReadStream } from "node:fs";
import { mkdir, readFile, rename, writeFile, open, stat, unlink } from "node:fs/promises";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { CtsError } from "../errors.js";
import { facetSpec, isFacetId, type FacetId } from "./facets.js";
import type { FacetData } from "./graph-types.js";
import { manifestSchema, SNAPSHOT_SCHEMA_VERSION, type Manifest } from "./manifest.js";
import { scrubSecrets } from "../graph/scrub.js";
import { redactSecrets } from "./redact-secrets.js";
import { shapeProblem } from "./shapes.js";

export const MANIFEST_FILE = "manifest.json";

/** Files that may hold personal data are written owner-only. */
const PRIVATE_MODE = 0o600;
/** Folders this creates for them (existing folders keep their mode). */
const PRIVATE_DIR_MODE = 0o700;

/** Write a file atomically: a temp file in the same folder, then rename over the target. Text never holds our secrets. */
export async function writeFileAtomic(file: string, data: string | Buffer): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true, mode: PRIVATE_DIR_MODE });
  const tmp = `${file}.${randomBytes(6).toString("hex")}.tmp`;
  await writeFile(tmp, typeof data === "string" ? scrubSecrets(data) : data, { mode: PRIVATE_MODE });
  await rename(tmp, file);
}

/** The stable file an NDJSON facet is appended to while it is collected, so an interrupted run can continue it. */
export const partialFile = (file: string): string => `${file}.partial`;

export interface NdjsonOpenOptions {
  /** Append to the stable `<file>.partial` instead of a random temp file (collection writes it page by page). */
  partial?: boolean;
  /**
   * Keep an existing `<file>.partial`: `keep(n)` then keeps its first n items; a write or commit without `keep` starts
   * it over. Implies `partial`.
   */
  resume?: boolean;
}

/** Writes NDJSON line by line to a temp file; `commit` renames it into place, so readers never see half a facet. */
export class NdjsonWriter {
  private count = 0;
  /** Resuming and not yet decided what of the existing partial file stays. */
  private undecided: boolean;
  private constructor(
    private readonly file: string,
    private readonly tmp: string,
    private readonly handle: import("node:fs/promises").FileHandle,
    resume: boolean,
  ) {
    this.undecided = resume;
  }

  static async open(file: string, options: NdjsonOpenOptions = {}): Promise<NdjsonWriter> {
    await mkdir(path.dirname(file), { recursive: true, mode: PRIVATE_DIR_MODE });
    const stable = options.partial || options.resume;
    const tmp = stable ? partialFile(file) : `${file}.${randomBytes(6).toString("hex")}.tmp`;
    // "a+": every write goes to the end, also after `keep` truncated the file.
    const handle = await open(tmp, options.resume ? "a+" : "w", PRIVATE_MODE);
    return new NdjsonWriter(file, tmp, handle, options.resume === true);
  }

  async write(items: readonly unknown[]): Promise<void> {
    if (items.length === 0) return;
    if (this.undecided) await this.keep(0);
    await this.handle.write(scrubSecrets(items.map((i) => JSON.stringify(i)).join("\n") + "\n"));
    this.count += items.length;
  }

  get written(): number {
    return this.count;
  }

  /** Resuming and neither `keep` nor a write has happened yet: the partial file is still as the last run left it. */
  get pending(): boolean {
    return this.undecided;
  }

  /**
   * Keep the first `items` lines of the partial file (a line written halfway when the run stopped goes); false, and an
   * empty file, when it holds fewer.
   */
  async keep(items: number): Promise<boolean> {
    this.undecided = false;
    const offset = items === 0 ? 0 : await offsetAfterLines(this.tmp, items);
    await this.handle.truncate(offset ?? 0);
    this.count = offset === undefined ? 0 : items;
    return offset !== undefined;
  }

  /** The items kept by `keep`, read back from the partial file. */
  async *kept(): AsyncGenerator<unknown> {
    let n = 0;
    for await (const item of readNdjson(this.tmp)) {
      if (n++ >= this.count) return;
      yield item;
    }
  }

  /** Drop the temp file: a failed facet leaves nothing behind. */
  async abort(): Promise<void> {
    await this.handle.close().catch(() => undefined);
    await unlink(this.tmp).catch(() => undefined);
  }

  /** Close and leave the partial file for a later run to continue. */
  async close(): Promise<void> {
    await this.handle.close().catch(() => undefined);
  }

  async commit(): Promise<number> {
    if (this.undecided) await this.keep(0);
    await this.handle.close();
    await rename(this.tmp, this.file);
    return this.count;
  }
}

/** The byte offset just after the `lines`-th newline of a file, or undefined when it has fewer. */
async function offsetAfterLines(file: string, lines: number): Promise<number | undefined> {
  const stream = createReadStream(file);
  let seen = 0;
  let offset = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      for (let nl = chunk.indexOf(10); nl >= 0; nl = chunk.indexOf(10, nl + 1)) {
        if (++seen === lines) return offset + nl + 1;
      }
      offset += chunk.length;
    }
  } finally {
    stream.destroy();
  }
  return undefined;
}

export async function writeManifest(dir: string, manifest: Manifest): Promise<void> {
  // Facet error messages come from servers; a token echoed in one must not end up in a file meant to be shared.
  await writeFileAtomic(path.join(dir, MANIFEST_FILE), redactSecrets(JSON.stringify(manifest, null, 2)) + "\n");
}

/**
 * Size limits for reading. A JSON facet is parsed as one string (V8 caps strings near 512 MiB), so a larger one is
 * refused before it is read; NDJSON streams, but its items are kept in memory and one line must fit in a string.
 */
export const READ_LIMITS = {
  manifestBytes: 16 * 1024 * 1024,
  jsonFacetBytes: 256 * 1024 * 1024,
  ndjsonFacetBytes: 2 * 1024 * 1024 * 1024,
  ndjsonLineBytes: 64 * 1024 * 1024,
};

const mib = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MiB`;

/** Refuse a file larger than `limit` before reading it (a missing file is left for the reader to report). */
async function checkSize(file: string, limit: number, what: string): Promise<void> {
  const size = await stat(file).then((s) => s.size, () => undefined);
  if (size !== undefined && size > limit) {
    throw new CtsError("SNAPSHOT_INVALID", `${what}: ${path.basename(file)} is ${mib(size)}, more than the ${mib(limit)} cts-doctor reads; not read`);
  }
}

function unreadable(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  return code === "ENOENT" ? "is missing" : code === "EISDIR" ? "is a folder" : `is unreadable (${code ?? "error"})`;
}

/** Read and validate a snapshot's manifest; any problem is a one-line SNAPSHOT_* error. */
export async function readManifest(dir: string): Promise<Manifest> {
  const file = path.join(dir, MANIFEST_FILE);
  let text: string;
  try {
    await checkSize(file, READ_LIMITS.manifestBytes, dir);
    text = await readFile(file, "utf8");
  } catch (err) {
    if (err instanceof CtsError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "not found" : code === "ENOTDIR" ? "not a folder" : `unreadable (${code ?? "error"})`;
    throw new CtsError("SNAPSHOT_INVALID", `${dir} is not a snapshot: ${MANIFEST_FILE} ${why}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new CtsError("SNAPSHOT_INVALID", `${file} is not valid JSON: ${(err as Error).message}`);
  }
  const version = (raw as { schemaVersion?: unknown } | null)?.schemaVersion;
  if (typeof version === "number" && version !== SNAPSHOT_SCHEMA_VERSION) {
    throw new CtsError(
      "SNAPSHOT_VERSION",
      `${file} has schema version ${version}; this cts-doctor reads version ${SNAPSHOT_SCHEMA_VERSION}` +
        (version > SNAPSHOT_SCHEMA_VERSION ? " (upgrade cts-doctor)" : ""),
    );
  }
  const parsed = manifestSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue ? issue.path.join(".") || "(root)" : "(root)";
    throw new CtsError("SNAPSHOT_INVALID", `${file} is invalid at ${where}: ${issue?.message ?? "unknown problem"}`);
  }
  for (const id of Object.keys(parsed.data.facets)) {
    if (!isFacetId(id)) throw new CtsError("SNAPSHOT_INVALID", `${file} names an unknown facet "${id}"`);
  }
  return parsed.data;
}

/**
 * Read one facet file (the caller checks the manifest says it is ok). NDJSON is read line by line. The data must have
 * the facet's shape (shapes.ts): a hand-edited file with the wrong types is a SNAPSHOT_INVALID error here, not a
 * surprise inside a rule.
 */
export async function readFacet<K extends FacetId>(dir: string, id: K): Promise<FacetData[K]> {
  const spec = facetSpec(id);
  const file = path.join(dir, spec.file);
  const invalid = (problem: string) => new CtsError("SNAPSHOT_INVALID", `facet ${id}: ${spec.file} ${problem}`);
  if (spec.format === "ndjson") {
    await checkSize(file, READ_LIMITS.ndjsonFacetBytes, `facet ${id}`);
    const items: unknown[] = [];
    for await (const item of readNdjson(file)) {
      const problem = shapeProblem(id, item);
      if (problem) throw invalid(`line ${items.length + 1}: item ${problem}`);
      items.push(item);
    }
    return items as FacetData[K];
  }
  await checkSize(file, READ_LIMITS.jsonFacetBytes, `facet ${id}`);
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (err) {
    throw invalid(unreadable(err));
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw invalid(`is not valid JSON: ${(err as Error).message}`);
  }
  const problem = shapeProblem(id, data);
  if (problem) throw invalid(`has the wrong shape ${problem}`);
  return data as FacetData[K];
}

/** Lines of a UTF-8 stream, refusing one longer than `maxBytes` (readline would buffer it whole). */
async function* boundedLines(stream: AsyncIterable<Buffer>, maxBytes: number, file: string): AsyncGenerator<string> {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  for await (const chunk of stream) {
    let start = 0;
    for (let nl = chunk.indexOf(10); nl >= 0; nl = chunk.indexOf(10, start)) {
      pending.push(chunk.subarray(start, nl));
      yield Buffer.concat(pending).toString("utf8");
      pending = [];
      pendingBytes = 0;
      start = nl + 1;
    }
    if (start < chunk.length) {
      pending.push(chunk.subarray(start));
      pendingBytes += chunk.length - start;
      if (pendingBytes > maxBytes) throw new CtsError("SNAPSHOT_INVALID", `${path.basename(file)}: a line is longer than ${mib(maxBytes)}; not read`);
    }
  }
  if (pendingBytes > 0) yield Buffer.concat(pending).toString("utf8");
}

/** Stream the items of an NDJSON file, one JSON.parse per line. */
export async function* readNdjson(file: string): AsyncGenerator<unknown> {
  const stream = createReadStream(file);
  let n = 0;
  try {
    for await (const raw of boundedLines(stream, READ_LIMITS.ndjsonLineBytes, file)) {
      n++;
      const line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
      if (line.trim() === "") continue;
      try {
        yield JSON.parse(line);
      } catch (err) {
        throw new CtsError("SNAPSHOT_INVALID", `${path.basename(file)} line ${n} is not valid JSON: ${(err as Error).message}`);
      }
    }
  } catch (err) {
    if (err instanceof CtsError) throw err;
    throw new CtsError("SNAPSHOT_INVALID", `${path.basename(file)} ${unreadable(err)}`);
  } finally {
    stream.destroy();
  }
}

/** Write a whole facet (used by fixtures and the emulator round trip; collectors stream NDJSON themselves). */
export async function writeFacet<K extends FacetId>(dir: string, id: K, data: FacetData[K]): Promise<number> {
  const spec = facetSpec(id);
  const file = path.join(dir, spec.file);
  if (spec.format === "ndjson") {
    const writer = await NdjsonWriter.open(file);
    await writer.write(data as unknown[]);
    return writer.commit();
  }
  await writeFileAtomic(file, JSON.stringify(data, null, 2) + "\n");
  return countOf(data);
}

/** Item count recorded in the manifest: array length, map size, 1 for an entity, 0 for null. */
export function countOf(data: unknown): number {
  if (data === null || data === undefined) return 0;
  if (Array.isArray(data)) return data.length;
  if (typeof data === "object") return 1;
  return 1;
}
