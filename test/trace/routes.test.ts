// The emulator routes trace-user reads, through the real Graph client: assignments, memberOf, directory audits.
import { afterEach, describe, expect, it } from "vitest";
import { fakeToken, startEmulator, type Emulator } from "../../src/emulator/index.js";
import { StaticTokenCredential } from "../../src/graph/auth.js";
import { GraphApi } from "../../src/graph/client.js";
import { auditInitiator } from "../../src/trace/audits.js";
import type { DirectoryAudit } from "../../src/trace/types.js";
import { scenarioDir } from "../helpers/pair.js";

const S = "1fd6544e-e994-4de2-9f1b-787b51c7d325";
const T = "4a12efe6-aa14-4d03-8dff-88fc89e2e2ad";
const SP = "c8c95753-f628-48e1-9fab-76c2d4cf624c";
const ASSIGNED = "6f5cc75e-b2ae-4ed2-992d-e56d4e3ef5f3";
const NESTED = "b3e7a1c4-58d2-4f6e-9a0b-7c1d2e3f4a5b";

let emulator: Emulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

async function apis() {
  emulator = await startEmulator({ snapshotDir: scenarioDir("trace-cases") });
  const api = (tid: string) =>
    new GraphApi({ baseUrl: emulator!.url, credential: new StaticTokenCredential(fakeToken(tid)), scope: "https://graph.microsoft.com/.default" });
  return { source: api(S), target: api(T) };
}

describe("emulator routes for trace-user", () => {
  it("a user's appRoleAssignments include those of the groups the user is a direct member of", async () => {
    const { source } = await apis();
    const direct = await source.list<{ principalType: string }>(`/users/meganb@contoso.com/appRoleAssignments?$filter=resourceId eq ${SP}`);
    expect(direct.map((a) => a.principalType)).toEqual(["User"]);
    const viaGroup = await source.list<{ principalId: string }>("/users/diegos@contoso.com/appRoleAssignments");
    expect(viaGroup.map((a) => a.principalId)).toEqual([ASSIGNED]);
    expect(await source.list("/users/irvins@contoso.com/appRoleAssignments")).toEqual([]);
  });

  it("memberOf walks up from a user to its groups and from a group to its parents", async () => {
    const { source } = await apis();
    const mine = await source.list<{ id: string; displayName: string }>("/users/irvins@contoso.com/memberOf/microsoft.graph.group?$select=id,displayName");
    expect(mine).toEqual([{ "@odata.type": "#microsoft.graph.group", id: NESTED, displayName: "SG-Finance-EMEA" }]);
    const parents = await source.list<{ id: string; displayName: string }>(`/groups/${NESTED}/memberOf`);
    expect(parents.map((g) => [g.id, g.displayName])).toEqual([[ASSIGNED, "SG-CTS-Fabrikam"]]);
  });

  it("directoryAudits in the target are the sync service's writes, filterable by target object", async () => {
    const { source, target } = await apis();
    const filter = encodeURIComponent(
      "targetResources/any(t:t/id eq 'd220f7d8-d20d-4848-ba51-05d3fd2ea92b') and initiatedBy/app/displayName eq 'Microsoft.Azure.SyncFabric'",
    );
    const audits = await target.list<{ activityDisplayName: string; activityDateTime: string }>(`/auditLogs/directoryAudits?$filter=${filter}`);
    expect(audits.map((a) => [a.activityDisplayName, a.activityDateTime])).toEqual([["Add user", "2025-02-28T14:20:44Z"]]);
    expect(await source.list("/auditLogs/directoryAudits")).toEqual([]);
  });

  it("filtered on the target object only, directoryAudits also hold an admin's hand invitation (initiatedBy.user)", async () => {
    emulator = await startEmulator({ snapshotDir: scenarioDir("contoso-fabrikam") });
    const target = new GraphApi({ baseUrl: emulator.url, credential: new StaticTokenCredential(fakeToken(T)), scope: "https://graph.microsoft.com/.default" });
    const alex = "9f1e2d3c-4b5a-4697-8a1b-2c3d4e5f6a7b";
    const audits = await target.list<DirectoryAudit>(`/auditLogs/directoryAudits?$filter=${encodeURIComponent(`targetResources/any(t:t/id eq '${alex}')`)}`);
    expect(audits.map((a) => [a.activityDisplayName, auditInitiator(a)])).toEqual([["Invite external user", "user"]]);
    const synced = await target.list<DirectoryAudit>("/auditLogs/directoryAudits");
    expect(new Set(synced.map(auditInitiator))).toEqual(new Set(["provisioning-service", "user"]));
  });
});

describe("auditInitiator", () => {
  const audit = (initiatedBy: DirectoryAudit["initiatedBy"]): DirectoryAudit => ({ id: "a", activityDateTime: "2025-03-01T00:00:00Z", initiatedBy });
  it.for([
    [{ app: { appId: "00000014-0000-0000-c000-000000000000", displayName: null }, user: null }, "provisioning-service"],
    [{ app: { displayName: "microsoft.azure.syncfabric" }, user: null }, "provisioning-service"],
    [{ app: null, user: { id: "u1", userPrincipalName: "admin@fabrikam.onmicrosoft.com" } }, "user"],
    [{ app: { appId: "11111111-2222-3333-4444-555555555555", displayName: "Some tool" }, user: null }, "other-app"],
    [{}, "unknown"],
  ] as const)("%j → %s", ([initiatedBy, want]) => {
    expect(auditInitiator(audit(initiatedBy))).toBe(want);
  });
});
