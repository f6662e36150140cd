// A small recursive-descent parser for the OData $filter subset Graph clients send to our routes (evaluation: filter-eval.ts).
//
// Supported: comparisons `eq ne gt lt ge le` and `in (…)`; `and`, `or`, `not`, parentheses; property paths
// (`servicePrincipal/id`); string literals with '' escaping, numbers, true/false/null, unquoted ISO dates and
// date-times, unquoted GUIDs, enum literals (`microsoft.graph.provisioningResult'failure'`); functions
// contains, startswith, endswith, tolower, toupper; lambdas `coll/any(x: x/prop eq 'v')` and `all`.
// Anything else is a FilterError (the routes answer 400 Request_UnsupportedQuery).
// String comparison is case-insensitive when the caller says so (directory objects) and case-sensitive otherwise
// (provisioning logs: "the filters are all case sensitive"); enum and GUID literals always compare case-insensitively.
import { GUID_SOURCE } from "../guid.js";

export class FilterError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "FilterError";
  }
}

export type CompareOp = "eq" | "ne" | "gt" | "lt" | "ge" | "le";
export type LiteralType = "string" | "number" | "boolean" | "null" | "datetime" | "guid" | "enum";
export type FunctionName = "contains" | "startswith" | "endswith" | "tolower" | "toupper";

export type FilterNode =
  | { kind: "literal"; type: LiteralType; value: string | number | boolean | null }
  | { kind: "path"; segments: string[] }
  | { kind: "call"; name: FunctionName; args: FilterNode[] }
  | { kind: "compare"; op: CompareOp; left: FilterNode; right: FilterNode }
  | { kind: "in"; left: FilterNode; list: FilterNode[] }
  | { kind: "and" | "or"; left: FilterNode; right: FilterNode }
  | { kind: "not"; operand: FilterNode }
  | { kind: "lambda"; op: "any" | "all"; segments: string[]; variable: string | null; body: FilterNode | null };

export interface ParsedFilter {
  ast: FilterNode;
  /** Uses `ne`, `not` or `endswith`, which Graph only allows on directory objects as an advanced query. */
  advanced: boolean;
}

const COMPARE_OPS = new Set<string>(["eq", "ne", "gt", "lt", "ge", "le"]);
const FUNCTIONS: Record<FunctionName, number> = { contains: 2, startswith: 2, endswith: 2, tolower: 1, toupper: 1 };

type Token =
  | { t: "(" | ")" | "," | ":"; pos: number }
  | { t: "string"; value: string; pos: number }
  | { t: "number"; value: number; pos: number }
  | { t: "datetime" | "guid" | "ident"; value: string; pos: number }
  | { t: "enum"; typeName: string; value: string; pos: number };

const GUID = new RegExp(String.raw`^${GUID_SOURCE}(?![\w-])`, "i");
const DATETIME = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})?)?(?![\w:.-])/;
const NUMBER = /^-?\d+(?:\.\d+)?(?![\w.])/;
const IDENT = /^[A-Za-z_][\w.]*(?:\/[A-Za-z_][\w.]*)*/;

function lex(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === "(" || c === ")" || c === "," || c === ":") {
      tokens.push({ t: c, pos: i });
      i++;
      continue;
    }
    if (c === "'") {
      const [value, end] = readString(text, i);
      tokens.push({ t: "string", value, pos: i });
      i = end;
      continue;
    }
    const rest = text.slice(i);
    const guid = GUID.exec(rest);
    if (guid) {
      tokens.push({ t: "guid", value: guid[0], pos: i });
      i += guid[0].length;
      continue;
    }
    const date = DATETIME.exec(rest);
    if (date) {
      tokens.push({ t: "datetime", value: date[0], pos: i });
      i += date[0].length;
      continue;
    }
    const num = NUMBER.exec(rest);
    if (num) {
      tokens.push({ t: "number", value: Number(num[0]), pos: i });
      i += num[0].length;
      continue;
    }
    const ident = IDENT.exec(rest);
    if (ident) {
      const end = i + ident[0].length;
      if (text[end] === "'") {
        // Enum literal: the type name is glued to the quoted member name.
        const [value, after] = readString(text, end);
        tokens.push({ t: "enum", typeName: ident[0], value, pos: i });
        i = after;
      } else {
        tokens.push({ t: "ident", value: ident[0], pos: i });
        i = end;
      }
      continue;
    }
    throw new FilterError(`Syntax error at position ${i} in '${text}'.`);
  }
  return tokens;
}

/** Reads a '...' literal starting at `start`; a doubled quote is one quote. Returns the value and the index after it. */
function readString(text: string, start: number): [string, number] {
  let value = "";
  let i = start + 1;
  for (;;) {
    if (i >= text.length) throw new FilterError(`Unterminated string literal at position ${start}.`);
    const c = text[i] as string;
    if (c === "'") {
      if (text[i + 1] === "'") {
        value += "'";
        i += 2;
        continue;
      }
      return [value, i + 1];
    }
    value += c;
    i++;
  }
}

