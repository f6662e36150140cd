// Building blocks rule fixes share: the partner-record and sync-policy steps, the configuration and job in use.
import { configurationInUse, jobOf, type SyncConfiguration } from "../model/configuration.js";
import type { Pair } from "../model/pair.js";
import type { TenantSide } from "../snapshot/facets.js";
import type { SynchronizationJob } from "../snapshot/graph-types.js";
import type { FixOutcome, StepDraft } from "./types.js";

export const XTAP_PARTNERS = "/policies/crossTenantAccessPolicy/partners";
export const CROSS_TENANT_PERMISSION = "Policy.ReadWrite.CrossTenantAccess";
export const SYNC_PERMISSION = "Synchronization.ReadWrite.All";

/** Run order of step kinds: records before their policies, policies before the job, the job before on-demand runs. */
export const ORDER = { createPartner: 10, patchPartner: 20, identitySync: 30, tenantSetting: 40, secrets: 50, userMethod: 60, job: 70, onDemand: 80 } as const;

export const skipped = (reason: string): FixOutcome => ({ skipped: reason });

/** The tenant a side's partner record points at. */
export function otherTenant(pair: Pair, side: TenantSide): string {
  return side === "source" ? pair.target.tenantId : pair.source.tenantId;
}

/**
 * The change to a partner record's automaticUserConsentSettings: PATCH when the record exists (the complex property is
 * replaced as a whole, so the other direction is sent back unchanged), POST the record when it is missing.
 */
export function autoRedeemSteps(pair: Pair, side: TenantSide, direction: "inboundAllowed" | "outboundAllowed", summary: string): StepDraft[] {
  const partnerId = otherTenant(pair, side);
  const record = pair.get(`${side}.partner`);
  const path = `${XTAP_PARTNERS}/${partnerId}`;
  const read = { tenant: side, version: "v1.0" as const, path };
  const check = `automaticUserConsentSettings.${direction}`;
  if (!record) return [createPartnerStep(side, partnerId, { automaticUserConsentSettings: { [direction]: true } }, summary, check)];
  const current = record.automaticUserConsentSettings ?? {};
  const other = direction === "inboundAllowed" ? "outboundAllowed" : "inboundAllowed";
  return [
    {
      tenant: side,
      method: "PATCH",
      version: "v1.0",
      path,
      body: { automaticUserConsentSettings: { [other]: current[other] ?? null, [direction]: true } },
      permission: CROSS_TENANT_PERMISSION,
      summary,
      read,
      // The other direction is sent back as read, so it must still be what was read.
      precondition: [
        { path: check, equals: current[direction] ?? null },
        { path: `automaticUserConsentSettings.${other}`, equals: current[other] ?? null },
      ],
      effect: [{ path: check, equals: true }],
      undo: { method: "PATCH", version: "v1.0", path, restore: "paths" },
      order: ORDER.patchPartner,
      mergeKey: `${side} PATCH ${path}`,
    },
  ];
}

/** POST a partner record that does not exist yet; several fixes may ask for it, so they merge into one request. */
export function createPartnerStep(side: TenantSide, partnerId: string, body: Record<string, unknown>, summary: string, effectPath?: string): StepDraft {
  const path = `${XTAP_PARTNERS}/${partnerId}`;
  return {
    tenant: side,
    method: "POST",
    version: "v1.0",
    path: XTAP_PARTNERS,
    body: { tenantId: partnerId, ...body },
    permission: CROSS_TENANT_PERMISSION,
    summary,
    read: { tenant: side, version: "v1.0", path },
    precondition: [{ path: "tenantId", equals: null }],
    effect: [{ path: "tenantId", in: [partnerId, partnerId.toLowerCase()] }, ...(effectPath ? [{ path: effectPath, equals: true }] : [])],
    undo: { method: "DELETE", version: "v1.0", path },
    order: ORDER.createPartner,
    mergeKey: `${side} POST ${XTAP_PARTNERS}/${partnerId}`,
  };
}

export interface JobInUse {
  config: SyncConfiguration;
  job: SynchronizationJob;
  jobPath: string;
}

