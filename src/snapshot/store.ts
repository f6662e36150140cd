// Reading and writing snapshot folders: validated manifest, atomic facet files, NDJSON read line by line.
import { constants, createReadStream } from "node:fs";
import { lstat, mkdir, rename, writeFile, open, unlink, type FileHandle } from "node:fs/promises";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { CtsError } from "../errors.js";
import { FileRefusedError, describeReadError, jsonSyntaxProblem, openForRead, parentInside, stripBom, truncateForMessage } from "../files.js";
import { facetSpec, isFacetId, type FacetId } from "./facets.js";
import type { FacetData } from "./graph-types.js";
import { manifestSchema, SNAPSHOT_SCHEMA_VERSION, type FacetEntry, type Manifest } from "./manifest.js";
import { scrubSecrets } from "../graph/scrub.js";
import { redactSecrets } from "./redact-secrets.js";
import { shapeProblem } from "./shapes.js";

export const MANIFEST_FILE = "manifest.json";

/** Files that may hold personal data are written owner-only. */
export const PRIVATE_MODE = 0o600;
/** Folders this creates for them (existing folders keep their mode). */
export const PRIVATE_DIR_MODE = 0o700;

/** A fresh private temp name beside `file` (same folder, so the rename into place is atomic). */
export const tempFile = (file: string): string => `${file}.${randomBytes(6).toString("hex")}.tmp`;

