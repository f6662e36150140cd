// Reading and parsing a config, pairs or waivers file: one-line errors and warnings that never quote the file.
import YAML from "yaml";
import { CtsError } from "../errors.js";
import { describeReadError, jsonSyntaxProblem, readTextFile, truncateForMessage } from "../files.js";
import path from "node:path";

/** Larger than any config or waivers file; a bigger one is not read (it would be held in memory whole). */
export const CONFIG_MAX_BYTES = 16 * 1024 * 1024;

/**
 * The file's text (a UTF-8 BOM dropped). A symlink is followed only while it stays in the file's own folder (as
 * Kubernetes mounts do): one pointing elsewhere is refused, so a checked-in `waivers.yaml -> ~/.ssh/id_rsa` is never read.
 */
export async function readConfigText(file: string, label: string): Promise<string> {
  try {
    return await readTextFile(file, { within: path.dirname(file), maxBytes: CONFIG_MAX_BYTES });
  } catch (err) {
    const why = (err as NodeJS.ErrnoException).code === "ENOENT" ? "file not found" : describeReadError(err);
    throw new CtsError("CONFIG_NOT_FOUND", `${label} ${file}: ${why}`);
  }
}

/** "Unresolved tag: !foo at line 2, column 13": the first line of a YAML message, without its code frame. */
const yamlLine = (message: string) => truncateForMessage(message.split("\n")[0]!.replace(/:\s*$/, ""), 160);

/**
 * Parse JSON or YAML. YAML warnings (an unknown tag, …) go to `warn` as one line each instead of Node's multi-line
 * process warning with a code frame of the file.
 */
export function parseConfigText(text: string, file: string, label: string, json: boolean, warn = defaultWarn): unknown {
  if (json) {
    try {
      return JSON.parse(text);
    } catch (err) {
      throw new CtsError("CONFIG_INVALID", `${label} ${file}: not valid JSON: ${jsonSyntaxProblem(err)}`);
    }
  }
  const doc = YAML.parseDocument(text);
  const error = doc.errors[0];
  if (error) throw new CtsError("CONFIG_INVALID", `${label} ${file}: not valid YAML: ${yamlLine(error.message)}`);
  for (const w of doc.warnings) warn(`${label} ${file}: ${yamlLine(w.message)}`);
  return doc.toJS();
}

function defaultWarn(line: string): void {
  process.stderr.write(`cts-doctor: warning: ${line}\n`);
}
