// Minimal shape checks for facet files, so a hand-edited snapshot fails at load with one line instead of inside a rule.
import { z } from "zod";
import type { FacetId } from "./facets.js";

// Checked: containers, ids, key/value strings, and the string fields the model, rules and reports read (a number where
// a name belongs would crash a renderer). Every other field stays Graph's business, and a rule that meets an odd value
// there still ends inconclusive, never pass.
const entity = z.object({}).loose();
const keyValue = z.object({ key: z.string(), value: z.string() }).loose();
const map = <T extends z.ZodType>(value: T) => z.record(z.string(), value);

/** Where a string field holds something else: the path to it and what was expected there. */
interface BadField {
  path: (string | number)[];
  expected: string;
}

/** Walk a path (`[]` steps into every array element); null or absent is allowed anywhere along it. No allocation unless bad. */
function badField(value: unknown, steps: readonly string[], i = 0): BadField | undefined {
  if (value === undefined || value === null) return undefined;
  if (i === steps.length) return typeof value === "string" ? undefined : { path: [], expected: "expected string" };
  const step = steps[i] as string;
  if (step === "[]") {
    if (!Array.isArray(value)) return { path: [], expected: "expected array" };
    for (let k = 0; k < value.length; k++) {
      const bad = badField(value[k], steps, i + 1);
      if (bad) {
        bad.path.unshift(k);
        return bad;
      }
    }
    return undefined;
  }
  if (typeof value !== "object" || Array.isArray(value)) return { path: [], expected: "expected object" };
  const bad = badField((value as Record<string, unknown>)[step], steps, i + 1);
  if (bad) bad.path.unshift(step);
  return bad;
}

/** Paths split once: the log reader checks every entry of a large log. */
const splitCache = new Map<readonly string[], string[][]>();

function firstBadField(value: unknown, paths: readonly string[]): BadField | undefined {
  let split = splitCache.get(paths);
  if (!split) splitCache.set(paths, (split = paths.map((p) => p.split("."))));
  for (const steps of split) {
    const bad = badField(value, steps);
    if (bad) return bad;
  }
  return undefined;
}

/** `schema` whose string fields at `paths` (dotted, `[]` for array elements) must be strings, null or absent. */
function withStrings<T extends z.ZodType>(schema: T, paths: readonly string[]) {
  return schema.superRefine((value, ctx) => {
    const bad = firstBadField(value, paths);
    if (bad) ctx.addIssue({ code: "custom", message: bad.expected, path: bad.path });
  });
}

const USER_STRINGS = [
  "displayName",
  "userPrincipalName",
  "mail",
  "otherMails.[]",
  "userType",
  "creationType",
  "externalUserState",
  "externalUserStateChangeDateTime",
  "createdDateTime",
  "deletedDateTime",
  "identities.[].signInType",
  "identities.[].issuer",
  "identities.[].issuerAssignedId",
];
const IDENTITY = (p: string) => [`${p}.id`, `${p}.displayName`, `${p}.identityType`];
/** The log entry's string fields; also checked inline by the streaming reader (model/pair.ts). */
export const LOG_ENTRY_STRINGS = [
  "jobId",
  "cycleId",
  "changeId",
  "provisioningAction",
  "servicePrincipal.id",
  "servicePrincipal.displayName",
  ...IDENTITY("sourceIdentity"),
  ...IDENTITY("targetIdentity"),
  "provisioningStatusInfo.status",
  ...["errorCode", "reason", "additionalDetails", "errorCategory", "recommendedAction"].map((f) => `provisioningStatusInfo.errorInformation.${f}`),
  "provisioningSteps.[].name",
  "provisioningSteps.[].provisioningStepType",
  "provisioningSteps.[].status",
  "provisioningSteps.[].description",
];
const SYNC_ERROR = (p: string) => [`${p}.code`, `${p}.message`];
const JOB_STRINGS = [
  "templateId",
  "schedule.expiration",
  "schedule.interval",
  "schedule.state",
  "status.code",
  "status.lastExecution.state",
  ...SYNC_ERROR("status.lastExecution.error"),
  "status.lastExecution.timeBegan",
  "status.lastExecution.timeEnded",
  "status.lastSuccessfulExecution.timeEnded",
  "status.quarantine.currentBegan",
  "status.quarantine.nextAttempt",
  "status.quarantine.reason",
  "status.quarantine.seriesBegan",
  ...SYNC_ERROR("status.quarantine.error"),
  "status.troubleshootingUrl",
];
const MAPPING = "synchronizationRules.[].objectMappings.[]";
const CLAUSES = ["groups", "inputFilterGroups", "categoryFilterGroups"].flatMap((g) =>
  ["name", "clauses.[].operatorName", "clauses.[].sourceOperandName", "clauses.[].targetOperand.values.[]"].map((f) => `${MAPPING}.scope.${g}.[].${f}`),
);
const SCHEMA_STRINGS = [
  "synchronizationRules.[].name",
  ...["name", "flowTypes", "sourceObjectName", "targetObjectName"].map((f) => `${MAPPING}.${f}`),
  ...CLAUSES,
  ...["targetAttributeName", "flowType", "defaultValue", "source.expression", "source.name", "source.type"].map((f) => `${MAPPING}.attributeMappings.[].${f}`),
];

