// Reads Microsoft's Graph typings (.d.ts) with the TypeScript compiler API: each interface's members, following extends.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import ts from "typescript";

export type GraphVersion = "v1.0" | "beta";

/** What a property holds: an entity/complex type to descend into, or a leaf (string, enum, number, open type). */
export type PropertyType = { kind: "object"; name: string } | { kind: "leaf" };

interface InterfaceInfo {
  bases: string[];
  members: Map<string, ts.TypeNode | undefined>;
}

const PACKAGES: Record<GraphVersion, string> = {
  "v1.0": "@microsoft/microsoft-graph-types/microsoft-graph.d.ts",
  beta: "@microsoft/microsoft-graph-types-beta/microsoft-graph.d.ts",
};

const require = createRequire(import.meta.url);

function readInterfaces(version: GraphVersion): Map<string, InterfaceInfo> {
  const file = require.resolve(PACKAGES[version]);
  const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const out = new Map<string, InterfaceInfo>();
  for (const statement of source.statements) {
    if (!ts.isInterfaceDeclaration(statement)) continue;
    const bases = (statement.heritageClauses ?? []).flatMap((h) => h.types.map((t) => t.expression.getText(source)));
    const members = new Map<string, ts.TypeNode | undefined>();
    for (const m of statement.members) if (ts.isPropertySignature(m)) members.set(m.name.getText(source).replace(/^"|"$/g, ""), m.type);
    out.set(statement.name.text, { bases, members });
  }
  return out;
}

/** Microsoft's type names for one Graph version. */
export class GraphTypings {
  private readonly interfaces: Map<string, InterfaceInfo>;

  constructor(readonly version: GraphVersion) {
    this.interfaces = readInterfaces(version);
  }

  has(typeName: string): boolean {
    return this.interfaces.has(typeName);
  }

  /** The declared type of `property` on `typeName` or one of its bases; undefined when no such property exists. */
  property(typeName: string, property: string): PropertyType | undefined {
    const seen = new Set<string>();
    const queue = [typeName];
    while (queue.length) {
      const name = queue.shift()!;
      if (seen.has(name)) continue;
      seen.add(name);
      const info = this.interfaces.get(name);
      if (!info) continue;
      if (info.members.has(property)) return this.classify(info.members.get(property));
      queue.push(...info.bases);
    }
    return undefined;
  }

  /** Unwraps NullableOption<T>, T[] and `T | null` down to a named interface, if there is one. */
  private classify(node: ts.TypeNode | undefined): PropertyType {
    if (!node) return { kind: "leaf" };
    if (ts.isArrayTypeNode(node)) return this.classify(node.elementType);
    if (ts.isUnionTypeNode(node)) {
      const named = node.types.map((t) => this.classify(t)).find((t) => t.kind === "object");
      return named ?? { kind: "leaf" };
    }
    if (ts.isTypeReferenceNode(node)) {
      const name = ts.isIdentifier(node.typeName) ? node.typeName.text : node.typeName.right.text;
      if (name === "NullableOption" && node.typeArguments?.[0]) return this.classify(node.typeArguments[0]);
      const info = this.interfaces.get(name);
      // An interface with no members and no bases is an open type in the CSDL (detailsInfo): anything may be in it.
      if (info && (info.members.size > 0 || info.bases.length > 0)) return { kind: "object", name };
    }
    return { kind: "leaf" };
  }
}
