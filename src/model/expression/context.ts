// What an evaluation can see: the source attributes, the clock, the target's taken values, and the arguments of a call.
import type { DateValue, Node, Value } from "./ast.js";

export interface EvaluationContext {
  /** A source attribute's value; null when the user has none. */
  attribute(name: string): Value;
  /** The current UTC time (Now()); injected so a prediction is repeatable. */
  now(): DateValue;
  /** SelectUniqueValue: whether a generated value already exists in the target. Absent: nothing is taken. */
  isTaken?(value: string): boolean;
  /** A random integer in [0, n): RandomString. Absent: crypto.randomInt. */
  randomInt?(n: number): number;
  /** A new GUID: Guid(). Absent: crypto.randomUUID. */
  uuid?(): string;
}

/** The arguments of one call, evaluated only when a function asks (IIF and Switch take one branch). */
export interface Args {
  readonly fn: string;
  readonly count: number;
  readonly ctx: EvaluationContext;
  /** The value of argument i; an omitted or empty argument is null. */
  value(i: number): Value;
  /** Whether argument i was written (not left empty, as in `Replace([x], , "a")`). */
  given(i: number): boolean;
  node(i: number): Node;
}

export type FunctionImpl = (a: Args) => Value;
