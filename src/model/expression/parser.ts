// Parses expression text into a syntax tree and checks each call against the documented functions.
import { ExpressionSyntaxError, type Node } from "./ast.js";
import { tokenize, type Token } from "./lexer.js";
import { CONSTANT_NAMES, SIGNATURES, isFunctionName } from "./signatures.js";

// Deeper nesting than any real mapping; keeps hostile input from exhausting the stack.
const MAX_DEPTH = 100;

class Parser {
  private i = 0;
  constructor(private readonly tokens: Token[]) {}

  private peek(): Token {
    return this.at(this.i);
  }

  private next(): Token {
    return this.at(this.i++);
  }

  /** The lexer always ends the tokens with an end token, which the parser never reads past. */
  private at(i: number): Token {
    const token = this.tokens[i] ?? this.tokens.at(-1);
    if (!token) throw new Error("no tokens to parse");
    return token;
  }

  private isPunct(text: string): boolean {
    const t = this.peek();
    return t.type === "punct" && t.text === text;
  }

  /** An argument: an operand, optionally compared with another (`[country]="USA"`). */
  argument(depth: number): Node {
    const left = this.operand(depth);
    const t = this.peek();
    if (t.type !== "op") return left;
    this.next();
    const right = this.operand(depth);
    return { kind: "compare", op: t.text, left, right, pos: t.pos };
  }

  private operand(depth: number): Node {
    const t = this.next();
    switch (t.type) {
      case "attribute":
        return { kind: "attribute", name: t.text, pos: t.pos };
      case "string":
        return { kind: "string", value: t.text, pos: t.pos };
      case "number":
        return { kind: "number", value: t.value, text: t.text, pos: t.pos };
      case "name":
        return this.isPunct("(") ? this.call(t.text, t.pos, depth) : this.constantName(t.text, t.pos);
      case "end":
        throw new ExpressionSyntaxError("the expression ends where a value was expected", t.pos);
      default:
        throw new ExpressionSyntaxError(`expected a value, found ${JSON.stringify(t.text)}`, t.pos);
    }
  }

  private constantName(name: string, pos: number): Node {
    if ((CONSTANT_NAMES as readonly string[]).includes(name)) return { kind: "name", name, pos };
    const hint = isFunctionName(name) ? ` (${name} is a function: write ${name}(…))` : ' (attributes go in [ ], strings in " ")';
    throw new ExpressionSyntaxError(`unknown name ${name}${hint}`, pos);
  }

  private call(name: string, pos: number, depth: number): Node {
    if (depth >= MAX_DEPTH) throw new ExpressionSyntaxError(`functions nested more than ${MAX_DEPTH} deep`, pos);
    this.next(); // "("
    const args: Node[] = [];
    if (this.isPunct(")")) {
      this.next();
      return { kind: "call", name, args, pos };
    }
    for (;;) {
      const t = this.peek();
      const empty = t.type === "punct" && (t.text === "," || t.text === ")");
      args.push(empty ? { kind: "empty", pos: t.pos } : this.argument(depth + 1));
      const sep = this.next();
      if (sep.type === "punct" && sep.text === ")") return { kind: "call", name, args, pos };
      if (!(sep.type === "punct" && sep.text === ",")) {
        const found = sep.type === "end" ? "the end of the expression" : JSON.stringify(sep.text);
        throw new ExpressionSyntaxError(`expected "," or ")" in ${name}(…), found ${found}`, sep.pos);
      }
    }
  }

  /** The whole text is one argument-like expression followed by the end. */
  expression(): Node {
    const node = this.argument(0);
    const t = this.peek();
    if (t.type !== "end") throw new ExpressionSyntaxError(`unexpected ${JSON.stringify(t.text)} after the expression`, t.pos);
    return node;
  }
}

function checkCall(node: Extract<Node, { kind: "call" }>, topLevel: boolean): void {
  const { name, args, pos } = node;
  if (!isFunctionName(name)) {
    const other = Object.keys(SIGNATURES).find((k) => k.toLowerCase() === name.toLowerCase());
    throw new ExpressionSyntaxError(`unknown function ${name}${other ? ` (names are case-sensitive: ${other})` : ""}`, pos);
  }
  const [min, max] = SIGNATURES[name];
  if (args.length < min || args.length > max) {
    const want = min === max ? `${min}` : max === Infinity ? `at least ${min}` : `${min} to ${max}`;
    throw new ExpressionSyntaxError(`${name} takes ${want} argument${want === "1" ? "" : "s"}, not ${args.length}`, pos);
  }
  // functions-for-customizing-application-data.md, "Switch": key and value come in pairs (an even count in all).
  if (name === "Switch" && args.length % 2 !== 0)
    throw new ExpressionSyntaxError("Switch needs its keys and values in pairs (an even number of arguments)", pos);
  // "SelectUniqueValue": "This function must be at the top-level and can't be nested."
  if (name === "SelectUniqueValue" && !topLevel)
    throw new ExpressionSyntaxError("SelectUniqueValue must be at the top level of the expression, not nested", pos);
}

function check(node: Node, topLevel: boolean): void {
  if (node.kind === "compare") {
    check(node.left, false);
    check(node.right, false);
  } else if (node.kind === "call") {
    checkCall(node, topLevel);
    for (const a of node.args) check(a, false);
  }
}

/** Parse and check an expression; throws ExpressionSyntaxError (with the position) for anything invalid. */
export function parseExpression(text: string): Node {
  const node = new Parser(tokenize(text)).expression();
  check(node, true);
  return node;
}
