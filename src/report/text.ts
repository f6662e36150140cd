// Text for terminals: control, bidi and zero-width characters are shown as code points so tenant data cannot rewrite the screen.
import { visible } from "./html-view.js";

/** One line of terminal text: line breaks become spaces, escape sequences and hidden characters become [U+XXXX]. */
export function safeText(s: string): string {
  return visible(s.replace(/\r\n|[\r\n\u2028\u2029]/g, " "));
}
