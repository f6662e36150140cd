// Scoping filters of an object mapping evaluated locally against one user's attributes, with the documented operators.
//
// Operators and their meaning: "Scoping users or groups to be provisioned with scoping filters"
// https://learn.microsoft.com/entra/identity/app-provisioning/define-conditional-rules-for-provisioning-user-accounts
// (&, !&, ENDS_WITH, EQUALS, Greater_Than, Greater_Than_OR_EQUALS, Includes, IS FALSE, IS NOT NULL, IS NULL, IS TRUE,
// NOT EQUALS, NOT REGEX MATCH, REGEX MATCH; string comparisons are case sensitive; "Scoping filters will return false
// if the value is null / empty"; multi-valued attributes are not supported). The schema spells them as the
// filterOperators API lists them ("NOT EQUALS", "IS NULL"…), the portal with underscores; both are accepted.
// Groups: https://learn.microsoft.com/graph/api/resources/synchronization-filter — a group is true when ALL its clauses
// are, a group set when ANY of its groups is; a mapping's scope needs every non-empty set (groups, inputFilterGroups,
// categoryFilterGroups) to be true.
import type { FilterClause, ObjectMapping } from "../snapshot/graph-types.js";
import type { Known } from "./known.js";
import { remembered } from "./remembered.js";

export type ClauseOutcome = "pass" | "fail" | "unknown";

export interface OperatorResult {
  outcome: ClauseOutcome;
  why: string;
}

export interface ClauseResult extends OperatorResult {
  /** As the provisioning logs write it: `{group}.{attribute} {OPERATOR} '{value}'`. */
  text: string;
  group: string;
  attribute: string;
  operator: string;
  values: string[];
  /** The value the clause was evaluated against (absent when unknown). */
  value?: unknown;
}

export interface GroupResult {
  set: "groups" | "inputFilterGroups" | "categoryFilterGroups";
  name: string;
  outcome: ClauseOutcome;
  clauses: ClauseResult[];
}

export interface ScopingResult {
  outcome: ClauseOutcome;
  groups: GroupResult[];
}

/** Reads one source attribute: null means empty; unknown means it could not be read. */
export type AttributeReader = (name: string) => Known<unknown>;

/**
 * "Greater_Than_OR_EQUALS" and "GREATER THAN OR EQUALS" are the same operator. A schema names a handful of operators,
 * evaluated for every user (predict: 100,000): each is normalised once.
 */
export const normalizeOperator = remembered((name) =>
  name
    .trim()
    .toUpperCase()
    .replace(/[_\s]+/g, " "),
);

const isEmpty = (v: unknown): boolean => v === null || v === undefined || v === "" || (Array.isArray(v) && v.length === 0);

/** The attribute as the provisioning service compares it: .NET renders booleans as True/False. */
function asString(v: unknown): string {
  if (typeof v === "boolean") return v ? "True" : "False";
  return typeof v === "string" ? v : JSON.stringify(v);
}

function asBoolean(v: unknown): boolean | undefined {
  if (typeof v === "boolean") return v;
  if (typeof v === "string" && /^(true|false)$/i.test(v.trim())) return v.trim().toLowerCase() === "true";
  return undefined;
}

/** The docs ask for integers on both sides ("[0,1,2,...]"); anything else makes the clause false. */
function asInteger(v: unknown): number | undefined {
  if (typeof v === "number" && Number.isInteger(v)) return v;
  if (typeof v === "string" && /^\s*-?\d+\s*$/.test(v)) return Number(v);
  return undefined;
}

/**
 * The service matches with .NET's Regex.IsMatch: a match anywhere in the value unless the pattern anchors itself.
 * A leading inline `(?i)` (valid in .NET, not in JavaScript) becomes the `i` flag.
 */
function regexTest(pattern: string, value: string): boolean | Error {
  let source = pattern;
  let flags = "u";
  if (source.startsWith("(?i)")) {
    source = source.slice(4);
    flags += "i";
  }
  try {
    return new RegExp(source, flags).test(value);
  } catch (err) {
    return err as Error;
  }
}

const quote = (s: string): string => `'${s}'`;
const list = (values: readonly string[]): string => values.map(quote).join(" or ");

/** An outcome, and why as text made only when asked for: predict needs the outcome of 100,000 users, a trace the why. */
interface Verdict {
  outcome: ClauseOutcome;
  why: () => string;
}

