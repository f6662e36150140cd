// `history`: the runs recorded by `check` and a per-rule trend, for one pair or all.
import path from "node:path";
import type { CommandModule } from "yargs";
import { CtsError } from "../errors.js";
import { HistoryStore, type PairRunRow } from "../history/store.js";
import { renderHistory } from "../history/trend.js";
import { outputFormat, print, withOutputOption, type Row } from "./format.js";
import type { GlobalArgs } from "./options.js";

/** The last `limit` runs of each pair, in recorded order. */
function keepLast(runs: PairRunRow[], limit: number): PairRunRow[] {
  const count = new Map<string, number>();
  for (const r of runs) count.set(r.pair, (count.get(r.pair) ?? 0) + 1);
  const seen = new Map<string, number>();
  return runs.filter((r) => {
    const i = (seen.get(r.pair) ?? 0) + 1;
    seen.set(r.pair, i);
    return i > (count.get(r.pair) ?? 0) - limit;
  });
}

type Args = GlobalArgs & { history?: string; out?: string; pair?: string; limit: number; output?: string };

/** better-sqlite3's code for a file that is not SQLite (or not a history): bad input, not a crash. */
export function historyError(file: string, err: unknown): unknown {
  const code = (err as { code?: string }).code;
  if (code === "SQLITE_NOTADB" || code === "SQLITE_CORRUPT") return new CtsError("USAGE", `--history ${file}: not a cts-doctor history database (SQLite)`);
  if (code === "SQLITE_ERROR" && /no such table/.test((err as Error).message))
    return new CtsError("USAGE", `--history ${file}: an SQLite file, but not a cts-doctor history`);
  return err;
}

export const historyCommand: CommandModule<GlobalArgs, Args> = {
  command: "history",
  describe: "Show the runs recorded by check and each rule's trend",
  builder: (y) =>
    withOutputOption(y)
      .option("history", { type: "string", describe: "SQLite history file written by check" })
      .option("out", { type: "string", describe: "check's --out folder (reads OUT/history.sqlite)" })
      .option("pair", { type: "string", describe: "only this pair" })
      .option("limit", { type: "number", default: 20, describe: "most recent runs shown per pair" }),
  // async: yargs then hands every throw to main's parseAsync catch as a rejection, rendered as one line.
  // eslint-disable-next-line @typescript-eslint/require-await -- the handler's contract is a promise, see above
  handler: async (args) => {
    const file = args.history ?? (args.out ? path.join(args.out, "history.sqlite") : undefined);
    if (!file) throw new CtsError("USAGE", "history: name the database with --history FILE or check's --out DIR");
    if (!(Number.isInteger(args.limit) && args.limit >= 1)) throw new CtsError("USAGE", "--limit: must be a whole number of at least 1");
    const output = outputFormat(args);
    let store: HistoryStore;
    try {
      store = HistoryStore.open(file, { create: false });
    } catch (err) {
      throw historyError(file, err);
    }
    try {
      if (args.pair && store.pairRuns(args.pair).length === 0) {
        const known = [...new Set(store.pairRuns().map((r) => r.pair))].sort();
        throw new CtsError("USAGE", `history: no runs recorded for pair "${args.pair}"${known.length ? ` (recorded: ${known.join(", ")})` : ""}`);
      }
      const runs = keepLast(store.pairRuns(args.pair), args.limit);
      print(output, {
        json: { runs },
        rows: runs as unknown as Row[],
        text: () => renderHistory(store, { ...(args.pair ? { pair: args.pair } : {}), limit: args.limit }),
      });
    } catch (err) {
      throw historyError(file, err);
    } finally {
      store.close();
    }
  },
};
