// The CTS configuration in use: the source service principal whose CompanyId is the target tenant, its job and schema.
import type {
  AppRoleAssignment,
  AttributeMapping,
  KeyValue,
  ObjectMapping,
  ServicePrincipal,
  SynchronizationJob,
  SynchronizationSchema,
} from "../snapshot/graph-types.js";
import type { Pair } from "./pair.js";

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
  /** The target tenant this configuration provisions into (`CompanyId` secret), when readable. */
  companyId: string | undefined;
  syncAll: boolean | undefined;
  notifications: NotificationSettings | undefined;
  secrets: KeyValue[];
}

function secretValue(secrets: KeyValue[], key: string): string | undefined {
  return secrets.find((s) => s.key.toLowerCase() === key.toLowerCase())?.value;
}

function parseNotifications(raw: string | undefined): NotificationSettings | undefined {
  if (!raw) return undefined;
  try {
    const parsed: unknown = JSON.parse(raw);
    return parsed && typeof parsed === "object" ? (parsed as NotificationSettings) : undefined;
  } catch {
    return undefined;
  }
}

/** Every CTS configuration found in the source, with what its secrets say. Needs syncServicePrincipals + syncSecrets. */
export function syncConfigurations(pair: Pair): SyncConfiguration[] {
  const sps = pair.get("source.syncServicePrincipals");
  const secretsBySp = pair.get("source.syncSecrets");
  return sps.map((sp) => {
    const secrets = secretsBySp[sp.id] ?? [];
    const syncAll = secretValue(secrets, "SyncAll");
    return {
      servicePrincipal: sp,
      companyId: secretValue(secrets, "CompanyId")?.toLowerCase(),
      syncAll: syncAll === undefined ? undefined : syncAll.toLowerCase() === "true",
      notifications: parseNotifications(secretValue(secrets, "SyncNotificationSettings")),
      secrets,
    };
  });
}

/** The configuration whose CompanyId is the target tenant, if any. */
export function configurationInUse(pair: Pair): SyncConfiguration | undefined {
  const target = pair.target.tenantId.toLowerCase();
  return syncConfigurations(pair).find((c) => c.companyId === target);
}

/** The CTS job of the configuration (template Azure2Azure), or the first job. Needs source.syncJobs. */
export function jobOf(pair: Pair, config: SyncConfiguration): SynchronizationJob | undefined {
  const jobs = pair.get("source.syncJobs")[config.servicePrincipal.id] ?? [];
  return jobs.find((j) => j.templateId === "Azure2Azure") ?? jobs[0];
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