const r = (pass: boolean, why: () => string): Verdict => ({ outcome: pass ? "pass" : "fail", why });
const notKnown = (why: () => string): Verdict => ({ outcome: "unknown", why });

/** The operators that test the value itself (emptiness, a Boolean); undefined for the others. */
function judgeUnary(op: string, v: unknown, empty: boolean, shown: () => string): Verdict | undefined {
  switch (op) {
    case "IS NULL":
      return r(empty, () => `the value is ${shown()}`);
    case "IS NOT NULL":
      return r(!empty, () => `the value is ${shown()}`);
    case "IS TRUE":
    case "IS FALSE": {
      const b = asBoolean(v);
      if (b === undefined) return r(false, () => `the value is ${shown()}, not a Boolean`);
      return r(b === (op === "IS TRUE"), () => `the value is ${asString(b)}`);
    }
  }
  return undefined;
}

/** One operator on an attribute value (null or "" = empty): the one place its meaning is decided. */
function judge(operator: string, value: unknown, values: readonly string[]): Verdict {
  const op = normalizeOperator(operator);
  if (Array.isArray(value) && value.length > 1) return notKnown(() => "the attribute is multi-valued, which scoping filters do not support");
  const v: unknown = Array.isArray(value) ? value[0] : value;
  const empty = isEmpty(v);
  const shown = () => (empty ? "empty" : quote(asString(v)));
  const unary = judgeUnary(op, v, empty, shown);
  if (unary) return unary;
  if (empty) return r(false, () => "the value is empty (a scoping clause is false for a null or empty value)");
  return judgeComparison(op, operator, v, asString(v), shown, values);
}

/** Evaluate one operator on an attribute value, with why. */
export function evaluateOperator(operator: string, value: unknown, values: readonly string[]): OperatorResult {
  const verdict = judge(operator, value, values);
  return { outcome: verdict.outcome, why: verdict.why() };
}

/** The positive relation of a comparison (NOT EQUALS tests EQUALS, !& tests &): the outcome is it or its negation. */
function related(op: string, s: string, values: readonly string[]): boolean | undefined {
  switch (op) {
    case "EQUALS":
    case "NOT EQUALS":
      return values.some((x) => x === s);
    case "INCLUDES":
      return values.some((x) => s.includes(x));
    case "ENDS WITH":
      return values.some((x) => s.endsWith(x));
    case "&":
    case "!&":
      return values.some((x) => x.includes(s));
  }
  return undefined;
}

const RELATION_WORDS: Record<string, [yes: string, no: string, after: string]> = {
  EQUALS: ["equals", "does not equal", " (case sensitive)"],
  "NOT EQUALS": ["equals", "does not equal", " (case sensitive)"],
  INCLUDES: ["contains", "does not contain", " (case sensitive)"],
  "ENDS WITH": ["ends with", "does not end with", ""],
  "&": ["occurs in", "does not occur in", ""],
  "!&": ["occurs in", "does not occur in", ""],
};

/** The operators that compare a non-empty value with the clause's values. */
function judgeComparison(op: string, operator: string, v: unknown, s: string, shown: () => string, values: readonly string[]): Verdict {
  const relation = related(op, s, values);
  const words = RELATION_WORDS[op];
  if (relation !== undefined && words) {
    const pass = op === "NOT EQUALS" || op === "!&" ? !relation : relation;
    return r(pass, () => `${shown()} ${relation ? words[0] : words[1]} ${list(values)}${words[2]}`);
  }
  switch (op) {
    case "REGEX MATCH":
    case "NOT REGEX MATCH": {
      const results = values.map((p) => regexTest(p, s));
      const bad = results.find((x): x is Error => x instanceof Error);
      if (bad) return notKnown(() => `the pattern is not a valid regular expression here: ${bad.message}`);
      const matched = results.some((x) => x === true);
      return r(op === "REGEX MATCH" ? matched : !matched, () => `${shown()} ${matched ? "matches" : "does not match"} ${list(values)}`);
    }
    case "GREATER THAN":
    case "GREATER THAN OR EQUALS": {
      const n = asInteger(v);
      const limit = asInteger(values[0]);
      if (n === undefined || limit === undefined) return r(false, () => `${shown()} and ${list(values)} must both be integers`);
      const pass = op === "GREATER THAN" ? n > limit : n >= limit;
      return r(pass, () => `${n} is ${pass ? "" : "not "}${op === "GREATER THAN" ? "greater than" : "greater than or equal to"} ${limit}`);
    }
  }
  return notKnown(() => `operator "${operator}" is not one cts-doctor knows`);
}

