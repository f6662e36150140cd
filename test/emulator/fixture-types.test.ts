// Every property the scenario fixtures hold exists in Microsoft's Graph typings for the version the emulator serves.
import { readdirSync, readFileSync, existsSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { FACETS, type FacetId } from "../../src/snapshot/facets.js";
import { GraphTypings, type GraphVersion } from "../helpers/graph-dts.js";

const SCENARIOS = path.resolve("fixtures/scenarios");

/** How a facet file nests Graph objects: one entity, a list, lists keyed by id, entities keyed twice. */
type Layout = "entity" | "list" | "byId" | "byIdById";

interface FacetTyping {
  version: GraphVersion;
  /** Microsoft's interface name; "member" picks User or Group by `@odata.type`. */
  type: string;
  layout: Layout;
}

const COMMON: Record<string, FacetTyping> = {
  organization: { version: "v1.0", type: "Organization", layout: "list" },
  crossTenantAccessPolicy: { version: "v1.0", type: "CrossTenantAccessPolicy", layout: "entity" },
  crossTenantAccessDefault: { version: "v1.0", type: "CrossTenantAccessPolicyConfigurationDefault", layout: "entity" },
  partner: { version: "v1.0", type: "CrossTenantAccessPolicyConfigurationPartner", layout: "entity" },
  authorizationPolicy: { version: "v1.0", type: "AuthorizationPolicy", layout: "entity" },
  subscribedSkus: { version: "v1.0", type: "SubscribedSku", layout: "list" },
};

/** The Graph type of each facet's objects, for the version the collector reads and the emulator serves. */
const TYPINGS: Partial<Record<FacetId, FacetTyping>> = {
  ...Object.fromEntries(
    Object.entries(COMMON).flatMap(([name, t]) => [
      [`source.${name}`, t],
      [`target.${name}`, t],
    ]),
  ),
  "source.syncServicePrincipals": { version: "v1.0", type: "ServicePrincipal", layout: "list" },
  "source.syncSecrets": { version: "v1.0", type: "SynchronizationSecretKeyStringValuePair", layout: "byId" },
  "source.syncJobs": { version: "v1.0", type: "SynchronizationJob", layout: "byId" },
  "source.syncSchemas": { version: "v1.0", type: "SynchronizationSchema", layout: "byIdById" },
  "source.syncAssignments": { version: "v1.0", type: "AppRoleAssignment", layout: "byId" },
  "source.groupMembers": { version: "v1.0", type: "member", layout: "byId" },
  "source.users": { version: "v1.0", type: "User", layout: "list" },
  "source.phoneMethods": { version: "v1.0", type: "PhoneAuthenticationMethod", layout: "list" },
  "source.provisioningLogs": { version: "v1.0", type: "ProvisioningObjectSummary", layout: "list" },
  "source.provisioningOutcomes": { version: "v1.0", type: "ProvisioningObjectSummary", layout: "list" },
  "target.identitySynchronization": { version: "beta", type: "CrossTenantIdentitySyncPolicyPartner", layout: "entity" },
  "target.externalIdentitiesPolicy": { version: "beta", type: "ExternalIdentitiesPolicy", layout: "entity" },
  "target.users": { version: "v1.0", type: "User", layout: "list" },
  "target.deletedUsers": { version: "v1.0", type: "User", layout: "list" },
};

/** Facets that are ours, not Graph's. */
const OURS: FacetId[] = ["source.connectionTest"];

/** Fixture properties Microsoft's typings lack, each with the reason it is right anyway. */
const EXCEPTIONS: { version: GraphVersion; type: string; property: string; reason: string }[] = [
  {
    version: "beta",
    type: "CrossTenantIdentitySyncPolicyPartner",
    property: "groupSyncInbound",
    reason: "published for beta (docs-contrib api-reference/beta/resources/crosstenantgroupsyncinbound.md), not yet in microsoft-graph-types-beta 0.44",
  },
  ...["crossCloudMeetingConfiguration", "protectedContentSharing"].map((property) => ({
    version: "v1.0" as const,
    type: "CrossTenantAccessPolicyConfigurationPartner",
    property,
    reason:
      "in v1.0 partner answers though not in the CSDL: entra-docs cross-tenant-synchronization-configure-graph.md, Step 2 and 5 (201 Created body; AdditionalProperties)",
  })),
];

const typings = { "v1.0": new GraphTypings("v1.0"), beta: new GraphTypings("beta") };

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);
const excepted = (version: GraphVersion, type: string, property: string) =>
  EXCEPTIONS.some((e) => e.version === version && e.type === type && e.property === property);

