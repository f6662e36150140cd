// The users' $select adds the Graph properties the user mapping reads (source) and writes (target), with a 400 fallback.
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { mappedSourceProperties, mappedTargetProperties } from "../../src/collect/mapped-select.js";
import { parseFault, type FaultRule, type JournalEntry } from "../../src/emulator/index.js";
import { FACETS } from "../../src/snapshot/facets.js";
import type { SynchronizationSchema } from "../../src/snapshot/graph-types.js";
import { readFacet, readManifest } from "../../src/snapshot/store.js";
import { withEmulatorPair } from "../helpers/emulator-pair.js";
import { scenarioDir } from "../helpers/pair.js";

const attr = (target: string, name: string) => ({ targetAttributeName: target, source: { type: "Attribute", name, expression: `[${name}]` } });
const fn = (target: string, expression: string) => ({ targetAttributeName: target, source: { type: "Function", name: "x", expression } });

const schema = (attributeMappings: object[]): SynchronizationSchema => ({
  synchronizationRules: [{ objectMappings: [{ sourceObjectName: "User", attributeMappings }] }],
});

describe("mapped attributes' Graph properties", () => {
  const s = schema([
    attr("givenName", "givenName"),
    attr("IsSoftDeleted", "IsSoftDeleted"),
    attr("manager", "manager"),
    attr("mail", "mail"),
    fn("displayName", 'Join(" ", [givenName], [Surname], [netId])'),
    fn("jobTitle", 'IIF([department]="", "none", [jobTitle])'),
    fn("extensionAttribute2", "Not(valid"),
    { targetAttributeName: "userType", source: { type: "Constant", name: "Member", expression: '"Member"' } },
  ]);

  it("source: attributes and expression references, once, without internal ones, manager or what USER_SELECT/known has", () => {
    expect(mappedSourceProperties(s)).toEqual(["givenName", "Surname", "department", "jobTitle"]);
    expect(mappedSourceProperties(s, ["department"])).toEqual(["givenName", "Surname", "jobTitle"]);
    expect(mappedSourceProperties(undefined)).toEqual([]);
  });

  it("target: the mapped target attribute names, by the same rules", () => {
    expect(mappedTargetProperties(s)).toEqual(["givenName", "jobTitle", "onPremisesExtensionAttributes"]);
  });
});

async function collectScenario(scenario: string, faults: FaultRule[] = []) {
  const dir = await mkdtemp(path.join(tmpdir(), "mapped-"));
  let target = "";
  const journal = await withEmulatorPair(scenarioDir(scenario), { faults, pageSize: { directory: 2, provisioning: 2 } }, async (pair) => {
    target = pair.manifest.target.tenantId;
    await pair.collect(dir, { config: pair.config({ collection: { allPhoneMethods: true } }), retry: { maxRetries: 1, baseDelayMs: 5 } });
    return pair.emulator.journal;
  });
  const selects = (side: "source" | "target", status = 200) =>
    journal
      .filter((j: JournalEntry) => (j.tenantId === target) === (side === "target") && j.status === status)
      .filter((j) => /\/(users(\/[^/?]+)?|groups\/[^/]+\/members)\?/.test(j.path))
      .map((j) => new URL(j.path, "http://x").searchParams.get("$select")?.split(",") ?? []);
  return { dir, journal, selects };
}

describe("collection asks for the mapped attributes (healthy)", () => {
  it("both sides' users are read with givenName, surname and jobTitle; never manager", async () => {
    const { dir, selects } = await collectScenario("healthy");
    const manifest = await readManifest(dir);
    expect(FACETS.every((f) => manifest.facets[f.id]?.status === "ok")).toBe(true);
    for (const side of ["source", "target"] as const) {
      expect(selects(side).length, side).toBeGreaterThan(0);
      for (const s of selects(side)) expect(s, side).toEqual(expect.arrayContaining(["id", "givenName", "surname", "jobTitle", "department"]));
      expect(
        selects(side).some((s) => s.includes("manager")),
        side,
      ).toBe(false);
    }
    expect(await readFacet(dir, "target.users")).toEqual(await readFacet(scenarioDir("healthy"), "target.users"));
  });

  it("a 400 on the extended $select falls back to the base list on both sides", async () => {
    const { dir, journal, selects } = await collectScenario("healthy", [
      parseFault("GET jobTitle 400 times=inf"),
      parseFault("GET jobTitle 400 batch times=inf"),
    ]);
    const manifest = await readManifest(dir);
    expect(FACETS.every((f) => manifest.facets[f.id]?.status === "ok")).toBe(true);
    for (const side of ["source", "target"] as const) {
      expect(selects(side, 400).length, side).toBeGreaterThan(0);
      expect(selects(side).length, side).toBeGreaterThan(0);
      expect(
        selects(side).every((s) => !s.includes("jobTitle") && s.includes("id")),
        side,
      ).toBe(true);
    }
    expect(await readFacet(dir, "target.users")).toEqual(await readFacet(scenarioDir("healthy"), "target.users"));
    expect(journal.some((j) => j.status === 400)).toBe(true);
  });
});
