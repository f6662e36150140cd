// The next cycle, predicted offline from a snapshot: every in-scope user's action, and deprovisioning of those who left scope.
import { CtsError } from "../errors.js";
import { configurationInUse, jobOf, notificationSettings, schemaOf, userMapping, type SyncConfiguration } from "../model/configuration.js";
import { correlateUsers, homeAddressFromUpn, type Correlation } from "../model/correlate.js";
import { DateValue } from "../model/expression/index.js";
import type { Pair } from "../model/pair.js";
import { scopeOf } from "../model/scope.js";
import type { ObjectMapping, PhoneMethod, SynchronizationJob, SynchronizationSchema, User } from "../snapshot/graph-types.js";
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

interface Configured {
  config: SyncConfiguration;
  job: SynchronizationJob;
  lastCycleSucceeded: boolean;
}

function configured(pair: Pair): Configured {
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
  if (!job) throw new CtsError("SNAPSHOT_INVALID", NO_USER_MAPPING);
  return { config, job, lastCycleSucceeded: job.status?.lastExecution?.state === "Succeeded" };
}

const NO_USER_MAPPING = "the configuration has no synchronization job with a user mapping in the snapshot";

function userMappingOf(pair: Pair, { config, job }: Configured, schemaOverride?: SynchronizationSchema): ObjectMapping {
  const mapping = userMapping(schemaOverride ?? schemaOf(pair, config, job));
  if (!mapping) throw new CtsError("SNAPSHOT_INVALID", NO_USER_MAPPING);
  return mapping;
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

function* deprovisions(pair: Pair, matchedTargetIds: ReadonlySet<string>, mapping: ObjectMapping): Generator<UserPrediction> {
  const domains = sourceDomains(pair);
  const domainOf = (u: User) => (homeAddressFromUpn(u.userPrincipalName) ?? u.mail ?? "").toLowerCase().split("@")[1];
  const reason = deprovisionReason(mapping);
  for (const t of pair.get("target.users")) {
    if (matchedTargetIds.has(t.id) || !domains.has(domainOf(t) ?? "")) continue;
    yield {
      action: "deprovision",
      displayName: t.displayName ?? t.userPrincipalName ?? t.id,
      targetObjectId: t.id,
      targetUserPrincipalName: t.userPrincipalName ?? undefined,
      reason,
      changes: [],
      unknown: [],
    };
  }
}

function phoneLookup(pair: Pair): (userId: string) => Known<PhoneMethod[] | null> {
  if (!pair.has("source.phoneMethods")) return () => unknown(`the phone methods were not collected (${pair.entry("source.phoneMethods").status})`);
  const byUser = new Map(pair.get("source.phoneMethods").map((p) => [p.userId.toLowerCase(), p.value]));
  return (id) => (byUser.has(id.toLowerCase()) ? known(byUser.get(id.toLowerCase()) ?? null) : unknown("the snapshot has no phone methods for this user"));
}

/** What a prediction needs of the pair whatever the schema: the configuration, the correlation, the target's values. */
interface Basis extends Configured {
  correlated: Correlation[];
  targetIdBySource: Map<string, string>;
  matchedTargetIds: Set<string>;
  taken: Set<string>;
  phones: (userId: string) => Known<PhoneMethod[] | null>;
}

function basisOf(pair: Pair): Basis {
  const configuredJob = configured(pair);
  const scope = scopeOf(pair, configuredJob.config);
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
  return { ...configuredJob, correlated, targetIdBySource, matchedTargetIds: new Set(targetIdBySource.values()), taken, phones: phoneLookup(pair) };
}

/** A prediction whose users are produced one at a time, so that nothing has to hold them all. */
export interface PredictionStream {
  servicePrincipalId: string;
  jobId: string;
  lastCycleSucceeded: boolean;
  /** Every in-scope user in correlation order, then the deprovisions; each call starts over. */
  users(): Generator<UserPrediction>;
  /** The prediction without its users, from the counts of all of them. */
  summary(counts: ActionCounts): PredictionSummary;
}

export type ActionCounts = Prediction["counts"];
export type PredictionSummary = Omit<Prediction, "users">;

export const emptyCounts = (): ActionCounts => Object.fromEntries(PREDICTED_ACTIONS.map((a) => [a, 0])) as ActionCounts;

function streamOf(pair: Pair, basis: Basis, now: Date, schema?: SynchronizationSchema): PredictionStream {
  const mapping = userMappingOf(pair, basis, schema);
  const ctx: PredictContext = {
    mapping,
    compiled: (mapping.attributeMappings ?? []).map(compileMapping),
    now: new DateValue(now.getTime()),
    lastCycleSucceeded: basis.lastCycleSucceeded,
    targetIdOf: (id) => basis.targetIdBySource.get(id),
    isTaken: (v) => basis.taken.has(v.toLowerCase()),
  };
  const logs = unknown("predict reads the phone methods, not the logs, for alternativeSecurityIds");
  function* users(): Generator<UserPrediction> {
    for (const c of basis.correlated) {
      const facts = { phoneMethods: basis.phones(c.source.id), logs, absentAttribute: "not-collected" } as const;
      yield predictUser({ user: c.source, target: c.target, deleted: c.deleted, matchedBy: c.matchedBy, facts }, ctx);
    }
    yield* deprovisions(pair, basis.matchedTargetIds, mapping);
  }
  const head = { servicePrincipalId: basis.config.servicePrincipal.id, jobId: basis.job.id, lastCycleSucceeded: basis.lastCycleSucceeded };
  return { ...head, users, summary: (counts) => ({ ...head, counts, ...deleteThreshold(basis.config, counts), limits: PREDICT_LIMITS }) };
}

const defaultNow = (pair: Pair): Date => new Date(pair.manifest.createdAt);

/**
 * Predict the next cycle for the configuration in use, streamed. `now` is what Now() returns (default: the snapshot's
 * date); `schema` replaces the job's schema (the what-if of an edited copy). A snapshot that cannot support a
 * prediction throws here, before any user is produced.
 */
export function predictStream(pair: Pair, now: Date = defaultNow(pair), schema?: SynchronizationSchema): PredictionStream {
  return streamOf(pair, basisOf(pair), now, schema);
}

/** The current and the edited schema's predictions over one correlation: their users come in the same order. */
export function predictWhatIf(
  pair: Pair,
  schema: SynchronizationSchema,
  now: Date = defaultNow(pair),
): { current: PredictionStream; edited: PredictionStream } {
  const basis = basisOf(pair);
  return { current: streamOf(pair, basis, now), edited: streamOf(pair, basis, now, schema) };
}

/** The whole prediction in memory: for small pairs and tests (predict.json's key order). */
export function predictPair(pair: Pair, now?: Date, schema?: SynchronizationSchema): Prediction {
  const stream = predictStream(pair, now, schema);
  const users = [...stream.users()];
  const counts = emptyCounts();
  for (const u of users) counts[u.action]++;
  return withUsers(stream.summary(counts), users);
}

/** A summary with its users, keys in predict.json's order (the users before the limits). */
export function withUsers<T extends PredictionSummary>(summary: T, users: UserPrediction[]): Omit<T, "limits"> & { users: UserPrediction[]; limits: string[] } {
  const { limits, ...head } = summary;
  return { ...head, users, limits };
}

// Invalid settings hold no threshold the prediction could compare with (accidental-deletion-prevention-off says so).
function deleteThreshold(config: SyncConfiguration, counts: ActionCounts): Pick<Prediction, "deleteThreshold"> {
  const n = notificationSettings(config);
  if (!n?.DeleteThresholdEnabled || typeof n.DeleteThresholdValue !== "number") return {};
  return { deleteThreshold: { value: n.DeleteThresholdValue, exceeded: counts.deprovision > n.DeleteThresholdValue } };
}
