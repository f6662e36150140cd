// Reading and writing snapshot folders: validated manifest, atomic facet files, NDJSON read line by line.
import { createReadStream } from "node:fs";
import { mkdir, readFile, rename, writeFile, open, unlink } from "node:fs/promises";
import path from "node:path";
import { createInterface } from "node:readline";
import { randomBytes } from "node:crypto";
import { CtsError } from "../errors.js";
import { facetSpec, isFacetId, type FacetId } from "./facets.js";
import type { FacetData } from "./graph-types.js";
import { manifestSchema, SNAPSHOT_SCHEMA_VERSION, type Manifest } from "./manifest.js";

export const MANIFEST_FILE = "manifest.json";

/** Files that may hold personal data are written owner-only. */
const PRIVATE_MODE = 0o600;

/** Write a file atomically: a temp file in the same folder, then rename over the target. */
export async function writeFileAtomic(file: string, data: string | Buffer): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${randomBytes(6).toString("hex")}.tmp`;
  await writeFile(tmp, data, { mode: PRIVATE_MODE });
  await rename(tmp, file);
}

/** Writes NDJSON line by line to a temp file; `commit` renames it into place, so readers never see half a facet. */
export class NdjsonWriter {
  private count = 0;
  private constructor(
    private readonly file: string,
    private readonly tmp: string,
    private readonly handle: import("node:fs/promises").FileHandle,
  ) {}

  static async open(file: string): Promise<NdjsonWriter> {
    await mkdir(path.dirname(file), { recursive: true });
    const tmp = `${file}.${randomBytes(6).toString("hex")}.tmp`;
    const handle = await open(tmp, "w", PRIVATE_MODE);
    return new NdjsonWriter(file, tmp, handle);
  }

  async write(items: readonly unknown[]): Promise<void> {
    if (items.length === 0) return;
    await this.handle.write(items.map((i) => JSON.stringify(i)).join("\n") + "\n");
    this.count += items.length;
  }

  get written(): number {
    return this.count;
  }

  /** Drop the temp file: a failed facet leaves nothing behind. */
  async abort(): Promise<void> {
    await this.handle.close().catch(() => undefined);
    await unlink(this.tmp).catch(() => undefined);
  }

  async commit(): Promise<number> {
    await this.handle.close();
    await rename(this.tmp, this.file);
    return this.count;
  }
}

export async function writeManifest(dir: string, manifest: Manifest): Promise<void> {
  await writeFileAtomic(path.join(dir, MANIFEST_FILE), JSON.stringify(manifest, null, 2) + "\n");
}

/** Read and validate a snapshot's manifest; any problem is a one-line SNAPSHOT_* error. */
export async function readManifest(dir: string): Promise<Manifest> {
  const file = path.join(dir, MANIFEST_FILE);
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (err) {
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

/** Read one facet file (the caller checks the manifest says it is ok). NDJSON is read line by line. */
export async function readFacet<K extends FacetId>(dir: string, id: K): Promise<FacetData[K]> {
  const spec = facetSpec(id);
  const file = path.join(dir, spec.file);
  if (spec.format === "ndjson") {
    const items: unknown[] = [];
    for await (const item of readNdjson(file)) items.push(item);
    return items as FacetData[K];
  }
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (err) {
    throw new CtsError("SNAPSHOT_INVALID", `facet ${id}: ${spec.file} unreadable (${(err as NodeJS.ErrnoException).code ?? "error"})`);
  }
  try {
    return JSON.parse(text) as FacetData[K];
  } catch (err) {
    throw new CtsError("SNAPSHOT_INVALID", `facet ${id}: ${spec.file} is not valid JSON: ${(err as Error).message}`);
  }
}

/** Stream the items of an NDJSON file, one JSON.parse per line. */
export async function* readNdjson(file: string): AsyncGenerator<unknown> {
  const stream = createReadStream(file, { encoding: "utf8" });
  const done = new Promise<void>((resolve, reject) => {
    stream.once("error", reject);
    stream.once("close", resolve);
  });
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  let n = 0;
  try {
    for await (const line of lines) {
      n++;
      if (line.trim() === "") continue;
      try {
        yield JSON.parse(line);
      } catch (err) {
        throw new CtsError("SNAPSHOT_INVALID", `${path.basename(file)} line ${n} is not valid JSON: ${(err as Error).message}`);
      }
    }
  } catch (err) {
    if (err instanceof CtsError) throw err;
    throw new CtsError("SNAPSHOT_INVALID", `${path.basename(file)} unreadable (${(err as NodeJS.ErrnoException).code ?? "error"})`);
  } finally {
    lines.close();
    stream.destroy();
    await done.catch(() => undefined);
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
