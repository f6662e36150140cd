// The CTS configuration for the target: CompanyId when the secrets say so, else the user's choice or other evidence.
import type {
  AppRoleAssignment,
  AttributeMapping,
  KeyValue,
  ObjectMapping,
  Organization,
  ServicePrincipal,
  SynchronizationJob,
  SynchronizationSchema,
} from "../snapshot/graph-types.js";
import type { FacetId } from "../snapshot/facets.js";
import type { Pair } from "./pair.js";
import { invalid, valid, type Result } from "./result.js";

const IDENTIFY: FacetId[] = ["source.syncServicePrincipals", "source.syncSecrets", "target.organization"];

/**
 * The facets each helper here reads: a rule whose check calls one declares them (needs or uses), since the engine's
 * view of the pair refuses any other. The configuration is identified from the secrets' CompanyId when they were read,
 * and from the target organization's name otherwise.
 */
export const CONFIGURATION_READS = {
  syncConfigurations: ["source.syncServicePrincipals", "source.syncSecrets"],
  configurationForTarget: IDENTIFY,
  configurationInUse: IDENTIFY,
  configurationsForTargetTenant: IDENTIFY,
  jobOf: ["source.syncJobs"],
  schemaOf: ["source.syncSchemas"],
  assignmentsOf: ["source.syncAssignments"],
} satisfies Record<string, readonly FacetId[]>;

export const CTS_APPLICATION_TEMPLATE_ID = "518e5f48-1fc8-4c48-9387-9fdf28b0dfe7";

export interface NotificationSettings {
  Enabled?: boolean;
  Recipients?: string;
  DeleteThresholdEnabled?: boolean;
  DeleteThresholdValue?: number;
  [key: string]: unknown;
}

export interface SyncConfiguration {
  servicePrincipal: ServicePrincipal;
  /** The name the portal shows for the configuration: its service principal's displayName (the id when it has none). */
  name: string;
  /** The target tenant this configuration provisions into (`CompanyId` secret), when readable. */
  companyId: string | undefined;
  syncAll: boolean | undefined;
  /** SyncNotificationSettings: undefined when the secret is absent; invalid when it is not a JSON object. */
  notifications: Result<NotificationSettings | undefined>;
  secrets: KeyValue[];
  /** False when neither beta nor v1.0 answered the secrets read: every secret is unknown, not absent. */
  secretsRead: boolean;
}

function secretValue(secrets: KeyValue[], key: string): string | undefined {
  return secrets.find((s) => s.key.toLowerCase() === key.toLowerCase())?.value;
}

/** The SyncNotificationSettings secret: a JSON object (the portal's provisioning settings), or why it is not one. */
export function parseNotifications(raw: string | undefined): Result<NotificationSettings | undefined> {
  if (!raw) return valid(undefined);
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (err) {
    return invalid(`not valid JSON (${err instanceof Error ? err.message : String(err)})`);
  }
  if (parsed === null || typeof parsed !== "object") return invalid(`valid JSON but not an object (${parsed === null ? "null" : typeof parsed})`);
  if (Array.isArray(parsed)) return invalid("valid JSON but an array, not an object");
  return valid(parsed as NotificationSettings);
}

/** The notification settings when they are valid; undefined when absent or invalid (a caller that must tell them apart reads `notifications`). */
export function notificationSettings(config: SyncConfiguration): NotificationSettings | undefined {
  return config.notifications.ok ? config.notifications.value : undefined;
}

/** How the portal names a configuration: its service principal's displayName, the id when it has none. */
export function configurationName(sp: ServicePrincipal): string {
  return sp.displayName ?? sp.id;
}

/** A configuration from its service principal and its secrets (undefined: the secrets could not be read). */
export function toConfiguration(sp: ServicePrincipal, secrets: KeyValue[] | undefined): SyncConfiguration {
  const list = secrets ?? [];
  const syncAll = secretValue(list, "SyncAll");
  return {
    servicePrincipal: sp,
    name: configurationName(sp),
    companyId: secretValue(list, "CompanyId")?.toLowerCase(),
    syncAll: syncAll === undefined ? undefined : syncAll.toLowerCase() === "true",
    notifications: parseNotifications(secretValue(list, "SyncNotificationSettings")),
    secrets: list,
    secretsRead: secrets !== undefined,
  };
}

/**
 * Every CTS configuration found in the source, with what its secrets say. Needs syncServicePrincipals; a service
 * principal missing from source.syncSecrets (or the facet not collected) has unknown secrets.
 */
export function syncConfigurations(pair: Pair): SyncConfiguration[] {
  const sps = pair.get("source.syncServicePrincipals");
  const secretsBySp = pair.maybe("source.syncSecrets");
  return sps.map((sp) => toConfiguration(sp, secretsBySp && Object.hasOwn(secretsBySp, sp.id) ? secretsBySp[sp.id] : undefined));
}