// The same clause objects are evaluated for every user: their text is made once per clause and group name.
const clauseTexts = new WeakMap<FilterClause, { group: string; text: string }>();

export function clauseText(group: string, clause: FilterClause): string {
  const cached = clauseTexts.get(clause);
  if (cached?.group === group) return cached.text;
  const values = clause.targetOperand?.values ?? [];
  const rhs = values.length ? ` ${values.map(quote).join(",")}` : "";
  const text = `${group}.${clause.sourceOperandName} ${clause.operatorName}${rhs}`;
  clauseTexts.set(clause, { group, text });
  return text;
}

export function evaluateClause(group: string, clause: FilterClause, read: AttributeReader): ClauseResult {
  const values = clause.targetOperand?.values ?? [];
  const attribute = clause.sourceOperandName ?? "";
  const operator = clause.operatorName ?? "";
  const base = { text: clauseText(group, clause), group, attribute, operator, values };
  // Graph's type allows a clause without its operand or operator; such a clause cannot be evaluated.
  if (!attribute || !operator) return { ...base, outcome: "unknown", why: "the clause names no attribute or no operator" };
  const attr = read(attribute);
  if (!attr.known) return { ...base, outcome: "unknown", why: attr.reason };
  return { ...base, value: attr.value ?? null, ...evaluateOperator(operator, attr.value, values) };
}

/** AND over clauses: one fail fails the group; otherwise one unknown makes it unknown. */
function combineAll(outcomes: ClauseOutcome[]): ClauseOutcome {
  if (outcomes.includes("fail")) return "fail";
  return outcomes.includes("unknown") ? "unknown" : "pass";
}

/** OR over groups: one pass passes the set; otherwise one unknown makes it unknown. */
function combineAny(outcomes: ClauseOutcome[]): ClauseOutcome {
  if (outcomes.includes("pass")) return "pass";
  return outcomes.includes("unknown") ? "unknown" : "fail";
}

/** Evaluate a mapping's scope: every non-empty group set must hold. No filter at all passes. */
export function evaluateScope(scope: ObjectMapping["scope"], read: AttributeReader): ScopingResult {
  const sets = (["inputFilterGroups", "groups", "categoryFilterGroups"] as const).filter((k) => (scope?.[k]?.length ?? 0) > 0);
  const groups: GroupResult[] = [];
  const setOutcomes: ClauseOutcome[] = [];
  for (const set of sets) {
    const results = (scope?.[set] ?? []).map((g): GroupResult => {
      const name = g.name ?? "(unnamed filter)";
      const clauses = (g.clauses ?? []).map((c) => evaluateClause(name, c, read));
      return { set, name, outcome: combineAll(clauses.map((c) => c.outcome)), clauses };
    });
    groups.push(...results);
    setOutcomes.push(combineAny(results.map((g) => g.outcome)));
  }
  return { outcome: combineAll(setOutcomes), groups };
}

/** The outcome of one clause without its why (evaluateClause's outcome). */
function clauseOutcome(clause: FilterClause, read: AttributeReader): ClauseOutcome {
  const attribute = clause.sourceOperandName ?? "";
  const operator = clause.operatorName ?? "";
  if (!attribute || !operator) return "unknown";
  const attr = read(attribute);
  return attr.known ? judge(operator, attr.value, clause.targetOperand?.values ?? []).outcome : "unknown";
}

/** evaluateScope's outcome alone, with no result objects or explanations: what predict asks of every user first. */
export function scopeOutcome(scope: ObjectMapping["scope"], read: AttributeReader): ClauseOutcome {
  const setOutcomes: ClauseOutcome[] = [];
  for (const set of ["inputFilterGroups", "groups", "categoryFilterGroups"] as const) {
    const groups = scope?.[set] ?? [];
    if (groups.length === 0) continue;
    setOutcomes.push(combineAny(groups.map((g) => combineAll((g.clauses ?? []).map((c) => clauseOutcome(c, read))))));
  }
  return combineAll(setOutcomes);
}

/** The clauses that make the scope fail (or stay unknown): failing clauses of groups that did not pass. */
export function failingClauses(result: ScopingResult, outcome: "fail" | "unknown"): ClauseResult[] {
  return result.groups.filter((g) => g.outcome !== "pass").flatMap((g) => g.clauses.filter((c) => c.outcome === outcome));
}
