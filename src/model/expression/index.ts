// The attribute-mapping expression language: parse, print, evaluate (entra-docs functions-for-customizing-application-data.md).
export { DateValue, ExpressionEvaluationError, ExpressionSyntaxError, type Node, type Value } from "./ast.js";
export type { EvaluationContext } from "./context.js";
export { attributesContext, evaluateExpression, type Outcome, type Step } from "./evaluate.js";
export { attributesIn } from "./functions/logic.js";
export { parseExpression } from "./parser.js";
export { printExpression } from "./print.js";
export { SIGNATURES, type FunctionName } from "./signatures.js";
export { fromJson, toJsonValue, toText } from "./values.js";
