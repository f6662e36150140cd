// The bundled scenarios (fixtures/scenarios/<name>/): broken and healthy tenant pairs the demo and tests replay.
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { CtsError } from "../errors.js";
import { packageRoot } from "../version.js";

export const SCENARIOS_DIR = path.join(packageRoot, "fixtures", "scenarios");
export const DEFAULT_SCENARIO = "contoso-fabrikam";

export interface Scenario {
  name: string;
  title: string;
  description: string;
  dir: string;
  expect: {
    fail: { ruleId: string; side: string; objectIds?: string[] }[];
    /** Rules inconclusive in every secrets-read mode because a read the scenario records failed (e.g. the logs, unlicensed). */
    inconclusive?: string[];
    /**
     * With an emulator that reads no secrets (`emulate --secrets-read none`): the rules that legitimately go
     * inconclusive (they need SyncAll, SyncNotificationSettings or CompanyId); every other result is as in `fail`.
     */
    noSecrets?: {
      inconclusive: string[];
      /**
       * Rules that read the configuration and go inconclusive because it cannot be identified without CompanyId (its
       * name does not name the target): their reason says so and asks for --configuration.
       */
      notIdentified?: string[];
    };
  };
}

export async function listScenarios(): Promise<Scenario[]> {
  const entries = await readdir(SCENARIOS_DIR, { withFileTypes: true });
  const out: Scenario[] = [];
  for (const e of entries.filter((x) => x.isDirectory()).sort((a, b) => a.name.localeCompare(b.name))) {
    try {
      out.push(await loadScenario(e.name));
    } catch {
      // a folder without scenario.json is not a scenario
    }
  }
  return out;
}

export async function loadScenario(name: string): Promise<Scenario> {
  if (!/^[a-z0-9][a-z0-9-]*$/.test(name)) throw new CtsError("USAGE", `unknown scenario "${name}" (see demo --list)`);
  const dir = path.join(SCENARIOS_DIR, name);
  let meta: Omit<Scenario, "dir">;
  try {
    meta = JSON.parse(await readFile(path.join(dir, "scenario.json"), "utf8")) as Omit<Scenario, "dir">;
  } catch {
    throw new CtsError("USAGE", `unknown scenario "${name}" (see demo --list)`);
  }
  return { ...meta, name, dir };
}
