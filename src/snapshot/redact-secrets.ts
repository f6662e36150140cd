// Backstop for secrets in text we write (logs, error lines, manifests): the process's own, bearer tokens, JWTs, client secrets.
import { scrubSecrets } from "../graph/scrub.js";

// A JWT is three base64url parts; Azure AD tokens start with eyJ (a JSON header). The unsigned ones end in a dot.
const JWT = /eyJ[\w-]{2,}\.[\w-]{2,}\.[\w-]*/g;
// Not a short plain word: "any non-empty bearer token is accepted" (the emulator's banner) is prose, not a credential.
const BEARER = /\b(Bearer)\s+(?![A-Za-z]{1,15}(?=[\s"',;]|$))[^\s"',;]+/gi;
// Form-encoded or JSON-ish: client_secret=…, "client_assertion": "…", refresh_token=…, access_token=…
const NAMED = /\b(client_secret|client_assertion|refresh_token|access_token|id_token|password)(["']?\s*[=:]\s*["']?)[^\s"'&,;}]+/gi;

/** The text with every token and secret the process holds, and anything that looks like one, replaced by a marker. */
export function redactSecrets(text: string): string {
  return scrubSecrets(text).replace(JWT, "[redacted-token]").replace(BEARER, "$1 [redacted]").replace(NAMED, "$1$2[redacted]");
}
