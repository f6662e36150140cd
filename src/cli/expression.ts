// `expression`: evaluate one attribute-mapping expression for given source attributes, as JSON or step by step.
import type { CommandModule } from "yargs";
import { CtsError, ExitCode } from "../errors.js";
import {
  DateValue,
  ExpressionEvaluationError,
  ExpressionSyntaxError,
  attributesContext,
  evaluateExpression,
  fromJson,
  toJsonValue,
  type Outcome,
  type Value,
} from "../model/expression/index.js";
import type { GlobalArgs } from "./options.js";

type Args = GlobalArgs & { expr: string; json: boolean; attributes?: string; now?: string; taken?: string };

function parseJsonOption(name: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new CtsError("USAGE", `--${name} is not valid JSON`);
  }
}

function readAttributes(text: string | undefined): Record<string, Value> {
  if (text === undefined) return {};
  const raw = parseJsonOption("attributes", text);
  if (raw === null || typeof raw !== "object" || Array.isArray(raw))
    throw new CtsError("USAGE", '--attributes must be a JSON object of source attributes, such as \'{"givenName":"John"}\'');
  return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, fromJson(v)]));
}

function readNow(text: string | undefined): DateValue {
  if (text === undefined) return new DateValue(Date.now());
  const ms = /^\d{4}-\d{2}-\d{2}/.test(text) ? Date.parse(text) : NaN;
  if (Number.isNaN(ms)) throw new CtsError("USAGE", `--now must be an ISO date-time such as 2026-01-05T09:30:00Z, not "${text}"`);
  return new DateValue(ms);
}

/** SelectUniqueValue's lookup: values already in the target, compared case-insensitively as directory names are. */
function readTaken(text: string | undefined): (v: string) => boolean {
  if (text === undefined) return () => false;
  const raw = parseJsonOption("taken", text);
  if (!Array.isArray(raw) || raw.some((x) => typeof x !== "string")) throw new CtsError("USAGE", "--taken must be a JSON array of strings");
  const taken = new Set(raw.map((x: string) => x.toLowerCase()));
  return (v) => taken.has(v.toLowerCase());
}

const shown = (v: Value): string => (v === "[Redact]" ? v : JSON.stringify(toJsonValue(v)));

function renderText(outcome: Outcome): string {
  const lines = outcome.flow ? [`value: ${shown(outcome.value)}`] : [`no flow: ${outcome.reason}`];
  if (outcome.steps.length) lines.push("steps:", ...outcome.steps.map((s) => `${"  ".repeat(s.depth + 1)}${s.text} → ${shown(s.value)}`));
  return lines.join("\n") + "\n";
}

export const expressionCommand: CommandModule<GlobalArgs, Args> = {
  command: "expression <expr>",
  describe: "Evaluate one attribute-mapping expression for the given source attributes (locally; nothing is sent to Graph)",
  builder: (y) =>
    y
      .positional("expr", { type: "string", demandOption: true, describe: "the expression, as in the schema's source.expression" })
      .option("json", { type: "boolean", default: false, describe: 'print {"value": …}, {"flow": false} or {"error": "…"}' })
      .option("attributes", { type: "string", describe: "the source attributes as a JSON object" })
      .option("now", { type: "string", describe: "the time Now() returns (ISO date-time; default: the current time)" })
      .option("taken", { type: "string", describe: "for SelectUniqueValue: JSON array of values that already exist in the target" })
      .example(
        `$0 expression --json 'Append([userPrincipalName], ".test")' --attributes '{"userPrincipalName":"John.Doe@contoso.com"}'`,
        '{"value":"John.Doe@contoso.com.test"}',
      ),
  // async: yargs then hands every throw to main's parseAsync catch as a rejection, rendered as one line.
  // eslint-disable-next-line @typescript-eslint/require-await -- the handler's contract is a promise, see above
  handler: async (args) => {
    const ctx = attributesContext(readAttributes(args.attributes), readNow(args.now), { isTaken: readTaken(args.taken) });
    let outcome: Outcome;
    try {
      outcome = evaluateExpression(args.expr, ctx, { trace: !args.json });
    } catch (err) {
      if (err instanceof ExpressionSyntaxError) throw new CtsError("USAGE", `expression: ${err.message}`);
      if (!(err instanceof ExpressionEvaluationError)) throw err;
      if (args.json) process.stdout.write(JSON.stringify({ error: err.message }) + "\n");
      else process.stderr.write(`cts-doctor: expression: ${err.message}\n`);
      process.exitCode = ExitCode.failed;
      return;
    }
    if (!args.json) process.stdout.write(renderText(outcome));
    else process.stdout.write(JSON.stringify(outcome.flow ? { value: toJsonValue(outcome.value) } : { flow: false }) + "\n");
  },
};
