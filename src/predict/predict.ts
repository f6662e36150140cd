// The next cycle, predicted offline from a snapshot: every in-scope user's action, and deprovisioning of those who left scope.
import { CtsError } from "../errors.js";
import { configurationInUse, jobOf, notificationSettings, schemaOf, userMapping, type SyncConfiguration } from "../model/configuration.js";
import { correlateUsers, homeAddressFromUpn } from "../model/correlate.js";
import { DateValue } from "../model/expression/index.js";
import type { Pair } from "../model/pair.js";
import { scopeOf } from "../model/scope.js";
import type { ObjectMapping, PhoneMethod, SynchronizationSchema, User } from "../snapshot/graph-types.js";
import { known, unknown, type Known } from "../model/known.js";
import { compileMapping } from "../model/mappings.js";
import { PREDICTED_ACTIONS, type Prediction, type UserPrediction } from "./types.js";
import { predictUser, type PredictContext } from "./user.js";

export const PREDICT_LIMITS = [
  "Users are matched with the project's correlation (mail, otherMails, #EXT# UPN prefix), not the schema's matching attribute (AltSecIdFromNetId([netId]) cannot be computed offline).",
  "An attribute the snapshot does not hold (not in the collector's $select, on either side) is listed as unknown, never as a change.",
  "FlowWhenChanged: the service writes a mapped value when the source value changes; a difference whose source did not change stays until a restarted (full) cycle.",
  "Guid() and RandomString() give a different value on every run; SelectUniqueValue sees the target's UPNs and mail addresses in the snapshot.",
];

function needed(
  pair: Pair,
  schemaOverride?: SynchronizationSchema,
): { config: SyncConfiguration; jobId: string; mapping: ObjectMapping; lastCycleSucceeded: boolean } {
  for (const id of [
    "source.syncServicePrincipals",
    "source.syncSecrets",
    "source.syncJobs",
    "source.syncSchemas",
    "source.syncAssignments",
    "source.users",
    "target.users",
  ] as const) {
    if (!pair.has(id)) throw new CtsError("SNAPSHOT_INVALID", `predict needs ${id}, which the snapshot does not hold (${pair.entry(id).status})`);
  }
  const config = configurationInUse(pair);
  if (!config)
    throw new CtsError("SNAPSHOT_INVALID", `no cross-tenant synchronization configuration in the source points at the target tenant ${pair.target.tenantId}`);
  const job = jobOf(pair, config);
  const mapping = job ? userMapping(schemaOverride ?? schemaOf(pair, config, job)) : undefined;
  if (!job || !mapping) throw new CtsError("SNAPSHOT_INVALID", "the configuration has no synchronization job with a user mapping in the snapshot");
  return { config, jobId: job.id, mapping, lastCycleSucceeded: job.status?.lastExecution?.state === "Succeeded" };
}

/** The source tenant's verified domains: a target user whose home address is in one came from the source. */
function sourceDomains(pair: Pair): Set<string> {
  const orgs = (pair.maybe("source.organization") ?? []) as { verifiedDomains?: { name?: string }[] }[];
  return new Set(
    orgs
      .flatMap((o) => o.verifiedDomains ?? [])
      .map((d) => (d.name ?? "").toLowerCase())
      .filter(Boolean),
  );
}

function deprovisionReason(mapping: ObjectMapping): string {
  // The object mapping's flowTypes are the target object actions ("Add, Update, Delete").
  const deletes = (mapping.flowTypes ?? "").split(",").some((t) => t.trim().toLowerCase() === "delete");
  return deletes
    ? "the source user is no longer in scope: Delete is among the target object actions, so the target user is soft-deleted"
    : "the source user is no longer in scope, but Delete is not among the target object actions: the target user stays";
}

