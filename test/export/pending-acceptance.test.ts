// export pending-acceptance: exactly the target's pending guests, with the right scope and UPN-stale flags, CSV guarded.
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { parse } from "csv-parse/sync";
import { afterEach, describe, expect, it } from "vitest";
import { runExport } from "../../src/cli/export.js";
import { main } from "../../src/cli/main.js";
import { fakeToken, startEmulator } from "../../src/emulator/index.js";
import { StaticTokenCredential } from "../../src/graph/auth.js";
import { pendingAcceptanceRows, type PendingRow } from "../../src/export/pending-acceptance.js";
import type { User } from "../../src/snapshot/graph-types.js";
import { baseData, GROUP_ID, SP_ID, writeSnapshot } from "../emulator/helpers.js";
import { loadScenario } from "../../src/cli/scenarios.js";

const quiet = { quiet: true, debug: false };
const src = baseData()["source.users"];
const id = (i: number) => src[i]!.id;

function guest(n: string, fields: Partial<User>): User {
  return {
    id: `aaaaaaaa-0000-4000-8000-00000000000${n}`,
    displayName: `Guest ${n}`,
    userType: "Guest",
    creationType: "Invitation",
    externalUserState: "PendingAcceptance",
    externalUserStateChangeDateTime: "2025-03-01T00:00:00Z",
    ...fields,
  };
}

const targetUsers: User[] = [
  // user1 via the assigned group; its source UPN differs from its mail, and the guest's UPN encodes the mail → stale.
  guest("1", { mail: "user1@contoso.com", userPrincipalName: "user1_contoso.com#EXT#@fabrikam.onmicrosoft.com" }),
  // user0 is in the group but has SMS sign-in ready → dropped by "Filter external users".
  guest("2", { mail: "user0@contoso.com", userPrincipalName: "user0_contoso.com#EXT#@fabrikam.onmicrosoft.com" }),
  // user3 is assigned directly; UPN = mail → not stale.
  guest("3", { mail: "user3@contoso.com", userPrincipalName: "user3_contoso.com#EXT#@fabrikam.onmicrosoft.com" }),
  // user2 is neither assigned nor in the group.
  guest("4", { mail: "user2@contoso.com", userPrincipalName: "user2_contoso.com#EXT#@fabrikam.onmicrosoft.com" }),
  // Nobody in the source; its display name would be a formula in a spreadsheet.
  guest("5", {
    displayName: '=HYPERLINK("http://x")',
    mail: "ann@northwind.com",
    userPrincipalName: "ann_northwind.com#EXT#@fabrikam.onmicrosoft.com",
    externalUserStateChangeDateTime: null,
    createdDateTime: "2025-02-06T12:00:00Z",
  }),
  // Not pending guests: accepted, and a pending member.
  guest("6", { mail: "user4@contoso.com", externalUserState: "Accepted" }),
  guest("7", { mail: "user5@contoso.com", userType: "Member" }),
];

async function snapshot(): Promise<string> {
  return writeSnapshot({
    data: {
      "source.users": src.map((u, i) => (i === 1 ? { ...u, userPrincipalName: "u1@contoso.com" } : u)),
      "source.syncAssignments": {
        [SP_ID]: [
          { id: "assign-1", principalId: GROUP_ID, principalType: "Group", principalDisplayName: "SG-CTS-Fabrikam", resourceId: SP_ID },
          { id: "assign-2", principalId: id(3), principalType: "User", resourceId: SP_ID },
        ],
      },
      "target.users": targetUsers,
    },
  });
}

const out = async (name: string) => path.join(await mkdtemp(path.join(tmpdir(), "cts-export-")), name);

afterEach(() => {
  process.exitCode = undefined;
});

