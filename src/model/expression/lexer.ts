// Splits an expression into tokens: [attribute], "string" with \ escapes, numbers, &H hex, names, ( ) , and comparisons.
import { ExpressionSyntaxError } from "./ast.js";

export type Token =
  | { type: "attribute"; text: string; pos: number }
  | { type: "string"; text: string; pos: number }
  | { type: "number"; value: number; text: string; pos: number }
  | { type: "name"; text: string; pos: number }
  | { type: "punct"; text: "(" | ")" | ","; pos: number }
  | { type: "op"; text: "=" | "<>" | ">" | ">=" | "<" | "<="; pos: number }
  | { type: "end"; pos: number };

const NAME = /[A-Za-z_][A-Za-z0-9_]*/y;
const NUMBER = /-?\d+(?:\.\d+)?/y;
const HEX = /&H([0-9A-Fa-f]+)/y;
const OPS = ["<>", ">=", "<=", "=", ">", "<"] as const;

/** A string constant from its opening quote: `\"` is a quote and `\\` a backslash; any other `\x` is kept as written. */
function readString(src: string, start: number): { text: string; end: number } {
  let text = "";
  let i = start + 1;
  while (i < src.length) {
    const c = src.charAt(i);
    if (c === '"') return { text, end: i + 1 };
    if (c === "\\" && (src[i + 1] === '"' || src[i + 1] === "\\")) {
      text += src.charAt(i + 1);
      i += 2;
      continue;
    }
    text += c;
    i += 1;
  }
  throw new ExpressionSyntaxError('unterminated string constant (opened with ")', start);
}

function readSticky(re: RegExp, src: string, pos: number): RegExpExecArray | null {
  re.lastIndex = pos;
  return re.exec(src);
}

function tokenAt(src: string, pos: number): Token & { end: number } {
  const c = src.charAt(pos);
  if (c === "[") {
    const close = src.indexOf("]", pos + 1);
    if (close < 0) throw new ExpressionSyntaxError("unterminated attribute name (opened with [)", pos);
    const name = src.slice(pos + 1, close);
    if (name.trim() === "") throw new ExpressionSyntaxError("empty attribute name []", pos);
    return { type: "attribute", text: name, pos, end: close + 1 };
  }
  if (c === '"') {
    const s = readString(src, pos);
    return { type: "string", text: s.text, pos, end: s.end };
  }
  if (c === "(" || c === ")" || c === ",") return { type: "punct", text: c, pos, end: pos + 1 };
  const op = OPS.find((o) => src.startsWith(o, pos));
  if (op) return { type: "op", text: op, pos, end: pos + op.length };
  const hex = readSticky(HEX, src, pos);
  if (hex) return { type: "number", value: parseInt(hex[1] ?? "", 16), text: hex[0], pos, end: pos + hex[0].length };
  const num = readSticky(NUMBER, src, pos);
  if (num) return { type: "number", value: Number(num[0]), text: num[0], pos, end: pos + num[0].length };
  const name = readSticky(NAME, src, pos);
  if (name) return { type: "name", text: name[0], pos, end: pos + name[0].length };
  throw new ExpressionSyntaxError(`unexpected character ${JSON.stringify(c)}`, pos);
}

/** All tokens of `src`, ending with an `end` token. Whitespace (including new lines) separates tokens. */
export function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  let pos = 0;
  for (;;) {
    while (pos < src.length && /\s/.test(src.charAt(pos))) pos++;
    if (pos >= src.length) break;
    const { end, ...token } = tokenAt(src, pos);
    tokens.push(token);
    pos = end;
  }
  tokens.push({ type: "end", pos: src.length });
  return tokens;
}
