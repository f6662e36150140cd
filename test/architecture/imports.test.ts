// Dependencies point one way: rules → engine/model, the CLI hands the registry in; nothing under src/ but the CLI imports rules/.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { packageRoot } from "../../src/version.js";

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(path.join(dir, e.name)) : e.name.endsWith(".ts") ? [path.join(dir, e.name)] : [],
  );
}

const importsOf = (file: string) => [...readFileSync(file, "utf8").matchAll(/^\s*import\s[^;]*?from\s+"([^"]+)"/gms)].map((m) => m[1]!);

describe("import boundaries", () => {
  const src = path.join(packageRoot, "src");
  it("only src/cli and src/app import rules/", () => {
    const offenders = files(src)
      .filter((f) => !f.startsWith(path.join(src, "cli") + path.sep) && !f.startsWith(path.join(src, "app") + path.sep))
      .filter((f) => importsOf(f).some((i) => /(^|\/)rules\//.test(i)));
    expect(offenders.map((f) => path.relative(packageRoot, f))).toEqual([]);
  });

  it("rules do no I/O of their own (no node: modules, no graph client)", () => {
    const rules = files(path.join(packageRoot, "rules")).filter((f) => !f.endsWith(".test.ts"));
    const offenders = rules.filter((f) =>
      importsOf(f).some((i) => i.startsWith("node:") || i.includes("/graph/") || i.includes("/collect/") || i.startsWith("@microsoft/")),
    );
    expect(offenders.map((f) => path.relative(packageRoot, f))).toEqual([]);
  });

  it("only src/graph (and the emulator's tests) talk to the Graph client package", () => {
    const offenders = files(src)
      .filter((f) => !f.startsWith(path.join(src, "graph") + path.sep))
      .filter((f) => importsOf(f).some((i) => i === "@microsoft/microsoft-graph-client"));
    expect(offenders.map((f) => path.relative(packageRoot, f))).toEqual([]);
  });
});
