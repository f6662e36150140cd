// Minimal shape checks for facet files, so a hand-edited snapshot fails at load with one line instead of inside a rule.
import { z } from "zod";
import type { FacetId } from "./facets.js";

// Only what the model and rules index by is checked (containers, ids, key/value strings); every other field stays
// Graph's business, and a rule that meets an odd value there still ends inconclusive, never pass.
const entity = z.object({}).passthrough();
const withId = z.object({ id: z.string() }).passthrough();
const keyValue = z.object({ key: z.string(), value: z.string() }).passthrough();
const map = <T extends z.ZodType>(value: T) => z.record(z.string(), value);

const organization = withId;
const user = withId;
const logEntry = z.object({ id: z.string(), activityDateTime: z.string() }).passthrough();
const phoneMethods = z.object({ userId: z.string(), value: z.array(entity) }).passthrough();

/** Schema of a whole JSON facet file, or of one NDJSON line. */
export const FACET_SHAPES: Record<FacetId, z.ZodType> = {
  "source.organization": z.array(organization),
  "source.crossTenantAccessPolicy": entity,
  "source.crossTenantAccessDefault": entity,
  "source.partner": entity.nullable(),
  "source.authorizationPolicy": entity,
  "source.subscribedSkus": z.array(entity),
  "source.syncServicePrincipals": z.array(withId),
  "source.syncSecrets": map(z.array(keyValue)),
  "source.syncJobs": map(z.array(withId)),
  "source.syncSchemas": map(map(entity)),
  "source.syncAssignments": map(z.array(z.object({ id: z.string(), principalId: z.string() }).passthrough())),
  "source.groupMembers": map(z.array(withId)),
  "source.users": user,
  "source.phoneMethods": phoneMethods,
  "source.provisioningLogs": logEntry,
  "source.connectionTest": z.object({ ok: z.boolean(), status: z.number() }).passthrough().nullable(),
  "target.organization": z.array(organization),
  "target.crossTenantAccessPolicy": entity,
  "target.crossTenantAccessDefault": entity,
  "target.partner": entity.nullable(),
  "target.authorizationPolicy": entity,
  "target.subscribedSkus": z.array(entity),
  "target.identitySynchronization": entity.nullable(),
  "target.externalIdentitiesPolicy": entity,
  "target.users": user,
  "target.deletedUsers": z.array(withId),
};

function kind(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}

/** Undefined when `value` fits the facet's shape; otherwise "at users.0.id: expected string, got a number". */
export function shapeProblem(id: FacetId, value: unknown): string | undefined {
  const result = FACET_SHAPES[id].safeParse(value);
  if (result.success) return undefined;
  const issue = result.error.issues[0];
  if (!issue) return "does not have the expected shape";
  let found: unknown = value;
  for (const key of issue.path) found = found !== null && typeof found === "object" ? (found as Record<PropertyKey, unknown>)[key as PropertyKey] : undefined;
  const where = issue.path.length ? `at ${issue.path.map(String).join(".")}` : "at the top level";
  const expected = issue.code === "invalid_type" ? `expected ${issue.expected}` : issue.message;
  return `${where}: ${expected}, got ${found === undefined ? "nothing" : kind(found)}`;
}
