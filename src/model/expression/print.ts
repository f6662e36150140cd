// Prints a syntax tree back as expression text, in one canonical spacing.
import type { Node } from "./ast.js";

/** A string constant with `\` and `"` escaped as the page requires. */
export function quoteString(s: string): string {
  return `"${s.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

export function printExpression(node: Node): string {
  switch (node.kind) {
    case "call":
      // An empty argument prints as nothing, so `F(a, , b)` keeps its shape.
      return `${node.name}(${node.args.map(printExpression).join(", ")})`;
    case "attribute":
      return `[${node.name}]`;
    case "string":
      return quoteString(node.value);
    case "number":
      return node.text;
    case "name":
      return node.name;
    case "empty":
      return "";
    case "compare":
      return `${printExpression(node.left)} ${node.op} ${printExpression(node.right)}`;
  }
}