const withId = z.object({ id: z.string() }).loose();
const organization = withStrings(withId, ["displayName", "verifiedDomains.[].name"]);
const user = withStrings(withId, USER_STRINGS);
const member = withStrings(withId, ["@odata.type", ...USER_STRINGS]);
const servicePrincipal = withStrings(withId, ["appId", "displayName", "applicationTemplateId"]);
const assignment = withStrings(z.object({ id: z.string(), principalId: z.string() }).loose(), [
  "appRoleId",
  "principalType",
  "principalDisplayName",
  "resourceId",
]);
const sku = withStrings(entity, [
  "skuId",
  "skuPartNumber",
  "capabilityStatus",
  "servicePlans.[].servicePlanId",
  "servicePlans.[].servicePlanName",
  "servicePlans.[].provisioningStatus",
  "servicePlans.[].appliesTo",
]);
const partner = withStrings(entity, ["tenantId", "identitySynchronization.tenantId", "identitySynchronization.displayName"]);
const identitySync = withStrings(entity, ["tenantId", "displayName", "externalCloudAuthorizedApplicationId"]);
const logEntry = withStrings(z.object({ id: z.string(), activityDateTime: z.string() }).loose(), LOG_ENTRY_STRINGS);
const phoneMethods = z.object({ userId: z.string(), value: z.array(withStrings(entity, ["id", "phoneNumber", "phoneType", "smsSignInState"])) }).loose();
const connectionTest = withStrings(z.object({ ok: z.boolean(), status: z.number() }).loose(), [
  "testedAt",
  "servicePrincipalId",
  "jobId",
  "error.code",
  "error.message",
  "error.requestId",
]);

/** Schema of a whole JSON facet file, or of one NDJSON line. */
export const FACET_SHAPES: Record<FacetId, z.ZodType> = {
  "source.organization": z.array(organization),
  "source.crossTenantAccessPolicy": entity,
  "source.crossTenantAccessDefault": entity,
  "source.partner": partner.nullable(),
  "source.authorizationPolicy": withStrings(entity, ["allowInvitesFrom"]),
  "source.subscribedSkus": z.array(sku),
  "source.syncServicePrincipals": z.array(servicePrincipal),
  "source.syncSecrets": map(z.array(keyValue)),
  "source.syncJobs": map(z.array(withStrings(withId, JOB_STRINGS))),
  "source.syncSchemas": map(map(withStrings(entity, SCHEMA_STRINGS))),
  "source.syncAssignments": map(z.array(assignment)),
  "source.groupMembers": map(z.array(member)),
  "source.users": user,
  "source.phoneMethods": phoneMethods,
  "source.provisioningLogs": logEntry,
  "source.provisioningOutcomes": z.array(logEntry),
  "source.connectionTest": connectionTest.nullable(),
  "target.organization": z.array(organization),
  "target.crossTenantAccessPolicy": entity,
  "target.crossTenantAccessDefault": entity,
  "target.partner": partner.nullable(),
  "target.authorizationPolicy": withStrings(entity, ["allowInvitesFrom"]),
  "target.subscribedSkus": z.array(sku),
  "target.identitySynchronization": identitySync.nullable(),
  "target.externalIdentitiesPolicy": entity,
  "target.users": user,
  "target.deletedUsers": z.array(user),
};

function kind(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}

/** The streaming log reader's check beyond id and activityDateTime (no zod per line: it adds seconds at 1M entries). */
export function logEntryStringProblem(value: unknown): string | undefined {
  const bad = firstBadField(value, LOG_ENTRY_STRINGS);
  if (!bad) return undefined;
  let found: unknown = value;
  for (const key of bad.path) found = (found as Record<PropertyKey, unknown>)[key];
  return `at ${bad.path.map(String).join(".")}: ${bad.expected}, got ${kind(found)}`;
}

/** Undefined when `value` fits the facet's shape; otherwise "at users.0.id: expected string, got a number". */
export function shapeProblem(id: FacetId, value: unknown): string | undefined {
  const result = FACET_SHAPES[id].safeParse(value);
  if (result.success) return undefined;
  const issue = result.error.issues[0];
  if (!issue) return "does not have the expected shape";
  let found: unknown = value;
  for (const key of issue.path) found = found !== null && typeof found === "object" ? (found as Record<PropertyKey, unknown>)[key] : undefined;
  const where = issue.path.length ? `at ${issue.path.map(String).join(".")}` : "at the top level";
  const expected = issue.code === "invalid_type" ? `expected ${issue.expected}` : issue.message;
  return `${where}: ${expected}, got ${found === undefined ? "nothing" : kind(found)}`;
}