/** The configuration in use and its job, or why a job step cannot be planned. */
export function jobInUse(pair: Pair): JobInUse | string {
  const config = configurationInUse(pair);
  if (!config) return "there is no configuration whose CompanyId is the target tenant";
  if (!pair.has("source.syncJobs")) return "the job was not collected";
  const job = jobOf(pair, config);
  if (!job) return "the configuration has no provisioning job (finish Provisioning → Get started in the portal first)";
  return { config, job, jobPath: `/servicePrincipals/${config.servicePrincipal.id}/synchronization/jobs/${encodeURIComponent(job.id)}` };
}

/**
 * PUT the target's cross-tenant sync policy for the source with the given settings allowed (beta when groups are asked
 * for: v1.0 has no groupSyncInbound). PUT creates the policy when missing, but needs the partner record first.
 */
export function identitySyncSteps(pair: Pair, allow: { userSyncInbound?: true; groupSyncInbound?: true }, summary: string): StepDraft[] {
  const sourceId = pair.source.tenantId;
  const steps: StepDraft[] = [];
  if (!pair.get("target.partner")) steps.push(createPartnerStep("target", sourceId, {}, `Target: add the source tenant ${sourceId} to cross-tenant access settings.`));
  const current = pair.maybe("target.identitySynchronization") ?? null;
  const beta = allow.groupSyncInbound === true;
  const path = `${XTAP_PARTNERS}/${sourceId}/identitySynchronization`;
  const body: Record<string, unknown> = {};
  if (current?.displayName) body["displayName"] = current.displayName;
  body["userSyncInbound"] = { isSyncAllowed: allow.userSyncInbound ? true : (current?.userSyncInbound?.isSyncAllowed ?? false) };
  if (beta) body["groupSyncInbound"] = { isSyncAllowed: true };
  const sent: ("userSyncInbound" | "groupSyncInbound")[] = beta ? ["userSyncInbound", "groupSyncInbound"] : ["userSyncInbound"];
  steps.push({
    tenant: "target",
    method: "PUT",
    version: beta ? "beta" : "v1.0",
    path,
    body,
    permission: CROSS_TENANT_PERMISSION,
    summary,
    read: { tenant: "target", version: "beta", path },
    precondition: sent.map((name) => ({ path: `${name}.isSyncAllowed`, equals: (current?.[name] as { isSyncAllowed?: boolean | null } | undefined)?.isSyncAllowed ?? null })),
    effect: Object.keys(allow).map((name) => ({ path: `${name}.isSyncAllowed`, equals: true })),
    // The document is read on beta (it may hold groupSyncInbound), so it is written back on beta.
    undo: { method: "PUT", version: "beta", path, restore: "document" },
    order: ORDER.identitySync,
    mergeKey: `target PUT ${path}`,
  });
  return steps;
}

const NOTIFICATION_KEY = "SyncNotificationSettings";
export const TRUE_VALUES = [true, "true", "True", "TRUE"];

/**
 * PUT the configuration's provisioning secrets with SyncNotificationSettings changed. The PUT replaces every secret, so
 * the body carries the secrets as read (CompanyId, AuthenticationType, SyncAll…) and each must still hold that value.
 */
export function notificationSettingsStep(pair: Pair, change: Record<string, unknown>, effect: StepDraft["effect"], summary: string): StepDraft | string {
  const config = configurationInUse(pair);
  if (!config) return "there is no configuration whose CompanyId is the target tenant";
  const raw = config.secrets.find((s) => s.key.toLowerCase() === NOTIFICATION_KEY.toLowerCase())?.value ?? null;
  const settings = { ...(config.notifications ?? {}), ...change };
  const kept = config.secrets.filter((s) => s.key.toLowerCase() !== NOTIFICATION_KEY.toLowerCase());
  const path = `/servicePrincipals/${config.servicePrincipal.id}/synchronization/secrets`;
  return {
    tenant: "source",
    method: "PUT",
    version: "v1.0",
    path,
    body: { value: [...kept, { key: NOTIFICATION_KEY, value: JSON.stringify(settings) }] },
    permission: SYNC_PERMISSION,
    summary,
    read: { tenant: "source", version: "v1.0", path },
    precondition: [...kept, { key: NOTIFICATION_KEY, value: raw }].map((s) => ({ path: `value[key=${s.key}].value`, equals: s.value })),
    effect: effect.map((c) => ({ ...c, path: `value[key=${NOTIFICATION_KEY}].value.$json.${c.path}` })),
    undo: { method: "PUT", version: "v1.0", path, restore: "document" },
    order: ORDER.secrets,
    mergeKey: `source PUT ${path}`,
  };
}
