// The implementation of every documented function, checked by the compiler against the signature table.
import type { FunctionImpl } from "../context.js";
import type { FunctionName } from "../signatures.js";
import { dateFunctions } from "./date-functions.js";
import { generateFunctions } from "./generate.js";
import { logicFunctions } from "./logic.js";
import { multiValueFunctions } from "./multi.js";
import { replace } from "./replace.js";
import { textFunctions } from "./text.js";

export const FUNCTIONS = {
  ...textFunctions,
  ...logicFunctions,
  ...dateFunctions,
  ...multiValueFunctions,
  ...generateFunctions,
  Replace: replace,
} satisfies Record<FunctionName, FunctionImpl>;
