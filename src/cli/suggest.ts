// "did you mean …?" for flags, rule ids and option values: one Levenshtein distance, used everywhere.
import { CtsError } from "../errors.js";

/** Edit distance (insertions, deletions, substitutions) between two strings. */
export function levenshtein(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    // Every index read is filled: prev has b.length + 1 entries, cur gains one per step.
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length] ?? 0;
}

/** The closest candidate, when it is close enough to be a typo (at most a third of the word, at least 1 edit). */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  const w = word.toLowerCase();
  let best: { c: string; d: number } | undefined;
  for (const c of candidates) {
    const d = levenshtein(w, c.toLowerCase());
    if (!best || d < best.d) best = { c, d };
  }
  return best && best.d <= Math.max(1, Math.floor(w.length / 3)) ? best.c : undefined;
}

/** ' (did you mean "x"?)' or "". */
export function didYouMean(word: string, candidates: readonly string[], quote = '"'): string {
  const c = closest(word, candidates);
  return c ? ` (did you mean ${quote}${c}${quote}?)` : "";
}

/** A value from a fixed list, or a usage error naming the allowed ones and the likely intended one. */
export function oneOf<T extends string>(flag: string, value: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new CtsError("USAGE", `${flag}: "${value}" is not one of ${allowed.join(", ")}${didYouMean(value, allowed)}`);
}