describe("export pending-acceptance", () => {
  it("lists exactly the pending guests with their source user, scope and UPN-stale flags", async () => {
    const file = await out("pending.json");
    expect(await main(["export", "pending-acceptance", await snapshot(), "--out", file, "--format", "json", "--quiet"])).toBe(0);
    const rows = JSON.parse(await readFile(file, "utf8")) as PendingRow[];
    const by = new Map(rows.map((r) => [r.targetObjectId, r]));
    expect([...by.keys()].sort()).toEqual(
      targetUsers
        .slice(0, 5)
        .map((u) => u.id)
        .sort(),
    );
    expect(by.get(targetUsers[0]!.id)).toMatchObject({
      sourceObjectId: id(1),
      sourceUserPrincipalName: "u1@contoso.com",
      inScope: "yes",
      scopeReason: "group:SG-CTS-Fabrikam",
      upnStale: true,
      invitedDateTime: "2025-03-01T00:00:00Z",
      daysPending: 7,
    });
    expect(by.get(targetUsers[1]!.id)).toMatchObject({
      sourceObjectId: id(0),
      inScope: "no",
      scopeReason: expect.stringContaining("SMS sign-in"),
      upnStale: false,
    });
    expect(by.get(targetUsers[2]!.id)).toMatchObject({ sourceObjectId: id(3), inScope: "yes", scopeReason: "assigned", upnStale: false });
    expect(by.get(targetUsers[3]!.id)).toMatchObject({ sourceObjectId: id(2), inScope: "no", scopeReason: "not-in-scope" });
    expect(by.get(targetUsers[4]!.id)).toMatchObject({ sourceObjectId: "", inScope: "no", scopeReason: "no-source-match", upnStale: false, daysPending: 29 });
  });

  it("writes a guarded CSV with one fixed column list", async () => {
    const file = await out("pending.csv");
    await runExport({ ...quiet, what: "pending-acceptance", snapshot: await snapshot(), out: file, format: "csv", excel: false });
    const records = parse<Record<string, string>>(await readFile(file, "utf8"), { columns: true });
    expect(Object.keys(records[0]!)).toEqual([
      "displayName",
      "targetUserPrincipalName",
      "mail",
      "targetObjectId",
      "sourceObjectId",
      "sourceUserPrincipalName",
      "inScope",
      "scopeReason",
      "upnStale",
      "invitedDateTime",
      "daysPending",
    ]);
    expect(records).toHaveLength(5);
    const formula = records.find((r) => r["mail"] === "ann@northwind.com")!;
    expect(formula["displayName"]).toBe('\'=HYPERLINK("http://x")');
  });

  it("collects with --config through the emulator: on contoso-fabrikam only Alex Wilber, in scope and stale", async () => {
    const { dir } = await loadScenario("contoso-fabrikam");
    const emu = await startEmulator({ snapshotDir: dir });
    try {
      const folder = path.dirname(await out("x"));
      const config = path.join(folder, "pair.json");
      const tenant = (tenantId: string) => ({ tenantId, graphEndpoint: emu.url, auth: { method: "access-token", tokenEnv: "CTS_EXPORT_TEST_TOKEN" } });
      const s = "1fd6544e-e994-4de2-9f1b-787b51c7d325";
      const t = "4a12efe6-aa14-4d03-8dff-88fc89e2e2ad";
      await writeFile(config, JSON.stringify({ source: tenant(s), target: tenant(t) }));
      const rows = await runExport(
        { ...quiet, what: "pending-acceptance", config, out: path.join(folder, "p.json"), format: "json", excel: false, connectionTest: false },
        { source: new StaticTokenCredential(fakeToken(s)), target: new StaticTokenCredential(fakeToken(t)) },
      );
      expect(rows.map((r) => r.displayName)).toEqual(["Alex Wilber"]);
      expect(rows[0]).toMatchObject({
        inScope: "yes",
        scopeReason: expect.stringMatching(/^group:/),
        upnStale: true,
        sourceUserPrincipalName: "alexw@contoso.com",
      });
    } finally {
      await emu.close();
    }
  });

  it("needs exactly one of --config and a snapshot", async () => {
    await expect(runExport({ ...quiet, what: "pending-acceptance", out: "x.csv", format: "csv", excel: false })).rejects.toThrow(
      /--config FILE or a SNAPSHOT_DIR/,
    );
  });
});

describe("export pending-acceptance: the configuration's own scoping clauses", () => {
  it("a pending guest whose source user fails a custom clause is filtered out, naming the clause", async () => {
    const { pairFrom } = await import("../helpers/pair.js");
    const base = await pairFrom("trace-cases");
    const guest = {
      id: "5b1d0c7e-2f3a-4c9b-8e6d-1a2b3c4d5e6f",
      displayName: "Isaiah Langer",
      userPrincipalName: "isaiahl_contoso.com#EXT#@fabrikam.onmicrosoft.com",
      mail: "isaiahl@contoso.com",
      userType: "Guest",
      creationType: "Invitation",
      externalUserState: "PendingAcceptance",
      externalUserStateChangeDateTime: "2025-02-01T00:00:00Z",
      createdDateTime: "2025-02-01T00:00:00Z",
    };
    const pair = await pairFrom("trace-cases", { facets: { "target.users": [...base.get("target.users"), guest] } });
    const row = pendingAcceptanceRows(pair).find((r) => r.targetObjectId === guest.id);
    expect(row).toMatchObject({ inScope: "no", scopeReason: "filtered-out: Filter external users.department EQUALS 'Sales'" });
  });
});