class Parser {
  private i = 0;
  advanced = false;
  constructor(
    private readonly tokens: Token[],
    private readonly text: string,
  ) {}

  parse(): FilterNode {
    if (this.tokens.length === 0) throw new FilterError("The $filter expression is empty.");
    const node = this.or();
    const extra = this.tokens[this.i];
    if (extra) throw new FilterError(`Syntax error at position ${extra.pos} in '${this.text}'.`);
    return node;
  }

  private peek(): Token | undefined {
    return this.tokens[this.i];
  }

  private keyword(word: string): boolean {
    const t = this.peek();
    if (t?.t === "ident" && t.value.toLowerCase() === word) {
      this.i++;
      return true;
    }
    return false;
  }

  private expect(kind: "(" | ")" | "," | ":"): void {
    const t = this.peek();
    if (t?.t !== kind) throw new FilterError(`Expected '${kind}' at position ${t?.pos ?? this.text.length} in '${this.text}'.`);
    this.i++;
  }

  private or(): FilterNode {
    let left = this.and();
    while (this.keyword("or")) left = { kind: "or", left, right: this.and() };
    return left;
  }

  private and(): FilterNode {
    let left = this.unary();
    while (this.keyword("and")) left = { kind: "and", left, right: this.unary() };
    return left;
  }

  private unary(): FilterNode {
    if (this.keyword("not")) {
      this.advanced = true;
      return { kind: "not", operand: this.unary() };
    }
    return this.comparison();
  }

  private comparison(): FilterNode {
    const left = this.operand();
    const t = this.peek();
    if (t?.t !== "ident") return left;
    const op = t.value.toLowerCase();
    if (COMPARE_OPS.has(op)) {
      this.i++;
      if (op === "ne") this.advanced = true;
      return { kind: "compare", op: op as CompareOp, left, right: this.operand() };
    }
    if (op === "in") {
      this.i++;
      this.expect("(");
      const list: FilterNode[] = [this.operand()];
      while (this.peek()?.t === ",") {
        this.i++;
        list.push(this.operand());
      }
      this.expect(")");
      return { kind: "in", left, list };
    }
    if (op === "and" || op === "or") return left;
    throw new FilterError(`Unsupported operator '${t.value}'.`);
  }

  private operand(): FilterNode {
    const t = this.peek();
    if (!t) throw new FilterError(`Unexpected end of $filter '${this.text}'.`);
    this.i++;
    switch (t.t) {
      case "(": {
        const inner = this.or();
        this.expect(")");
        return inner;
      }
      case "string":
        return { kind: "literal", type: "string", value: t.value };
      case "number":
        return { kind: "literal", type: "number", value: t.value };
      case "datetime":
        return { kind: "literal", type: "datetime", value: t.value };
      case "guid":
        return { kind: "literal", type: "guid", value: t.value };
      case "enum":
        return { kind: "literal", type: "enum", value: t.value };
      case "ident":
        return this.identifier(t.value);
      default:
        throw new FilterError(`Syntax error at position ${t.pos} in '${this.text}'.`);
    }
  }

  private identifier(name: string): FilterNode {
    const lower = name.toLowerCase();
    if (lower === "true" || lower === "false") return { kind: "literal", type: "boolean", value: lower === "true" };
    if (lower === "null") return { kind: "literal", type: "null", value: null };
    const segments = name.split("/");
    const isCall = this.peek()?.t === "(";
    if (!isCall) return { kind: "path", segments };
    const last = (segments[segments.length - 1] as string).toLowerCase();
    if (segments.length > 1 && (last === "any" || last === "all")) return this.lambda(last, segments.slice(0, -1));
    if (segments.length === 1 && lower in FUNCTIONS) return this.call(lower as FunctionName);
    throw new FilterError(`Unsupported function '${name}'.`);
  }

  private call(name: FunctionName): FilterNode {
    this.expect("(");
    const args: FilterNode[] = [this.or()];
    while (this.peek()?.t === ",") {
      this.i++;
      args.push(this.or());
    }
    this.expect(")");
    if (args.length !== FUNCTIONS[name]) throw new FilterError(`Function '${name}' takes ${FUNCTIONS[name]} argument(s).`);
    if (name === "endswith") this.advanced = true;
    return { kind: "call", name, args };
  }

  private lambda(op: "any" | "all", segments: string[]): FilterNode {
    this.expect("(");
    if (this.peek()?.t === ")") {
      this.i++;
      if (op === "all") throw new FilterError("all() needs a lambda expression.");
      return { kind: "lambda", op, segments, variable: null, body: null };
    }
    const v = this.peek();
    if (v?.t !== "ident" || v.value.includes("/")) throw new FilterError(`Expected a lambda variable in '${this.text}'.`);
    this.i++;
    this.expect(":");
    const body = this.or();
    this.expect(")");
    return { kind: "lambda", op, segments, variable: v.value, body };
  }
}

/** Parse a $filter string; throws FilterError on anything outside the subset. */
export function parseFilter(text: string): ParsedFilter {
  const parser = new Parser(lex(text), text);
  const ast = parser.parse();
  return { ast, advanced: parser.advanced };
}
