// The exact tokens and secrets this process holds, so that every writer can take them out of what it writes.

/** Shorter values are not registered: scrubbing a word like "local" would mangle output, and no real secret is that short. */
export const MIN_SCRUBBED_LENGTH = 8;

// The marker the JWT pattern uses too, so the text reads the same whichever caught the value.
export const SCRUBBED = "[redacted-token]";

const values = new Set<string>();

/**
 * Remember a token or secret (an access token a credential handed out, a secret read from env, file or stdin). Kept
 * for the life of the process; its JSON-escaped form is kept too, for text inside JSON.
 */
export function registerSecret(value: string | undefined): void {
  if (!value || value.length < MIN_SCRUBBED_LENGTH || values.has(value)) return;
  values.add(value);
  const escaped = JSON.stringify(value).slice(1, -1);
  if (escaped !== value) values.add(escaped);
}

/** The registered values, for a worker thread of this process to register too (it has its own module state). */
export function registeredSecrets(): string[] {
  return [...values];
}

/** `text` with every registered value replaced; the pattern backstop (snapshot/redact-secrets.ts) runs on top. */
export function scrubSecrets(text: string): string {
  let out = text;
  for (const v of values) if (out.includes(v)) out = out.split(v).join(SCRUBBED);
  return out;
}
