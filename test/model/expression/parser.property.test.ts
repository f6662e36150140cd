// Property tests of the expression parser: printing round-trips, and no input throws anything but a typed error.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  DateValue,
  ExpressionEvaluationError,
  ExpressionSyntaxError,
  SIGNATURES,
  attributesContext,
  evaluateExpression,
  parseExpression,
  printExpression,
  type Node,
} from "../../../src/model/expression/index.js";

const NAMES = Object.keys(SIGNATURES).filter((n) => n !== "SelectUniqueValue") as (keyof typeof SIGNATURES)[];

type CompareOp = Extract<Node, { kind: "compare" }>["op"];

/** A tree without positions, for comparing what was printed with what was read back. */
function strip(node: Node): unknown {
  const rest: Partial<Node> = { ...node };
  delete rest.pos;
  if (node.kind === "call") return { ...rest, args: node.args.map(strip) };
  if (node.kind === "compare") return { ...rest, left: strip(node.left), right: strip(node.right) };
  return rest;
}

// Typed constructors, so each arbitrary below yields a Node without an assertion.
const attribute = (name: string): Node => ({ kind: "attribute", name, pos: 0 });
const str = (value: string): Node => ({ kind: "string", value, pos: 0 });
const number = (value: number, written: string): Node => ({ kind: "number", value, text: written, pos: 0 });
const bareName = (name: string): Node => ({ kind: "name", name, pos: 0 });
const EMPTY: Node = { kind: "empty", pos: 0 };
const compare = ([left, op, right]: [Node, CompareOp, Node]): Node => ({ kind: "compare", op, left, right, pos: 0 });
const call = (name: string, args: Node[]): Node => ({ kind: "call", name, args, pos: 0 });

const leaf: fc.Arbitrary<Node> = fc.oneof(
  fc
    .string({ minLength: 1, maxLength: 12 })
    .filter((s) => !s.includes("]") && s.trim() !== "")
    .map(attribute),
  fc.string({ maxLength: 12, unit: "grapheme" }).map(str),
  fc.integer({ min: -100000, max: 100000 }).map((n) => number(n, String(n))),
  fc.integer({ min: 0, max: 0xffffff }).map((n) => number(n, `&H${n.toString(16).toUpperCase()}`)),
  fc.constantFrom("vbTextCompare", "vbBinaryCompare").map(bareName),
);

const { tree } = fc.letrec<{ tree: Node; call: Node; arg: Node }>((tie) => ({
  tree: fc.oneof({ depthSize: "small", withCrossShrink: true }, leaf, tie("call")),
  arg: fc.oneof(tie("tree"), fc.constant(EMPTY), fc.tuple(tie("tree"), fc.constantFrom<CompareOp>("=", "<>", ">", ">=", "<", "<="), tie("tree")).map(compare)),
  call: fc.tuple(fc.constantFrom(...NAMES), fc.array(tie("arg"), { maxLength: 8 })).map(([name, args]) => {
    const [min, max] = SIGNATURES[name];
    let n = Math.min(Math.max(args.length, min), max === Infinity ? 8 : max);
    if (name === "Switch" && n % 2) n++;
    const filled = Array.from({ length: n }, (_, i) => args[i] ?? str(`a${i}`));
    // A lone empty argument reads back as no argument: F() has none.
    if (n === 1 && filled[0]!.kind === "empty") filled[0] = str("");
    return call(name, filled);
  }),
}));

describe("expression parser properties", () => {
  it("parse(print(tree)) gives the tree back", () => {
    fc.assert(
      fc.property(tree, (t) => {
        expect(strip(parseExpression(printExpression(t)))).toEqual(strip(t));
      }),
      { numRuns: 500 },
    );
  });

  it("any text either parses, and then prints to a fixed point, or throws ExpressionSyntaxError with a position inside it", () => {
    const text = fc.oneof(
      fc.string({ maxLength: 40 }),
      tree.map(printExpression).chain((s) => fc.nat({ max: s.length }).map((cut) => s.slice(0, cut))),
    );
    fc.assert(
      fc.property(text, (s) => {
        try {
          const printed = printExpression(parseExpression(s));
          expect(printExpression(parseExpression(printed))).toBe(printed);
        } catch (err) {
          expect(err).toBeInstanceOf(ExpressionSyntaxError);
          expect((err as ExpressionSyntaxError).position).toBeGreaterThanOrEqual(1);
          expect((err as ExpressionSyntaxError).position).toBeLessThanOrEqual(s.length + 1);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it("deep nesting is a syntax error, not a stack overflow", () => {
    const deep = "Not(".repeat(5000) + '"x"' + ")".repeat(5000);
    expect(() => parseExpression(deep)).toThrow(ExpressionSyntaxError);
  });

  it("evaluating any valid tree gives a value or no flow, or throws ExpressionEvaluationError", () => {
    const ctx = attributesContext({}, new DateValue(Date.UTC(2026, 0, 1)));
    fc.assert(
      fc.property(tree, (t) => {
        try {
          evaluateExpression(t, ctx);
        } catch (err) {
          expect(err).toBeInstanceOf(ExpressionEvaluationError);
        }
      }),
      { numRuns: 500 },
    );
  });
});