/** Write a file atomically: a temp file in the same folder, then rename over the target. Text never holds our secrets. */
export async function writeFileAtomic(file: string, data: string | Buffer): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true, mode: PRIVATE_DIR_MODE });
  const tmp = tempFile(file);
  // "wx": a symlink planted at the temp name is never followed.
  await writeFile(tmp, typeof data === "string" ? scrubSecrets(data) : data, { mode: PRIVATE_MODE, flag: "wx" });
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
    const tmp = stable ? partialFile(file) : tempFile(file);
    // A partial file is only ever a regular file this wrote; anything else at its name (a planted symlink) goes first.
    if (
      !options.resume ||
      !(await lstat(tmp).then(
        (st) => st.isFile(),
        () => true,
      ))
    )
      await unlink(tmp).catch(() => undefined);
    // Never through a symlink; O_APPEND: every write goes to the end, also after `keep` truncated the file.
    const flags = options.resume ? constants.O_RDWR | constants.O_APPEND | constants.O_CREAT : constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL;
    const handle = await open(tmp, flags | constants.O_NOFOLLOW, PRIVATE_MODE);
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
  async *kept(): AsyncGenerator {
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

/**
 * Open a file of a snapshot: never through a symlink (a snapshot holds none; one planted there could point anywhere)
 * nor a symlinked sub-folder, never a FIFO or device, and refused above `limit` before anything is read.
 */
async function openSnapshotFile(dir: string, file: string, limit: number, what: string): Promise<FileHandle> {
  if (!(await parentInside(dir, file))) throw new FileRefusedError("outside", file);
  const handle = await openForRead(file, { noFollow: true });
  const size = (await handle.stat()).size;
  if (size > limit) {
    await handle.close();
    throw new CtsError("SNAPSHOT_INVALID", `${what}: ${path.basename(file)} is ${mib(size)}, more than the ${mib(limit)} cts-doctor reads; not read`);
  }
  return handle;
}

async function readSnapshotText(dir: string, file: string, limit: number, what: string): Promise<string> {
  const handle = await openSnapshotFile(dir, file, limit, what);
  try {
    return stripBom(await handle.readFile("utf8"));
  } finally {
    await handle.close();
  }
}

/** Read and validate a snapshot's manifest; any problem is a one-line SNAPSHOT_* error. */
export async function readManifest(dir: string): Promise<Manifest> {
  const file = path.join(dir, MANIFEST_FILE);
  let text: string;
  try {
    text = await readSnapshotText(dir, file, READ_LIMITS.manifestBytes, dir);
  } catch (err) {
    if (err instanceof CtsError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "not found" : code === "ENOTDIR" ? "not a folder" : describeReadError(err);
    throw new CtsError("SNAPSHOT_INVALID", `${dir} is not a snapshot: ${MANIFEST_FILE} ${why}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new CtsError("SNAPSHOT_INVALID", `${file} is not valid JSON: ${jsonSyntaxProblem(err)}`);
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

/** Deepest nesting of arrays and objects a facet may have (Graph's own documents stay below 20). */
export const MAX_JSON_DEPTH = 100;

/** Whether `value` nests deeper than `max` (walked without recursion: the point is to refuse what would overflow). */
export function nestsDeeperThan(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  for (let top = stack.pop(); top; top = stack.pop()) {
    const [v, depth] = top;
    if (v === null || typeof v !== "object") continue;
    if (depth + 1 > max) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v)) if (child !== null && typeof child === "object") stack.push([child, depth + 1]);
  }
  return false;
}

/**
 * NDJSON facets whose items are one per key: a key seen twice means two runs wrote the file, or it was edited. (The
 * provisioning logs are left out: 1M entries' ids would cost what the streamed summary saves; their line count is checked.)
 */
const ITEM_KEYS: Partial<Record<FacetId, string>> = { "source.users": "id", "target.users": "id", "source.phoneMethods": "userId" };

/**
 * Read one facet file (the caller checks the manifest says it is ok; given its `entry`, an NDJSON facet must hold as
 * many items as the manifest counted when it was written). NDJSON is read line by line. The data must have the
 * facet's shape (shapes.ts): a hand-edited file with the wrong types is a SNAPSHOT_INVALID error here, not a surprise
 * inside a rule.
 */
export async function readFacet<K extends FacetId>(dir: string, id: K, entry?: FacetEntry): Promise<FacetData[K]> {
  const spec = facetSpec(id);
  const file = path.join(dir, spec.file);
  const invalid = (problem: string) => new CtsError("SNAPSHOT_INVALID", `facet ${id}: ${spec.file} ${problem}`);
  const tooDeep = () => invalid(`nests deeper than ${MAX_JSON_DEPTH} levels; not read`);
  if (spec.format === "ndjson") {
    const items: unknown[] = [];
    const key = ITEM_KEYS[id];
    const seen = new Set<unknown>();
    for await (const item of readNdjson(file, { dir, limit: READ_LIMITS.ndjsonFacetBytes, what: `facet ${id}` })) {
      if (nestsDeeperThan(item, MAX_JSON_DEPTH)) throw invalid(`line ${items.length + 1}: item nests deeper than ${MAX_JSON_DEPTH} levels; not read`);
      const problem = shapeProblem(id, item);
      if (problem) throw invalid(`line ${items.length + 1}: item ${problem}`);
      if (key) {
        const k = (item as Record<string, unknown>)[key];
        if (seen.has(k))
          throw invalid(
            `line ${items.length + 1}: ${key} ${truncateForMessage(String(k))} appears twice (written by two runs at once, or edited); collect again`,
          );
        seen.add(k);
      }
      items.push(item);
    }
    checkCount(id, spec.file, items.length, entry);
    return items as FacetData[K];
  }
  let text: string;
  try {
    text = await readSnapshotText(dir, file, READ_LIMITS.jsonFacetBytes, `facet ${id}`);
  } catch (err) {
    if (err instanceof CtsError) throw err;
    throw invalid(describeReadError(err));
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw invalid(`is not valid JSON: ${jsonSyntaxProblem(err)}`);
  }
  if (nestsDeeperThan(data, MAX_JSON_DEPTH)) throw tooDeep();
  const problem = shapeProblem(id, data);
  if (problem) throw invalid(`has the wrong shape ${problem}`);
  return data as FacetData[K];
}

/** An NDJSON facet must hold the item count the manifest recorded when it was written (older manifests without one pass). */
export function checkCount(id: FacetId, file: string, items: number, entry: FacetEntry | undefined): void {
  if (entry?.count === undefined || entry.count === items) return;
  throw new CtsError(
    "SNAPSHOT_INVALID",
    `facet ${id}: ${file} holds ${items} items but the manifest recorded ${entry.count} (written by two runs at once, or edited); collect again`,
  );
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

/** Where an NDJSON file sits: its snapshot folder (no symlinked sub-folder), its size limit and what to call it. */
export interface NdjsonSource {
  dir: string;
  limit?: number;
  what?: string;
}

/** Stream the items of an NDJSON file, one JSON.parse per line; never through a symlink, a BOM on the first line accepted. */
export async function* readNdjson(file: string, source?: NdjsonSource): AsyncGenerator {
  let handle: FileHandle;
  try {
    // No size limit unless asked: streamed line by line, only what the caller keeps is held.
    handle = await openSnapshotFile(source?.dir ?? path.dirname(file), file, source?.limit ?? Infinity, source?.what ?? path.basename(file));
  } catch (err) {
    if (err instanceof CtsError) throw err;
    throw new CtsError("SNAPSHOT_INVALID", `${path.basename(file)} ${describeReadError(err)}`);
  }
  const stream = handle.createReadStream();
  let n = 0;
  try {
    for await (const raw of boundedLines(stream, READ_LIMITS.ndjsonLineBytes, file)) {
      n++;
      const line = stripBom(raw.endsWith("\r") ? raw.slice(0, -1) : raw);
      if (line.trim() === "") continue;
      try {
        yield JSON.parse(line);
      } catch (err) {
        throw new CtsError("SNAPSHOT_INVALID", `${path.basename(file)} line ${n} is not valid JSON: ${jsonSyntaxProblem(err)}`);
      }
    }
  } catch (err) {
    if (err instanceof CtsError) throw err;
    throw new CtsError("SNAPSHOT_INVALID", `${path.basename(file)} ${describeReadError(err)}`);
  } finally {
    stream.destroy();
    await handle.close().catch(() => undefined);
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
