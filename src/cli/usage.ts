// yargs' usage messages as one line, with "did you mean …?" for mistyped flags, commands and choices.
import { closest, didYouMean } from "./suggest.js";

/** The part of yargs' usage instance the fail handler receives that names the options in play. */
interface UsageInfo {
  getDescriptions?: () => Record<string, unknown>;
  getCommands?: () => unknown[][];
}

function unknownArguments(list: string, usage: UsageInfo | undefined): string {
  const options = Object.keys(usage?.getDescriptions?.() ?? {});
  const commands = (usage?.getCommands?.() ?? []).map((c) => (typeof c[0] === "string" ? c[0] : "").split(" ")[0] ?? "").filter(Boolean);
  const hints = list.split(", ").map((word) => {
    const option = closest(word, options);
    if (option) return ` (did you mean --${option}?)`;
    const command = closest(word, commands);
    return command ? ` (did you mean ${command}?)` : "";
  });
  return list
    .split(", ")
    .map((w, i) => `${w}${hints[i]}`)
    .join(", ");
}

/** `Argument: action, Given: "lst", Choices: "list", "show"` → `action: "lst" is not one of list, show (did you mean "list"?)`. */
function invalidValue(line: string): string {
  const m = /Argument: ([^,]+), Given: "?([^"]*)"?, Choices: (.*)$/.exec(line.trim());
  if (!m) return line.trim();
  const [, argument = "", given = "", listed = ""] = m;
  const choices = listed.split(", ").map((c) => c.replace(/^"|"$/g, ""));
  return `${argument}: "${given}" is not one of ${choices.join(", ")}${didYouMean(given, choices)}`;
}

export function usageMessage(msg: string, usage?: UsageInfo): string {
  const unknown = /^Unknown arguments?: (.*)$/.exec(msg);
  if (unknown) return `${msg.split(":")[0]}: ${unknownArguments(unknown[1] ?? "", usage)}`;
  if (msg.startsWith("Invalid values:"))
    return msg
      .split("\n")
      .slice(1)
      .filter((l) => l.trim())
      .map(invalidValue)
      .join("; ");
  return msg
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean)
    .join("; ");
}
