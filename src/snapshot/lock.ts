// Exclusive lock files (a snapshot folder, a plan's journal): pid, host and start time; stale locks are taken over.
import { randomBytes } from "node:crypto";
import { constants, linkSync, readFileSync, unlinkSync } from "node:fs";
import { open, readFile, rename, unlink } from "node:fs/promises";
import { hostname } from "node:os";
import { CtsError } from "../errors.js";

/** What a lock file holds: enough to tell whether its owner is still running. */
export interface LockOwner {
  pid: number;
  host: string;
  startedAt: string;
  /** What holds it ("collect", "remediate apply"), for the refusal message. */
  command: string;
  /** Tells this lock apart from a later one at the same path (release removes only its own). */
  token: string;
}

export interface Lock {
  file: string;
  release(): Promise<void>;
}

/** A lock file still empty or half-written after this long was left by a run that died while creating it. */
const UNWRITTEN_GRACE_MS = 10_000;

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to another user.
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

function parseOwner(text: string): LockOwner | undefined {
  try {
    const o = JSON.parse(text) as Partial<LockOwner>;
    return typeof o.pid === "number" && Number.isInteger(o.pid) && typeof o.host === "string" && typeof o.startedAt === "string" && typeof o.token === "string"
      ? { pid: o.pid, host: o.host, startedAt: o.startedAt, command: typeof o.command === "string" ? o.command : "another run", token: o.token }
      : undefined;
  } catch {
    return undefined;
  }
}

/** Create the lock file only if none exists (O_EXCL never follows a symlink planted at its path). */
async function tryCreate(file: string, owner: LockOwner): Promise<boolean> {
  let handle;
  try {
    handle = await open(file, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw err;
  }
  try {
    await handle.writeFile(JSON.stringify(owner) + "\n");
  } finally {
    await handle.close();
  }
  return true;
}

/** Why the lock at `file` may be taken over (its owner is gone), or undefined while it is held. */
function staleness(text: string, ageMs: number): string | undefined {
  const owner = parseOwner(text);
  if (!owner) return ageMs > UNWRITTEN_GRACE_MS ? "an unreadable lock file" : undefined;
  if (owner.host !== hostname()) return undefined; // another machine's pid cannot be checked from here
  return isAlive(owner.pid) ? undefined : `a lock left by ${owner.command} (pid ${owner.pid}, started ${owner.startedAt}), which is no longer running`;
}

/**
 * Move a stale lock aside and check it is still the one judged stale: two runs taking over at once must not both win.
 * A live lock moved by mistake is put back (link never overwrites).
 */
async function takeOver(file: string, judged: string): Promise<boolean> {
  const aside = `${file}.${randomBytes(6).toString("hex")}.stale`;
  try {
    await rename(file, aside);
  } catch {
    return false;
  }
  const moved = await readFile(aside, "utf8").catch(() => "");
  if (moved !== judged) {
    try {
      linkSync(aside, file);
    } catch {
      // A third run took the path meanwhile: it holds the lock.
    }
  }
  await unlink(aside).catch(() => undefined);
  return moved === judged;
}

function refusal(file: string, what: string, text: string): CtsError {
  const o = parseOwner(text);
  const by = o ? `${o.command} (pid ${o.pid} on ${o.host}, started ${o.startedAt})` : "another run";
  return new CtsError("LOCKED", `${what} is in use by ${by}; wait for it to finish, or delete ${file} if that run is gone`);
}

/**
 * Take the lock at `file` for `what` ("snapshot folder X"), or throw LOCKED naming its holder. A stale lock (same host,
 * owner not running) is taken over and `notice` says so. The lock is also removed if the process exits without release.
 */
export async function acquireLock(file: string, what: string, command: string, notice: (line: string) => void = () => undefined): Promise<Lock> {
  const owner: LockOwner = { pid: process.pid, host: hostname(), startedAt: new Date().toISOString(), command, token: randomBytes(8).toString("hex") };
  for (let attempt = 0; attempt < 3; attempt++) {
    if (await tryCreate(file, owner)) return held(file, owner);
    const { text, ageMs } = await readLock(file);
    if (text === undefined) continue; // released meanwhile
    const stale = staleness(text, ageMs);
    if (!stale) throw refusal(file, what, text);
    if (await takeOver(file, text)) notice(`${what}: took over ${stale}`);
  }
  throw new CtsError("LOCKED", `${what} is in use: could not take ${file}; another run keeps taking it`);
}

async function readLock(file: string): Promise<{ text?: string; ageMs: number }> {
  let handle;
  try {
    handle = await open(file, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return { ageMs: 0 };
    // Something that is not a lock file we wrote (a symlink, a folder): never taken over automatically.
    return { text: "", ageMs: 0 };
  }
  try {
    const [text, st] = await Promise.all([handle.readFile("utf8"), handle.stat()]);
    return { text, ageMs: Date.now() - st.mtimeMs };
  } finally {
    await handle.close();
  }
}

function held(file: string, owner: LockOwner): Lock {
  const ours = () => {
    try {
      return parseOwner(readFileSync(file, "utf8"))?.token === owner.token;
    } catch {
      return false;
    }
  };
  // process.exit (a second Ctrl-C) skips finally blocks; the lock must not outlive the run.
  const onExit = () => {
    try {
      if (ours()) unlinkSync(file);
    } catch {
      // Exiting anyway; a lock left behind is stale and taken over by the next run.
    }
  };
  process.once("exit", onExit);
  return {
    file,
    release: async () => {
      process.off("exit", onExit);
      if (ours()) await unlink(file).catch(() => undefined);
    },
  };
}

/** Run `work` holding the lock at `file`. */
export async function withLock<T>(file: string, what: string, command: string, notice: (line: string) => void, work: () => Promise<T>): Promise<T> {
  const lock = await acquireLock(file, what, command, notice);
  try {
    return await work();
  } finally {
    await lock.release();
  }
}
