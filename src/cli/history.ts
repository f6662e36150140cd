// `history`: the runs recorded by `check` and a per-rule trend, for one pair or all.
import path from "node:path";
import type { CommandModule } from "yargs";
import { CtsError } from "../errors.js";
import { HistoryStore } from "../history/store.js";
import { renderHistory } from "../history/trend.js";
import type { GlobalArgs } from "./options.js";
import { forTerminal } from "./output.js";

type Args = GlobalArgs & { history?: string; out?: string; pair?: string; limit: number };

export const historyCommand: CommandModule<GlobalArgs, Args> = {
  command: "history",
  describe: "Show the runs recorded by check and each rule's trend",
  builder: (y) =>
    y
      .option("history", { type: "string", describe: "SQLite history file written by check" })
      .option("out", { type: "string", describe: "check's --out folder (reads OUT/history.sqlite)" })
      .option("pair", { type: "string", describe: "only this pair" })
      .option("limit", { type: "number", default: 20, describe: "most recent runs shown per pair" }) as never,
  handler: async (args) => {
    const file = args.history ?? (args.out ? path.join(args.out, "history.sqlite") : undefined);
    if (!file) throw new CtsError("USAGE", "history: name the database with --history FILE or check's --out DIR");
    if (!(Number.isInteger(args.limit) && args.limit >= 1)) throw new CtsError("USAGE", "--limit: must be a whole number of at least 1");
    const store = HistoryStore.open(file, { create: false });
    try {
      if (args.pair && store.pairRuns(args.pair).length === 0) {
        const known = [...new Set(store.pairRuns().map((r) => r.pair))].sort();
        throw new CtsError("USAGE", `history: no runs recorded for pair "${args.pair}"${known.length ? ` (recorded: ${known.join(", ")})` : ""}`);
      }
      process.stdout.write(forTerminal(renderHistory(store, { ...(args.pair ? { pair: args.pair } : {}), limit: args.limit })));
    } finally {
      store.close();
    }
  },
};