/**
 * How the configuration for the target was identified. Confirmed: its CompanyId is the target, or the user named it.
 * The others are evidence when CompanyId is unknown: the service principal's name names the target organization
 * (displayName or a verified domain), or it is the only configuration whose CompanyId is unknown and the target organization (its name and domains) is unknown.
 */
export type ConfigurationBasis = "companyId" | "named" | "display-name" | "only-candidate";

export interface TargetConfiguration {
  /** The configuration for the target, or undefined when there is none or it cannot be told which. */
  config: SyncConfiguration | undefined;
  confirmed: boolean;
  basis?: ConfigurationBasis;
  /** One sentence: how the configuration was identified, or why none could be. */
  evidence: string;
  /** With no config: true when every configuration's CompanyId is known, so the absence is a fact, not a guess. */
  absent: boolean;
}

export interface ConfigurationInput {
  configs: SyncConfiguration[];
  targetTenantId: string;
  /** `--configuration` / `configuration:`: a service principal id or displayName. */
  named?: string | undefined;
  /** The target's organization (displayName, verified domains), when collected. */
  targetOrganization?: Organization[] | undefined;
}

const label = (c: SyncConfiguration) => `"${c.name}" (${c.servicePrincipal.id})`;

/** The configurations a `--configuration` value names: by service principal id, else by displayName (case-insensitive). */
export function namedConfigurations(configs: SyncConfiguration[], name: string): SyncConfiguration[] {
  const want = name.trim().toLowerCase();
  const byId = configs.filter((c) => c.servicePrincipal.id.toLowerCase() === want);
  return byId.length > 0 ? byId : configs.filter((c) => (c.servicePrincipal.displayName ?? "").trim().toLowerCase() === want);
}

/** Names the target organization goes by: its displayName, its verified domains and their first labels ("fabrikam"). */
export function targetNames(orgs: Organization[] | undefined): string[] {
  const names = new Set<string>();
  for (const org of orgs ?? []) {
    if (org.displayName) names.add(org.displayName.toLowerCase());
    for (const d of org.verifiedDomains ?? []) {
      if (!d.name) continue;
      names.add(d.name.toLowerCase());
      names.add((d.name.split(".")[0] ?? d.name).toLowerCase());
    }
  }
  return [...names].filter((n) => n.length >= 3);
}

/** The target name the configuration's displayName contains as a word, if any. */
export function namesTarget(config: SyncConfiguration, names: string[]): string | undefined {
  const words = ` ${(config.servicePrincipal.displayName ?? "").toLowerCase().replace(/[^a-z0-9.-]+/g, " ")} `;
  return names.find((n) => words.includes(` ${n.replace(/[^a-z0-9.-]+/g, " ")} `));
}

/** The one decision "the configuration for the target"; collect, rules, trace, export and remediate all use it. */
export function chooseConfiguration(input: ConfigurationInput): TargetConfiguration {
  const { configs } = input;
  const target = input.targetTenantId.toLowerCase();
  if (input.named) {
    const named = namedConfigurations(configs, input.named);
    const only = named.length === 1 ? named[0] : undefined;
    if (only) return { config: only, confirmed: true, basis: "named", evidence: `named with --configuration: ${label(only)}`, absent: false };
    const why = named.length === 0 ? "is not one of the CTS configurations found" : `matches ${named.length} configurations; name it by service principal id`;
    return { config: undefined, confirmed: false, evidence: `the configuration named "${input.named}" ${why}`, absent: false };
  }
  const matching = configs.find((c) => c.companyId === target);
  if (matching)
    return { config: matching, confirmed: true, basis: "companyId", evidence: `CompanyId of ${label(matching)} is the target tenant`, absent: false };
  const unknown = configs.filter((c) => c.companyId === undefined);
  if (unknown.length === 0) return { config: undefined, confirmed: false, evidence: `no configuration has CompanyId ${target}`, absent: true };
  const why = (c: SyncConfiguration) => (c.secretsRead ? "its secrets have no CompanyId" : "its secrets could not be read");
  const names = targetNames(input.targetOrganization);
  const byName = unknown.map((c) => ({ c, name: namesTarget(c, names) })).filter((x) => x.name !== undefined);
  const onlyByName = byName.length === 1 ? byName[0] : undefined;
  if (onlyByName) {
    const { c, name } = onlyByName;
    return {
      config: c,
      confirmed: false,
      basis: "display-name",
      evidence: `configuration for the target not confirmed: ${why(c)}; its name ${label(c)} contains the target's "${name}"`,
      absent: false,
    };
  }
  // A lone candidate whose name does not name a known target is as likely set up for another tenant: guessing it
  // would report that tenant's problems as this pair's, so only an unnamed target lets it stand in.
  const onlyUnknown = unknown.length === 1 ? unknown[0] : undefined;
  if (onlyUnknown && names.length === 0) {
    const c = onlyUnknown;
    const others = configs.length === 1 ? "it is the only CTS configuration in the source" : "every other configuration names another tenant";
    return {
      config: c,
      confirmed: false,
      basis: "only-candidate",
      evidence: `configuration for the target not confirmed: ${why(c)}; ${others}: ${label(c)}`,
      absent: false,
    };
  }
  const list = (byName.length > 1 ? byName.map((x) => x.c) : unknown).map(label).join(", ");
  const could = unknown.length === 1 && byName.length === 0 ? `${list} could be it, but its name does not name the target` : `${list} could each be it`;
  return {
    config: undefined,
    confirmed: false,
    evidence: `configuration for the target not identified: ${could} (CompanyId unknown); name it with --configuration`,
    absent: false,
  };
}

