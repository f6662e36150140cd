// Rule case files (fixtures/rules/<rule-id>/{valid,invalid}/*.json): their zod schema, loading, and duplicate refusal.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { isDeepStrictEqual } from "node:util";
import { z } from "zod";
import { CLOUD_NAMES } from "../../src/config/clouds.js";
import { FACET_IDS, facetSpec, type FacetId } from "../../src/snapshot/facets.js";
import { facetEntrySchema } from "../../src/snapshot/manifest.js";
import { shapeProblem } from "../../src/snapshot/shapes.js";
import { scenarioDir } from "./pair.js";

export type RuleCaseErrorCode =
  | "invalid-case"
  | "duplicate-case"
  | "finding-mismatch"
  | "status-mismatch"
  | "unfilled-placeholder"
  | "undeclared-message"
  | "unknown-data-key"
  | "message-not-covered";

/** A refusal by the rule tester; `actual`/`expected` (when set) make vitest print a diff. */
export class RuleCaseError extends Error {
  readonly showDiff: boolean;
  constructor(
    readonly code: RuleCaseErrorCode,
    message: string,
    readonly actual?: unknown,
    readonly expected?: unknown,
  ) {
    super(message);
    this.name = "RuleCaseError";
    this.showDiff = actual !== undefined && expected !== undefined;
  }
}

const facetId = z.enum(FACET_IDS as [FacetId, ...FacetId[]]);

/** A facet patch must have the facet's own shape (an NDJSON facet is an array of its lines). */
const facets = z.partialRecord(facetId, z.unknown()).superRefine((value, ctx) => {
  for (const [id, data] of Object.entries(value) as [FacetId, unknown][]) {
    const lines = facetSpec(id).format === "ndjson" ? (Array.isArray(data) ? data : undefined) : [data];
    if (!lines) ctx.addIssue({ code: "custom", path: [id], message: "an NDJSON facet is an array of its lines" });
    lines?.forEach((line, i) => {
      const problem = shapeProblem(id, line);
      if (problem) ctx.addIssue({ code: "custom", path: facetSpec(id).format === "ndjson" ? [id, i] : [id], message: problem });
    });
  }
});

const patch = {
  /** What the case shows, one line. */
  description: z.string().min(1),
  /** Scenario the patch applies to (default "healthy"). */
  base: z
    .string()
    .refine((name) => /^[a-z0-9-]+$/.test(name) && existsSync(path.join(scenarioDir(name), "manifest.json")), "no such scenario in fixtures/scenarios")
    .optional(),
  facets: facets.optional(),
  status: z.partialRecord(facetId, facetEntrySchema.strict()).optional(),
  clouds: z.strictObject({ source: z.enum(CLOUD_NAMES).optional(), target: z.enum(CLOUD_NAMES).optional() }).optional(),
  /** The configuration named with --configuration (service principal id or displayName). */
  configuration: z.string().min(1).optional(),
};

const placeholderValue = z.union([z.string(), z.number(), z.boolean(), z.null()]);

export const expectedFindingSchema = z.strictObject({
  /** The message the rule must report (a key of the rule's `messages`). */
  messageId: z.string().min(1),
  /** Placeholder values the finding must carry; only the keys given are compared. */
  data: z
    .record(z.string(), placeholderValue)
    .refine((d) => Object.keys(d).length > 0, "states no placeholder value; leave it out")
    .optional(),
  side: z.enum(["source", "target", "both"]),
  errorCode: z.string().min(1).optional(),
  /** Ids of the affected objects, in order. */
  objectIds: z.array(z.string()),
});

export const validCaseSchema = z.strictObject({
  ...patch,
  expect: z.strictObject({
    status: z.enum(["pass", "inconclusive", "not-applicable"]),
    /** A substring the reason must contain (for inconclusive / not-applicable). */
    reason: z.string().min(1).optional(),
  }),
});

export const invalidCaseSchema = z.strictObject({
  ...patch,
  expect: z.strictObject({ status: z.literal("fail"), findings: z.array(expectedFindingSchema).min(1) }),
});

export type ExpectedFinding = z.infer<typeof expectedFindingSchema>;
export type ValidCase = z.infer<typeof validCaseSchema>;
export type InvalidCase = z.infer<typeof invalidCaseSchema>;
export type RuleCase = ValidCase | InvalidCase;

export interface LoadedCase<C extends RuleCase = RuleCase> {
  /** File name without .json. */
  name: string;
  /** Path relative to the package root when inside it, for messages. */
  file: string;
  kind: "valid" | "invalid";
  case: C;
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const at = (keys: PropertyKey[]) => (keys.length ? keys.map(String).join(".") : "(top level)");
  if (issue.code === "unrecognized_keys") return issue.keys.map((k) => `unknown key ${at([...issue.path, k])}`).join("; ");
  if (issue.code === "invalid_type" && /received undefined/.test(issue.message)) return `missing ${at(issue.path)} (${issue.expected})`;
  return `${at(issue.path)}: ${issue.message}`;
}

function loadFile<C extends RuleCase>(file: string, label: string, schema: z.ZodType<C>): C {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, "utf8"));
  } catch (err) {
    throw new RuleCaseError("invalid-case", `${label}: not valid JSON (${err instanceof Error ? err.message : String(err)})`);
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new RuleCaseError("invalid-case", `${label}: ${parsed.error.issues.map(describeIssue).join("; ")}`);
  return parsed.data;
}

function loadKind<C extends RuleCase>(dir: string, kind: "valid" | "invalid", schema: z.ZodType<C>, root: string): LoadedCase<C>[] {
  const folder = path.join(dir, kind);
  if (!existsSync(folder)) return [];
  return readdirSync(folder)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((f) => {
      const file = path.relative(root, path.join(folder, f));
      return { name: f.replace(/\.json$/, ""), file, kind, case: loadFile(path.join(folder, f), file, schema) };
    });
}

/** What a case feeds the rule: everything but its description and expectation, with the base it defaults to. */
function caseInput(c: RuleCase): Partial<RuleCase> {
  const input: Partial<RuleCase> = { ...c, base: c.base ?? "healthy" };
  delete input.description;
  delete input.expect;
  return input;
}

/**
 * Two cases with the same input (base, facets, status, clouds, configuration) test one thing twice, or contradict each other when
 * their expectations differ (a rule is a pure function of its input): the second is refused.
 */
function refuseDuplicates(cases: LoadedCase[]): void {
  const seen: { file: string; input: unknown }[] = [];
  for (const c of cases) {
    const input = caseInput(c.case);
    const twin = seen.find((s) => isDeepStrictEqual(s.input, input));
    if (twin)
      throw new RuleCaseError("duplicate-case", `${c.file}: duplicate case, same input as ${twin.file} (only the description or the expectation differs)`);
    seen.push({ file: c.file, input });
  }
}

/** Loads and validates a rule's case folder (`valid/` and `invalid/`); throws RuleCaseError naming the file. */
export function loadRuleCases(dir: string, root = dir): { valid: LoadedCase<ValidCase>[]; invalid: LoadedCase<InvalidCase>[] } {
  const valid = loadKind(dir, "valid", validCaseSchema, root);
  const invalid = loadKind(dir, "invalid", invalidCaseSchema, root);
  refuseDuplicates([...valid, ...invalid]);
  return { valid, invalid };
}