function deprovisions(pair: Pair, matchedTargetIds: Set<string>, mapping: ObjectMapping): UserPrediction[] {
  const domains = sourceDomains(pair);
  const domainOf = (u: User) => (homeAddressFromUpn(u.userPrincipalName) ?? u.mail ?? "").toLowerCase().split("@")[1];
  return pair
    .get("target.users")
    .filter((t) => !matchedTargetIds.has(t.id) && domains.has(domainOf(t) ?? ""))
    .map((t) => ({
      action: "deprovision" as const,
      displayName: t.displayName ?? t.userPrincipalName ?? t.id,
      targetObjectId: t.id,
      targetUserPrincipalName: t.userPrincipalName ?? undefined,
      reason: deprovisionReason(mapping),
      changes: [],
      unknown: [],
    }));
}

function phoneLookup(pair: Pair): (userId: string) => Known<PhoneMethod[] | null> {
  if (!pair.has("source.phoneMethods")) return () => unknown(`the phone methods were not collected (${pair.entry("source.phoneMethods").status})`);
  const byUser = new Map(pair.get("source.phoneMethods").map((p) => [p.userId.toLowerCase(), p.value]));
  return (id) => (byUser.has(id.toLowerCase()) ? known(byUser.get(id.toLowerCase()) ?? null) : unknown("the snapshot has no phone methods for this user"));
}

/**
 * Predict the next cycle for the configuration in use. `now` is what Now() returns (default: the snapshot's date);
 * `schema` replaces the job's schema (the what-if of an edited copy).
 */
export function predictPair(pair: Pair, now: Date = new Date(pair.manifest.createdAt), schema?: SynchronizationSchema): Prediction {
  const { config, jobId, mapping, lastCycleSucceeded } = needed(pair, schema);
  const scope = scopeOf(pair, config);
  const inScope = [...scope.users.values()].filter((u) => scope.reason(u.id) !== undefined);
  const targets = pair.get("target.users");
  const correlated = correlateUsers(inScope, targets, pair.maybe("target.deletedUsers") ?? []);
  const targetIdBySource = new Map(correlated.flatMap((c) => (c.target ? [[c.source.id, c.target.id] as const] : [])));
  const taken = new Set(
    targets
      .flatMap((t) => [t.userPrincipalName, t.mail])
      .filter((x): x is string => Boolean(x))
      .map((x) => x.toLowerCase()),
  );
  const ctx: PredictContext = {
    mapping,
    compiled: (mapping.attributeMappings ?? []).map(compileMapping),
    now: new DateValue(now.getTime()),
    lastCycleSucceeded,
    targetIdOf: (id) => targetIdBySource.get(id),
    isTaken: (v) => taken.has(v.toLowerCase()),
  };
  const phones = phoneLookup(pair);
  const logs = unknown("predict reads the phone methods, not the logs, for alternativeSecurityIds");
  const users = correlated.map((c) =>
    predictUser(
      {
        user: c.source,
        target: c.target,
        deleted: c.deleted,
        matchedBy: c.matchedBy,
        facts: { phoneMethods: phones(c.source.id), logs, absentAttribute: "not-collected" },
      },
      ctx,
    ),
  );
  users.push(...deprovisions(pair, new Set(targetIdBySource.values()), mapping));
  return summarize(config, jobId, lastCycleSucceeded, users);
}

function summarize(config: SyncConfiguration, jobId: string, lastCycleSucceeded: boolean, users: UserPrediction[]): Prediction {
  const counts = Object.fromEntries(PREDICTED_ACTIONS.map((a) => [a, 0])) as Prediction["counts"];
  for (const u of users) counts[u.action]++;
  // Invalid settings hold no threshold the prediction could compare with (accidental-deletion-prevention-off says so).
  const n = notificationSettings(config);
  const threshold =
    n?.DeleteThresholdEnabled && typeof n.DeleteThresholdValue === "number"
      ? { value: n.DeleteThresholdValue, exceeded: counts.deprovision > n.DeleteThresholdValue }
      : undefined;
  return {
    servicePrincipalId: config.servicePrincipal.id,
    jobId,
    lastCycleSucceeded,
    counts,
    ...(threshold ? { deleteThreshold: threshold } : {}),
    users,
    limits: PREDICT_LIMITS,
  };
}
