// The users' $select adds the Graph properties the scoping clauses name (trace-cases: department), with a 400 fallback.
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { mappedSourceProperties } from "../../src/collect/mapped-select.js";
import { MEMBER_SELECT, USER_SELECT } from "../../src/collect/select.js";
import { scopingProperties } from "../../src/collect/source.js";
import { parseFault, type FaultRule } from "../../src/emulator/index.js";
import { FACETS } from "../../src/snapshot/facets.js";
import type { SynchronizationSchema, User } from "../../src/snapshot/graph-types.js";
import { readFacet, readManifest } from "../../src/snapshot/store.js";
import { withEmulatorPair } from "../helpers/emulator-pair.js";
import { scenarioDir } from "../helpers/pair.js";

async function collectScenario(scenario: string, faults: FaultRule[] = []) {
  const dir = await mkdtemp(path.join(tmpdir(), "scoping-"));
  const journal = await withEmulatorPair(scenarioDir(scenario), { faults, pageSize: { directory: 2, provisioning: 2 } }, async (pair) => {
    // Compared with the fixture's every phone-method record, so every user's are read.
    await pair.collect(dir, { config: pair.config({ collection: { allPhoneMethods: true } }), retry: { maxRetries: 1, baseDelayMs: 5 } });
    return pair.emulator.journal;
  });
  return { dir, journal };
}

const schema = (clauses: string[]): SynchronizationSchema => ({
  synchronizationRules: [
    {
      objectMappings: [
        {
          sourceObjectName: "User",
          scope: { groups: [{ clauses: clauses.map((sourceOperandName) => ({ sourceOperandName, operatorName: "IsNotNull", targetOperand: {} })) }] },
        },
      ],
    },
  ],
});

describe("users' $select follows the scoping clauses", () => {
  it("names each clause's Graph property once, skipping internal attributes and what USER_SELECT has", () => {
    expect(
      scopingProperties(
        schema(["department", "alternativeSecurityIds", "netId", "IsSoftDeleted", "Department", "userType", "extensionAttribute3", "objectId"]),
      ),
    ).toEqual(["department", "onPremisesExtensionAttributes"]);
    expect(scopingProperties(undefined)).toEqual([]);
  });

  it("trace-cases (department EQUALS 'Sales'): the collected users carry department, as the fixture's users file does", async () => {
    const { dir, journal } = await collectScenario("trace-cases");
    const manifest = await readManifest(dir);
    expect(FACETS.every((f) => manifest.facets[f.id]?.status === "ok")).toBe(true);
    const users = await readFacet(dir, "source.users");
    const fixture = new Map((await readFacet(scenarioDir("trace-cases"), "source.users")).map((u) => [u.id, u]));
    expect(users.length).toBeGreaterThan(5);
    expect(users.every((u: User) => typeof u["department"] === "string")).toBe(true);
    // The fixture also holds a nested group's member (trace-user's case), which the collector does not read.
    for (const u of users) expect(u, u.id).toEqual(fixture.get(u.id));
    for (const id of ["source.syncAssignments", "source.phoneMethods", "target.users"] as const) {
      expect(await readFacet(dir, id), id).toEqual(await readFacet(scenarioDir("trace-cases"), id));
    }
    const selects = journal
      .filter((j) => /\/(users\/[^/?]+|groups\/[^/]+\/members)\?/.test(j.path))
      .map((j) => new URL(j.path, "http://x").searchParams.get("$select"));
    expect(selects.length).toBeGreaterThan(0);
    expect(selects.every((s) => s?.split(",").includes("department"))).toBe(true);
  });

  it("falls back to the base $select when Graph rejects the extended one (400)", async () => {
    const { dir, journal } = await collectScenario("trace-cases", [
      parseFault("GET department 400 times=inf"),
      parseFault("GET department 400 batch times=inf"),
    ]);
    const manifest = await readManifest(dir);
    expect(FACETS.every((f) => manifest.facets[f.id]?.status === "ok")).toBe(true);
    const users = await readFacet(dir, "source.users");
    expect(users).toHaveLength(14);
    expect(users.some((u: User) => "department" in u)).toBe(false);
    expect(journal.some((j) => j.status === 400 && j.path.includes("department"))).toBe(true);
  });

  it.each(["contoso-fabrikam", "healthy", "paused-sync-all"])(
    "%s (no extra scoping attribute): the users' $select adds only the mapped attributes",
    async (scenario) => {
      const { dir, journal } = await collectScenario(scenario);
      expect((await readFacet(dir, "source.users")).length).toBe((await readFacet(scenarioDir(scenario), "source.users")).length);
      const schemas = Object.values(await readFacet(scenarioDir(scenario), "source.syncSchemas")).flatMap((byJob) => Object.values(byJob));
      expect(schemas.flatMap((s) => scopingProperties(s))).toEqual([]);
      // The scoping clauses add nothing; the mapping's source attributes (mappedSourceProperties) are all the extra.
      const allowed = new Set([...USER_SELECT, ...MEMBER_SELECT, ...schemas.flatMap((s) => mappedSourceProperties(s))]);
      const selects = journal
        .filter((j) => /\/(users\/[^/?]+|groups\/[^/]+\/members)\?/.test(j.path))
        .flatMap((j) => new URL(j.path, "http://x").searchParams.get("$select")?.split(",") ?? []);
      expect(selects.length).toBeGreaterThan(0);
      expect(selects.filter((p) => !allowed.has(p))).toEqual([]);
    },
  );
});
