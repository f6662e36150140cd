// Preconditions many rules share, with one wording: the configuration in use, its job and schema must exist for a rule to apply.
import { CONFIGURATION_READS, configurationForTarget, jobOf, schemaOf, type SyncConfiguration } from "../model/configuration.js";
import type { Pair } from "../model/pair.js";
import type { FacetId } from "../snapshot/facets.js";
import type { SynchronizationJob, SynchronizationSchema } from "../snapshot/graph-types.js";
import type { RuleContext } from "./types.js";

/** The facets each precondition reads (a rule calling one declares them; the engine's view refuses any other). */
export const PRECONDITION_READS = {
  requireConfiguration: CONFIGURATION_READS.configurationForTarget,
  requireSecrets: ["source.syncSecrets"],
  requireSchema: [...CONFIGURATION_READS.jobOf, ...CONFIGURATION_READS.schemaOf],
} satisfies Record<string, readonly FacetId[]>;

/**
 * The configuration for the target (confirmed or identified from other evidence); stops the check as not-applicable
 * when the source has none, inconclusive when it cannot be told which configuration it is.
 */
export function requireConfiguration(pair: Pair, ctx: RuleContext<string>): SyncConfiguration {
  const choice = configurationForTarget(pair);
  if (!choice.config && choice.absent)
    ctx.notApplicable(`No cross-tenant synchronization configuration in the source has CompanyId ${pair.target.tenantId} (see configuration-missing).`);
  if (!choice.config) ctx.inconclusive(`The configuration for the target could not be identified: ${choice.evidence}.`);
  return choice.config;
}

/**
 * The secrets of the configuration, for rules that read them (SyncAll, SyncNotificationSettings): inconclusive when
 * they could not be read, naming why (the manifest's per-configuration read).
 */
export function requireSecrets(pair: Pair, ctx: RuleContext<string>, config: SyncConfiguration): void {
  if (config.secretsRead) return;
  const read = pair.entry("source.syncSecrets").reads?.[config.servicePrincipal.id];
  const why = read?.error ? `${read.error.httpStatus ? `${read.error.httpStatus} ` : ""}${read.error.code}: ${read.error.message}` : "not collected";
  ctx.inconclusive(`The secrets of configuration "${config.name}" could not be read (source.syncSecrets: ${why}), so its provisioning settings are unknown.`);
}

/**
 * For a rule that reads the source's configuration: how the configuration was identified when that is not confirmed
 * (CompanyId unreadable), so its result and findings say so; undefined when confirmed or not applicable.
 */
export function configurationCaveat(pair: Pair, needs: readonly FacetId[]): string | undefined {
  if (!needs.includes("source.syncServicePrincipals") || !pair.has("source.syncServicePrincipals")) return undefined;
  const choice = configurationForTarget(pair);
  return choice.config && !choice.confirmed ? choice.evidence : undefined;
}

/**
 * The configuration's job and its schema: not-applicable when the configuration has no job yet (no mapping is in
 * effect), inconclusive when the job's schema was not collected.
 */
export function requireSchema(pair: Pair, ctx: RuleContext<string>, config: SyncConfiguration): { job: SynchronizationJob; schema: SynchronizationSchema } {
  const job = jobOf(pair, config);
  if (!job) ctx.notApplicable(`Configuration ${config.name} has no provisioning job yet, so no mapping is in effect.`);
  const schema = schemaOf(pair, config, job);
  if (!schema) ctx.inconclusive(`The schema of job ${job.id} was not collected (source.syncSchemas), so its mappings cannot be read.`);
  return { job: job, schema: schema };
}
