// A text file written piece by piece into a private temp file and renamed into place: writeFileAtomic without the whole text.
import { constants, createReadStream } from "node:fs";
import { mkdir, open, rename, unlink, type FileHandle } from "node:fs/promises";
import path from "node:path";
import { scrubSecrets } from "../graph/scrub.js";
import { PRIVATE_DIR_MODE, PRIVATE_MODE, tempFile } from "./store.js";

/** Bytes copied per read and write: each buffer is written at once, so it need not be small. */
const COPY_BYTES = 1024 * 1024;

export class AtomicTextWriter {
  private committed = false;
  /** The write under way: the caller prepares its next piece meanwhile, and waits for it only to write that. */
  private inflight: Promise<unknown> = Promise.resolve();

  private constructor(
    readonly file: string,
    /** The temp file the text goes to until commit. */
    readonly tmp: string,
    private readonly handle: FileHandle,
  ) {}

  static async open(file: string): Promise<AtomicTextWriter> {
    await mkdir(path.dirname(file), { recursive: true, mode: PRIVATE_DIR_MODE });
    const tmp = tempFile(file);
    // O_EXCL and O_NOFOLLOW: a symlink planted at the temp name is never followed.
    const handle = await open(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, PRIVATE_MODE);
    return new AtomicTextWriter(file, tmp, handle);
  }

  /** Append `text`, scrubbed of this process's secrets as writeFileAtomic does (piece by piece: a secret never spans two). */
  async write(text: string): Promise<void> {
    if (text) await this.send(Buffer.from(scrubSecrets(text)));
  }

  /** Append bytes already scrubbed (text a worker thread of this process rendered and scrubbed). */
  async writeScrubbed(bytes: Uint8Array): Promise<void> {
    if (bytes.length > 0) await this.send(bytes);
  }

  /** Everything written so far is in the file. */
  async flush(): Promise<void> {
    await this.inflight;
  }

  /** Start writing once the previous write is done; a failure surfaces at the next write or flush. */
  private async send(data: Uint8Array): Promise<void> {
    await this.inflight;
    const write = this.handle.write(data);
    write.catch(() => undefined); // handled here so it is not an unhandled rejection meanwhile; awaiting it still throws
    this.inflight = write;
  }

  /** Append the bytes of another file as they are (text this process wrote, already scrubbed). */
  async append(file: string): Promise<void> {
    await this.flush();
    for await (const chunk of createReadStream(file, { highWaterMark: COPY_BYTES }) as AsyncIterable<Buffer>) await this.handle.write(chunk);
  }

  async commit(): Promise<void> {
    await this.flush();
    await this.handle.close();
    await rename(this.tmp, this.file);
    this.committed = true;
  }

  /** Drop the temp file unless committed: a failed write leaves nothing behind. */
  async abort(): Promise<void> {
    if (this.committed) return;
    await this.inflight.catch(() => undefined);
    await this.handle.close().catch(() => undefined);
    await unlink(this.tmp).catch(() => undefined);
  }
}
