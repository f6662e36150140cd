// Preconditions many rules share, with one wording: the configuration in use must exist for configuration rules to apply.
import { configurationInUse, type SyncConfiguration } from "../model/configuration.js";
import type { Pair } from "../model/pair.js";
import type { RuleContext } from "./types.js";

/** The configuration whose CompanyId is the target; stops the check as not-applicable when there is none. */
export function requireConfiguration(pair: Pair, ctx: RuleContext<string>): SyncConfiguration {
  const config = configurationInUse(pair);
  if (!config) ctx.notApplicable(`No cross-tenant synchronization configuration in the source has CompanyId ${pair.target.tenantId} (see configuration-missing).`);
  return config!;
}
