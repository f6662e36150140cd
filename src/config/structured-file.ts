// The one reader of the YAML/JSON files a user gives (config, pairs, waivers): size-limited text, parsed by extension,
// validated, with one-line errors naming the file and the bad key, and warnings that never quote the file.
import path from "node:path";
import YAML from "yaml";
import type { z } from "zod";
import { CtsError } from "../errors.js";
import { describeReadError, jsonSyntaxProblem, readTextFile, truncateForMessage } from "../files.js";

/** Larger than any config or waivers file; a bigger one is not read (it would be held in memory whole). */
export const CONFIG_MAX_BYTES = 16 * 1024 * 1024;

/**
 * The file's text (a UTF-8 BOM dropped). A symlink is followed only while it stays in the file's own folder (as
 * Kubernetes mounts do): one pointing elsewhere is refused, so a checked-in `waivers.yaml -> ~/.ssh/id_rsa` is never read.
 */
async function readConfigText(file: string, label: string): Promise<string> {
  try {
    return await readTextFile(file, { within: path.dirname(file), maxBytes: CONFIG_MAX_BYTES });
  } catch (err) {
    const why = (err as NodeJS.ErrnoException).code === "ENOENT" ? "file not found" : describeReadError(err);
    throw new CtsError("CONFIG_NOT_FOUND", `${label} ${file}: ${why}`);
  }
}

/** "Unresolved tag: !foo at line 2, column 13": the first line of a YAML message, without its code frame. */
const yamlLine = (message: string) => truncateForMessage((message.split("\n", 1)[0] ?? "").replace(/:\s*$/, ""), 160);

/**
 * Parse JSON or YAML. YAML warnings (an unknown tag, …) go to `warn` as one line each instead of Node's multi-line
 * process warning with a code frame of the file.
 */
function parseConfigText(text: string, file: string, label: string, json: boolean, warn = defaultWarn): unknown {
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

export interface StructuredFileOptions<T> {
  /** Names the kind of file in read and syntax errors ("config ./c.yaml: file not found"). */
  label: string;
  /** Parse as YAML whatever the extension (waivers: JSON is YAML too); else `.json` files are JSON. */
  yamlOnly?: boolean;
  /** Validates the parsed document; throws CtsError("CONFIG_INVALID") naming the file (see `validated`). */
  check: (raw: unknown) => T;
}

/** Read a YAML or JSON file a user named (at most CONFIG_MAX_BYTES), parse it by extension and validate it. */
export async function readStructuredFile<T>(file: string, options: StructuredFileOptions<T>): Promise<T> {
  const text = await readConfigText(file, options.label);
  const json = !options.yamlOnly && path.extname(file).toLowerCase() === ".json";
  return options.check(parseConfigText(text, file, options.label, json));
}

/** The data when `schema` accepts it; else one line, `<where>: <path of the bad key>: <problem>`. `at` prefixes the path. */
export function validated<S extends z.ZodType>(schema: S, raw: unknown, where: string, at: PropertyKey[] = []): z.output<S> {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const first = parsed.error.issues[0];
  throw new CtsError("CONFIG_INVALID", `${where}: ${first ? describeIssue({ ...first, path: [...at, ...first.path] }) : "invalid"}`);
}

/** "source.auth.secretEnv: must be an environment variable name" */
export function describeIssue(issue: z.core.$ZodIssue): string {
  const where = issue.path.map((k) => truncateForMessage(String(k))).join(".") || "(root)";
  // Keys come from the file: a 5 kB one is shown cut to its start, like any value quoted in an error.
  if (issue.code === "unrecognized_keys")
    return `${truncateForMessage(where)}: unknown key${issue.keys.length > 1 ? "s" : ""} ${issue.keys
      .slice(0, 5)
      .map((k) => `"${truncateForMessage(k)}"`)
      .join(", ")}${issue.keys.length > 5 ? ", …" : ""}`;
  if (issue.code === "invalid_union" && "note" in issue && issue.note === "No matching discriminator") {
    return `${where}: must be one of client-secret, client-certificate, device-code, interactive, azure-cli, managed-identity, workload-identity, access-token`;
  }
  return `${where}: ${issue.message}`;
}
