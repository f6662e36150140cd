// Evaluating a parsed $filter against one JSON item, with Graph's null, date and case rules.
import type { CompareOp, FilterNode, FunctionName, LiteralType, ParsedFilter } from "./odata-filter.js";

export interface FilterOptions {
  /** Compare plain strings ignoring case (Graph does for directory objects). */
  caseInsensitive: boolean;
}

type Scope = ReadonlyMap<string, unknown>;

/** True when `item` satisfies the filter. A non-boolean result (e.g. a bare string property) counts as false. */
export function matchesFilter(filter: ParsedFilter, item: unknown, options: FilterOptions): boolean {
  return evaluate(filter.ast, item, new Map(), options) === true;
}

function evaluate(node: FilterNode, item: unknown, scope: Scope, o: FilterOptions): unknown {
  switch (node.kind) {
    case "literal":
      return node.value;
    case "path":
      return resolve(node.segments, item, scope);
    case "and":
      return evaluate(node.left, item, scope, o) === true && evaluate(node.right, item, scope, o) === true;
    case "or":
      return evaluate(node.left, item, scope, o) === true || evaluate(node.right, item, scope, o) === true;
    case "not":
      return evaluate(node.operand, item, scope, o) !== true;
    case "compare":
      return compare(node.op, node.left, node.right, item, scope, o);
    case "in":
      return node.list.some((entry) => compare("eq", node.left, entry, item, scope, o));
    case "call":
      return call(
        node.name,
        node.args.map((a) => evaluate(a, item, scope, o)),
        o,
      );
    case "lambda": {
      const coll = resolve(node.segments, item, scope);
      if (!Array.isArray(coll)) return false;
      if (!node.body || !node.variable) return coll.length > 0;
      const { body, variable } = node;
      const test = (el: unknown): boolean => evaluate(body, item, new Map([...scope, [variable, el]]), o) === true;
      return node.op === "any" ? coll.some(test) : coll.every(test);
    }
  }
}

function resolve(segments: string[], item: unknown, scope: Scope): unknown {
  const [first, ...rest] = segments as [string, ...string[]];
  let current: unknown;
  let path = segments;
  if (scope.has(first)) {
    current = scope.get(first);
    path = rest;
  } else current = item;
  for (const seg of path) {
    if (current === null || typeof current !== "object" || Array.isArray(current)) return null;
    current = property(current as Record<string, unknown>, seg);
  }
  return current === undefined ? null : current;
}

/** Graph property names match case-insensitively; exact spelling is tried first. */
function property(obj: Record<string, unknown>, name: string): unknown {
  if (name in obj) return obj[name];
  const lower = name.toLowerCase();
  const key = Object.keys(obj).find((k) => k.toLowerCase() === lower);
  return key === undefined ? undefined : obj[key];
}

function call(name: FunctionName, args: unknown[], o: FilterOptions): unknown {
  const [a, b] = args;
  if (name === "tolower") return typeof a === "string" ? a.toLowerCase() : null;
  if (name === "toupper") return typeof a === "string" ? a.toUpperCase() : null;
  if (typeof a !== "string" || typeof b !== "string") return false;
  const [x, y] = o.caseInsensitive ? [a.toLowerCase(), b.toLowerCase()] : [a, b];
  if (name === "contains") return x.includes(y);
  if (name === "startswith") return x.startsWith(y);
  return x.endsWith(y);
}

function literalType(node: FilterNode): LiteralType | undefined {
  return node.kind === "literal" ? node.type : undefined;
}

function compare(op: CompareOp, leftNode: FilterNode, rightNode: FilterNode, item: unknown, scope: Scope, o: FilterOptions): boolean {
  let left = evaluate(leftNode, item, scope, o);
  let right = evaluate(rightNode, item, scope, o);
  const types = [literalType(leftNode), literalType(rightNode)];
  if (left === null || right === null) {
    if (op === "eq") return left === right;
    if (op === "ne") return left !== right;
    return false;
  }
  if (types.includes("datetime")) {
    left = typeof left === "string" ? Date.parse(left) : NaN;
    right = typeof right === "string" ? Date.parse(right) : NaN;
    if (Number.isNaN(left) || Number.isNaN(right)) return op === "ne";
  } else if (typeof left === "string" && typeof right === "string") {
    if (o.caseInsensitive || types.includes("enum") || types.includes("guid")) {
      left = left.toLowerCase();
      right = right.toLowerCase();
    }
  }
  if (typeof left !== typeof right || typeof left === "object") return op === "ne";
  const l = left as string | number | boolean;
  const r = right as string | number | boolean;
  switch (op) {
    case "eq":
      return l === r;
    case "ne":
      return l !== r;
    case "gt":
      return l > r;
    case "lt":
      return l < r;
    case "ge":
      return l >= r;
    case "le":
      return l <= r;
  }
}
