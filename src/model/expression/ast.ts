// The syntax tree of an attribute-mapping expression, the values it computes, and its typed errors.

/** Where a node starts in the expression text (0-based character offset). */
export interface Located {
  pos: number;
}

export type Node =
  | (Located & { kind: "call"; name: string; args: Node[] })
  | (Located & { kind: "attribute"; name: string })
  | (Located & { kind: "string"; value: string })
  /** `text` is the literal as written (`10`, `-7`, `&HF7`), so printing never reshapes it. */
  | (Located & { kind: "number"; value: number; text: string })
  /** A bare name used as an argument, such as `vbTextCompare` in InStr. */
  | (Located & { kind: "name"; name: string })
  /** An argument left out, as in `Replace([mail], "@contoso.com", , , "", , )`. */
  | (Located & { kind: "empty" })
  | (Located & { kind: "compare"; op: CompareOp; left: Node; right: Node });

export type CompareOp = "=" | "<>" | ">" | ">=" | "<" | "<=";
export type CallNode = Extract<Node, { kind: "call" }>;

/**
 * A DateTime, held as its UTC instant. The service runs in UTC, so a time read with an offset is converted to UTC
 * (CDate: "Note the UTC equivalent of the above DateTime is returned") and written back in UTC.
 */
export class DateValue {
  constructor(readonly ms: number) {}
}

/** What an expression computes: a string, number, Boolean, DateTime, a multi-valued attribute, or null. */
export type Value = string | number | boolean | null | DateValue | Value[];

/** The expression text is not valid: names the 1-based position of the problem. */
export class ExpressionSyntaxError extends Error {
  readonly code = "EXPRESSION_SYNTAX";
  /** 1-based character position in the expression text. */
  readonly position: number;
  constructor(message: string, offset: number) {
    super(`${message} at position ${offset + 1}`);
    this.name = "ExpressionSyntaxError";
    this.position = offset + 1;
  }
}

/** A valid expression that cannot be evaluated for these attributes (a bad date, Item index 0, all values taken…). */
export class ExpressionEvaluationError extends Error {
  readonly code = "EXPRESSION_EVALUATION";
  readonly functionName: string | undefined;
  constructor(message: string, functionName?: string) {
    super(functionName ? `${functionName}: ${message}` : message);
    this.name = "ExpressionEvaluationError";
    this.functionName = functionName;
  }
}

/** Thrown through the evaluation by IgnoreFlowIfNullOrEmpty: the attribute is dropped from the flow. */
export class NoFlow {
  readonly reason: string;
  constructor(reason: string) {
    this.reason = reason;
  }
}
