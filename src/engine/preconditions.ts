// Preconditions many rules share, with one wording: the configuration in use, its job and schema must exist for a rule to apply.
import { configurationInUse, jobOf, schemaOf, type SyncConfiguration } from "../model/configuration.js";
import type { Pair } from "../model/pair.js";
import type { SynchronizationJob, SynchronizationSchema } from "../snapshot/graph-types.js";
import type { RuleContext } from "./types.js";

/** The configuration whose CompanyId is the target; stops the check as not-applicable when there is none. */
export function requireConfiguration(pair: Pair, ctx: RuleContext<string>): SyncConfiguration {
  const config = configurationInUse(pair);
  if (!config) ctx.notApplicable(`No cross-tenant synchronization configuration in the source has CompanyId ${pair.target.tenantId} (see configuration-missing).`);
  return config!;
}

/**
 * The configuration's job and its schema: not-applicable when the configuration has no job yet (no mapping is in
 * effect), inconclusive when the job's schema was not collected.
 */
export function requireSchema(pair: Pair, ctx: RuleContext<string>, config: SyncConfiguration): { job: SynchronizationJob; schema: SynchronizationSchema } {
  const job = jobOf(pair, config);
  if (!job) ctx.notApplicable(`Configuration ${config.servicePrincipal.displayName ?? config.servicePrincipal.id} has no provisioning job yet, so no mapping is in effect.`);
  const schema = schemaOf(pair, config, job!);
  if (!schema) ctx.inconclusive(`The schema of job ${job!.id} was not collected (source.syncSchemas), so its mappings cannot be read.`);
  return { job: job!, schema: schema! };
}
