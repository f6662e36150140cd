// The "mapping" link: what each attribute mapping writes for the traced user, and where the target user differs.
import { userMapping } from "../model/configuration.js";
import { DateValue } from "../model/expression/index.js";
import { sameValue, targetValue, upnComparable } from "../model/mapping-values.js";
import { compileMapping, desiredValue, evaluateMapping, type CompiledMapping, type MappingEnv } from "../model/mappings.js";
import type { User } from "../snapshot/graph-types.js";
import type { TraceFacts, TraceLink } from "./types.js";

/** One mapped target attribute as the trace shows it (the link's evidence.attributes). */
export interface MappedAttribute {
  attribute: string;
  expression: string;
  flowType: string;
  /** What the mapping evaluates to; absent when it does not flow or cannot be evaluated. */
  value?: unknown;
  noFlow?: true;
  /** Why the value cannot be known here (an evaluation error, an attribute not read). */
  error?: string;
  /** The correlated target user's current value; absent when there is no target user or it was not read. */
  targetValue?: unknown;
  /** Why the target's value cannot be compared. */
  targetUnknown?: string;
  differs?: boolean;
}

type LinkDraft = Omit<TraceLink, "fix">;

const draft = (status: TraceLink["status"], detail: string, evidence: Record<string, unknown> = {}): LinkDraft => ({
  name: "mapping",
  status,
  detail,
  ruleIds: [],
  evidence,
});

const shown = (v: unknown): string => (typeof v === "string" ? `"${v}"` : JSON.stringify(v));

/** Compare one evaluated value with the target user, the way an update would write it (predict's rule). */
function compared(m: CompiledMapping, value: unknown, target: User): Pick<MappedAttribute, "targetValue" | "targetUnknown" | "differs"> {
  const current = targetValue(m.target, target);
  if (!current.present) return { targetUnknown: `${m.target} was not read for the target user` };
  const want = desiredValue(m, current.value, upnComparable(m.target, value));
  return { targetValue: current.value ?? null, differs: want !== undefined && !sameValue(current.value, want) };
}

function mapped(m: CompiledMapping, user: User, f: TraceFacts, env: MappingEnv, target: User | undefined): MappedAttribute {
  const base = { attribute: m.target, expression: m.expression, flowType: m.flowType };
  const c = evaluateMapping(m, user, f, env);
  if (c.kind === "unknown") return { ...base, error: c.reason };
  if (c.kind === "no-flow") return { ...base, noFlow: true };
  return { ...base, value: c.value, ...(target ? compared(m, c.value, target) : {}) };
}

/** A difference the next update writes (an ObjectAddOnly mapping is written only when the user is created). */
const isDrift = (a: MappedAttribute): boolean => a.differs === true && a.flowType !== "ObjectAddOnly";

function describe(a: MappedAttribute): string {
  return `${a.attribute}: target ${shown(a.targetValue)}, mapping ${shown(a.value)} (${a.expression})`;
}

/** Why an attribute is not established: its value, or (for a correlated user) the target's value to compare with. */
function openReason(a: MappedAttribute, target: User | undefined): string | undefined {
  if (a.error !== undefined) return a.error;
  if (target && a.targetUnknown !== undefined && a.flowType !== "ObjectAddOnly") return a.targetUnknown;
  return undefined;
}

/** Drift warns; ok needs at least one established attribute and no drift; nothing established is unknown. */
function verdictOf(attrs: MappedAttribute[], target: User | undefined): LinkDraft {
  const evidence = { attributes: attrs, differing: attrs.filter((a) => a.differs).map((a) => a.attribute) };
  const drift = attrs.filter(isDrift);
  const open = attrs.flatMap((a) => {
    const why = openReason(a, target);
    return why === undefined ? [] : [a.attribute];
  });
  const head = `${attrs.length} mapped attribute(s) evaluated`;
  const rest = open.length ? ` Not established (reasons in the evidence): ${open.join(", ")}.` : "";
  if (drift.length) return draft("warning", `${head}; ${drift.length} differ from the target user: ${drift.map(describe).join("; ")}.${rest}`, evidence);
  const established = attrs.length - open.length;
  if (established === 0) return draft("unknown", `${head}; none could be established.${rest}`, evidence);
  const createOnly = attrs.filter((a) => a.differs).map((a) => a.attribute);
  const note = createOnly.length ? ` (${createOnly.join(", ")} differ but flow only when a user is created: ObjectAddOnly)` : "";
  return target
    ? draft("ok", `${head}; the ${established} established match the target user${note}.${rest}`, evidence)
    : draft("ok", `${head}; no target user is correlated, so these are the values a create would write.${rest}`, evidence);
}

/** The mapping link: unknown whenever the schema, the source user or the target users could not be read. */
export function mappingLink(f: TraceFacts, user: User | null | undefined, now: Date): LinkDraft {
  if (!f.configuration.known) return draft("unknown", `The attribute mappings could not be read: ${f.configuration.reason}`);
  const c = f.configuration.value;
  if (!c.config) return draft("unknown", "No configuration, so no attribute mapping to evaluate.");
  if (!c.schema.known) return draft("unknown", `The configuration's schema could not be read: ${c.schema.reason}`);
  const mapping = userMapping(c.schema.value);
  if (!mapping) return draft("unknown", "The schema has no user object mapping to evaluate.");
  if (!user) return draft("unknown", "No source user to evaluate the attribute mappings for.");
  if (!f.target.known) return draft("unknown", `The target tenant's users could not be read: ${f.target.reason}`);
  const target = f.target.value.live;
  // A trace reads one user, not the target's other users or the manager's counterpart: those evaluate as unknown.
  const env: MappingEnv = { now: new DateValue(now.getTime()), targetIdOf: () => undefined };
  // Graph returns a $selected property even when null, so an absent one was not read, in live mode as in a snapshot.
  const facts: TraceFacts = { ...f, absentAttribute: "not-collected" };
  const attrs = (mapping.attributeMappings ?? []).map((m) => mapped(compileMapping(m), user, facts, env, target));
  return verdictOf(attrs, target);
}