function typeOf(t: FacetTyping, item: Record<string, unknown>): string {
  if (t.type !== "member") return t.type;
  return item["@odata.type"] === "#microsoft.graph.group" ? "Group" : "User";
}

/** Problems as `where: Type.property`; descends into every property whose type is one of Microsoft's interfaces. */
function walk(version: GraphVersion, type: string, value: unknown, where: string, problems: string[]): void {
  if (Array.isArray(value)) {
    value.forEach((v, i) => {
      walk(version, type, v, `${where}[${i}]`, problems);
    });
    return;
  }
  if (!isObject(value)) return;
  for (const [key, child] of Object.entries(value)) {
    if (key.startsWith("@odata.")) continue;
    const prop = typings[version].property(type, key);
    if (!prop) {
      if (!excepted(version, type, key)) problems.push(`${where}: ${type}.${key}`);
      continue;
    }
    if (prop.kind === "object") walk(version, prop.name, child, `${where}.${key}`, problems);
  }
}

function readFacetFile(file: string, format: string): unknown[] {
  const text = readFileSync(file, "utf8");
  return format === "ndjson"
    ? text
        .split("\n")
        .filter((l) => l.trim())
        .map((l) => JSON.parse(l))
    : [JSON.parse(text)];
}

/** The Graph objects of one facet file's top-level values. */
function objectsOf(t: FacetTyping, id: FacetId, data: unknown): unknown[] {
  if (id === "source.phoneMethods") return isObject(data) && Array.isArray(data["value"]) ? data["value"] : [];
  if (t.layout === "entity" || t.layout === "list") return Array.isArray(data) ? data : [data];
  const byId = isObject(data) ? Object.values(data) : [];
  return t.layout === "byId" ? byId.flat() : byId.flatMap((v) => (isObject(v) ? Object.values(v) : []));
}

function problemsIn(scenario: string): string[] {
  const problems: string[] = [];
  for (const spec of FACETS) {
    const file = path.join(SCENARIOS, scenario, spec.file);
    const t = TYPINGS[spec.id];
    if (!t || !existsSync(file)) continue;
    for (const data of readFacetFile(file, spec.format)) {
      // Snapshot-only grouping of Graph's per-user lists: {userId, value: phoneAuthenticationMethod[]}.
      if (spec.id === "source.phoneMethods" && isObject(data))
        problems.push(
          ...Object.keys(data)
            .filter((k) => k !== "userId" && k !== "value")
            .map((k) => `${spec.file}: ${k}`),
        );
      for (const item of objectsOf(t, spec.id, data)) if (isObject(item)) walk(t.version, typeOf(t, item), item, spec.file, problems);
    }
  }
  return problems;
}

const scenarios = readdirSync(SCENARIOS, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name);

describe("scenario fixtures use Microsoft's Graph properties", () => {
  it("covers every Graph facet and reads both typings", () => {
    expect(FACETS.filter((f) => !TYPINGS[f.id] && !OURS.includes(f.id)).map((f) => f.id)).toEqual([]);
    for (const t of Object.values(TYPINGS)) if (t.type !== "member") expect(typings[t.version].has(t.type), t.type).toBe(true);
  });

  it("finds a misspelt property, descending into nested types and following extends", () => {
    const problems: string[] = [];
    walk("v1.0", "SynchronizationJob", { id: "j", status: { code: "Active", lastExecution: { stat: "Succeeded" } } }, "job", problems);
    walk("v1.0", "User", { id: "u", deletedDateTime: null, otherMail: [] }, "user", problems);
    expect(problems).toEqual(["job.status.lastExecution: SynchronizationTaskExecution.stat", "user: User.otherMail"]);
  });

  it.for(scenarios)("%s", (scenario) => {
    expect(problemsIn(scenario)).toEqual([]);
  });
});
