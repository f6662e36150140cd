// The append-only apply journal (journal.jsonl): an intent before each write, its outcome after, skips with reasons.
import { createHash } from "node:crypto";
import { closeSync, constants, existsSync, openSync, readFileSync, writeSync } from "node:fs";
import type { Plan } from "./types.js";
import { scrubSecrets } from "../graph/scrub.js";

export interface JournalRequest {
  tenant: string;
  tenantId: string;
  method: string;
  url: string;
  body?: unknown;
}

interface Base {
  at: string;
  run: string;
  plan: string;
  step: string;
}

export type JournalEntry =
  | (Base & { type: "intent"; request: JournalRequest; clientRequestId: string; before: Record<string, unknown>; note?: string })
  | (Base & {
      type: "outcome";
      ok: boolean;
      status: number;
      requestId?: string;
      clientRequestId?: string;
      error?: { code: string; message: string };
      after?: Record<string, unknown>;
      inEffect?: boolean;
    })
  | (Base & {
      type: "skip";
      reason: "in-effect" | "drift" | "refused" | "declined" | "max-changes" | "read-failed";
      detail: string;
      readRequestId?: string;
      resolvesIntent?: boolean;
    });

/** A plan's identity in the journal: its steps' content, so an edited plan is a different plan. */
export function planId(plan: Plan): string {
  return createHash("sha256")
    .update(JSON.stringify([plan.createdAt, plan.steps]))
    .digest("hex")
    .slice(0, 16);
}

const APPEND_NO_FOLLOW = constants.O_WRONLY | constants.O_CREAT | constants.O_APPEND | constants.O_NOFOLLOW;

export class Journal {
  readonly entries: JournalEntry[];

  constructor(readonly file: string) {
    this.entries = existsSync(file)
      ? readFileSync(file, "utf8")
          .split("\n")
          .filter((line) => line.trim())
          .flatMap((line) => {
            try {
              return [JSON.parse(line) as JournalEntry];
            } catch {
              return []; // a line cut short by a crash: the entries before it still count
            }
          })
      : [];
  }

  /** Appended and flushed line by line, so a killed run leaves every intent it sent on disk. */
  append(entry: JournalEntry): void {
    // Owner-only: the journal holds request bodies (secret values of keys a step does not own are redacted).
    // Never through a symlink planted at the journal's path (O_NOFOLLOW): it would append to a file elsewhere.
    const fd = openSync(this.file, APPEND_NO_FOLLOW, 0o600);
    try {
      writeSync(fd, scrubSecrets(JSON.stringify(entry)) + "\n");
    } finally {
      closeSync(fd);
    }
    this.entries.push(entry);
  }

  private forStep(plan: string, step: string): JournalEntry[] {
    return this.entries.filter((e) => e.plan === plan && e.step === step);
  }

  /** The latest intent of a step with no outcome and no resolving skip after it: a write that may or may not have happened. */
  pendingIntent(plan: string, step: string): Extract<JournalEntry, { type: "intent" }> | undefined {
    const list = this.forStep(plan, step);
    const last = list[list.length - 1];
    return last?.type === "intent" ? last : undefined;
  }

  /** The intent of the latest write of a step that took effect (the source of its undo). */
  lastEffectiveIntent(plan: string, step: string): Extract<JournalEntry, { type: "intent" }> | undefined {
    const list = this.forStep(plan, step);
    for (let i = list.length - 1; i >= 0; i--) {
      const e = list[i];
      if (e?.type !== "intent") continue;
      const next = list[i + 1];
      if (next && ((next.type === "outcome" && next.ok) || (next.type === "skip" && next.resolvesIntent))) return e;
    }
    return undefined;
  }

  /** True when a write of this step was answered with success: the request id of that answer, else undefined. */
  succeeded(plan: string, step: string): string | undefined {
    const done = this.forStep(plan, step).find((e) => e.type === "outcome" && e.ok);
    return done && done.type === "outcome" ? (done.requestId ?? "") : undefined;
  }
}
