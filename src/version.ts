// The tool's name and version, read once from package.json so reports and manifests agree with the published package.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";

/** Root of the installed package (the folder holding package.json, templates/ and fixtures/). */
export const packageRoot = findRoot(path.dirname(fileURLToPath(import.meta.url)));

function findRoot(start: string): string {
  let dir = start;
  for (;;) {
    try {
      const pkg = JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8")) as { name?: string };
      if (pkg.name === "cts-doctor") return dir;
    } catch {
      // not here; keep climbing
    }
    const up = path.dirname(dir);
    if (up === dir) throw new Error("cts-doctor: package.json not found above " + start);
    dir = up;
  }
}

const pkg = JSON.parse(readFileSync(path.join(packageRoot, "package.json"), "utf8")) as { version: string };

export const TOOL_NAME = "cts-doctor";
export const TOOL_VERSION: string = pkg.version;