/** What the choice of configuration reads from this snapshot. Needs source.syncServicePrincipals. */
export function configurationInput(pair: Pair): ConfigurationInput {
  return {
    configs: syncConfigurations(pair),
    targetTenantId: pair.target.tenantId,
    named: pair.manifest.configuration,
    targetOrganization: pair.maybe("target.organization"),
  };
}

/** The configuration for the target in this snapshot, and how it was identified. Needs source.syncServicePrincipals. */
export function configurationForTarget(pair: Pair): TargetConfiguration {
  return chooseConfiguration(configurationInput(pair));
}

/**
 * Every configuration whose CompanyId is the target, the one for the target first. Microsoft allows only one ("only one
 * sync instance can exist between a source and a target", cross-tenant-synchronization-overview.md, "Structure").
 */
export function configurationsForTargetTenant(pair: Pair): SyncConfiguration[] {
  const target = pair.target.tenantId.toLowerCase();
  const chosen = configurationInUse(pair);
  const all = syncConfigurations(pair).filter((c) => c.companyId === target);
  return chosen && all.includes(chosen) ? [chosen, ...all.filter((c) => c !== chosen)] : all;
}

/** The configuration for the target (confirmed or identified from evidence), if any. */
export function configurationInUse(pair: Pair): SyncConfiguration | undefined {
  return configurationForTarget(pair).config;
}

/** "The job in use" among a configuration's jobs: the CTS one (template Azure2Azure), or the first job. */
export function ctsJob(jobs: readonly SynchronizationJob[]): SynchronizationJob | undefined {
  return jobs.find((j) => j.templateId === "Azure2Azure") ?? jobs[0];
}

/** The CTS job of the configuration (template Azure2Azure), or the first job. Needs source.syncJobs. */
export function jobOf(pair: Pair, config: SyncConfiguration): SynchronizationJob | undefined {
  return ctsJob(pair.get("source.syncJobs")[config.servicePrincipal.id] ?? []);
}

/** The job's schema. Needs source.syncSchemas. */
export function schemaOf(pair: Pair, config: SyncConfiguration, job: SynchronizationJob): SynchronizationSchema | undefined {
  return pair.get("source.syncSchemas")[config.servicePrincipal.id]?.[job.id];
}

function mappings(schema: SynchronizationSchema | undefined): ObjectMapping[] {
  return (schema?.synchronizationRules ?? []).flatMap((r) => r.objectMappings ?? []);
}

/** The user object mapping (source object User). */
export function userMapping(schema: SynchronizationSchema | undefined): ObjectMapping | undefined {
  return mappings(schema).find((m) => m.sourceObjectName?.toLowerCase() === "user");
}

/** The group object mapping (source object Group); disabled by default. */
export function groupMapping(schema: SynchronizationSchema | undefined): ObjectMapping | undefined {
  return mappings(schema).find((m) => m.sourceObjectName?.toLowerCase() === "group");
}

export function attributeMapping(mapping: ObjectMapping | undefined, target: string): AttributeMapping | undefined {
  return mapping?.attributeMappings?.find((a) => a.targetAttributeName?.toLowerCase() === target.toLowerCase());
}

/** The synchronization rule id used by provisionOnDemand (the rule holding the user mapping). */
export function userRuleId(schema: SynchronizationSchema | undefined): string | undefined {
  return schema?.synchronizationRules?.find((r) => r.objectMappings?.some((m) => m.sourceObjectName?.toLowerCase() === "user"))?.id ?? undefined;
}

/** Assignments of the configuration. Needs source.syncAssignments. */
export function assignmentsOf(pair: Pair, config: SyncConfiguration): AppRoleAssignment[] {
  return pair.get("source.syncAssignments")[config.servicePrincipal.id] ?? [];
}
