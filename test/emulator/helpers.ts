// Test helpers: a small two-tenant snapshot written with the real store, and fetch shortcuts against the emulator.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { FACETS, type FacetId } from "../../src/snapshot/facets.js";
import type { FacetData, Graph, ProvisioningLogEntry, User } from "../../src/snapshot/graph-types.js";
import type { FacetEntry, Manifest } from "../../src/snapshot/manifest.js";
import { writeFacet, writeManifest } from "../../src/snapshot/store.js";
import { fakeToken, startEmulator, type Emulator, type EmulatorOptions } from "../../src/emulator/index.js";

export const SOURCE = "11111111-1111-4111-8111-111111111111";
export const TARGET = "22222222-2222-4222-8222-222222222222";
export const SP_ID = "c8c95753-f628-48e1-9fab-76c2d4cf624c";
export const JOB_ID = `Azure2Azure.22222222222242228222222222222222.${TARGET}`;
export const GROUP_ID = "6f5cc75e-b2ae-4ed2-992d-e56d4e3ef5f3";
export const OBRIEN_UPN = "o'brien_contoso.com#EXT#@fabrikam.onmicrosoft.com";

const sourceUsers: User[] = Array.from({ length: 7 }, (_, i) => ({
  id: `0a9c2f6e-5d4b-4c3a-8b1e-2f7d6c5b4a3${i}`,
  displayName: `User ${i}`,
  userPrincipalName: `user${i}@contoso.com`,
  mail: `user${i}@contoso.com`,
  givenName: "User",
  surname: `${i}`,
  userType: i === 6 ? "Guest" : "Member",
  accountEnabled: i !== 5,
  creationType: null,
}));

const targetUsers: User[] = [
  {
    id: "9f1e2d3c-4b5a-4697-8a1b-2c3d4e5f6a7b",
    displayName: "Alex Wilber",
    userPrincipalName: "alex.wilber_contosomail.com#EXT#@fabrikam.onmicrosoft.com",
    mail: "alex.wilber@contosomail.com",
    otherMails: ["alex.wilber@contosomail.com"],
    userType: "Guest",
    creationType: "Invitation",
    externalUserState: "PendingAcceptance",
    identities: [{ signInType: "federated", issuer: "ExternalAzureAD", issuerAssignedId: null }],
  },
  {
    id: "9f1e2d3c-4b5a-4697-8a1b-2c3d4e5f6a7c",
    displayName: "Pat O'Brien",
    userPrincipalName: OBRIEN_UPN,
    mail: "pat@contoso.com",
    otherMails: [],
    userType: "Member",
    creationType: "Invitation",
    externalUserState: "Accepted",
    identities: [{ signInType: "userPrincipalName", issuer: "fabrikam.onmicrosoft.com", issuerAssignedId: OBRIEN_UPN }],
  },
];

const statuses: Graph.ProvisioningResult[] = ["success", "failure", "skipped", "success", "failure", "success", "warning"];
const logs: ProvisioningLogEntry[] = statuses.map((status, i) => ({
  id: `log-${i}`,
  activityDateTime: `2025-03-0${i + 1}T10:00:00Z`,
  jobId: JOB_ID,
  cycleId: `cycle-${i % 2}`,
  provisioningAction: i % 2 ? "create" : "update",
  servicePrincipal: { id: SP_ID, displayName: "Fabrikam" },
  sourceIdentity: { id: sourceUsers[i]?.id ?? null, displayName: `User ${i}`, identityType: "User" },
  provisioningStatusInfo: { status, errorInformation: status === "failure" ? { errorCode: "AzureActiveDirectoryForbidden" } : null },
}));

/** Facet data for a healthy pair; tests override pieces of it. */
export function baseData(): { [K in FacetId]: FacetData[K] } {
  return {
    "source.organization": [{ id: SOURCE, displayName: "Contoso" }],
    "source.crossTenantAccessPolicy": { id: "policy", allowedCloudEndpoints: [] },
    "source.crossTenantAccessDefault": { isServiceDefault: true, automaticUserConsentSettings: { inboundAllowed: false, outboundAllowed: false } },
    "source.partner": { tenantId: TARGET, automaticUserConsentSettings: { inboundAllowed: null, outboundAllowed: true }, isInMultiTenantOrganization: false },
    "source.authorizationPolicy": { id: "authorizationPolicy", allowInvitesFrom: "everyone" },
    "source.subscribedSkus": [{ skuId: "078d2b04-f1bd-4111-bbd4-b4b1b354cef4", skuPartNumber: "AAD_PREMIUM" }],
    "source.syncServicePrincipals": [
      { id: SP_ID, appId: "5d3c2b1a-7e6f-4a2b-9c8d-1e0f2a3b4c5d", displayName: "Fabrikam", applicationTemplateId: "518e5f48-1fc8-4c48-9387-9fdf28b0dfe7" },
    ],
    "source.syncSecrets": {
      [SP_ID]: [
        { key: "CompanyId", value: TARGET },
        { key: "SyncAll", value: "false" },
      ],
    },
    "source.syncJobs": { [SP_ID]: [{ id: JOB_ID, templateId: "Azure2Azure", schedule: { interval: "PT40M", state: "Active" } }] },
    "source.syncSchemas": { [SP_ID]: { [JOB_ID]: { id: JOB_ID, synchronizationRules: [] } } },
    "source.syncAssignments": { [SP_ID]: [{ id: "assign-1", principalId: GROUP_ID, principalType: "Group", resourceId: SP_ID }] },
    "source.groupMembers": {
      [GROUP_ID]: [
        { "@odata.type": "#microsoft.graph.user", id: sourceUsers[0]!.id, displayName: "User 0", userType: "Member" },
        { "@odata.type": "#microsoft.graph.user", id: sourceUsers[1]!.id, displayName: "User 1", userType: "Member" },
        { "@odata.type": "#microsoft.graph.group", id: "7f5cc75e-b2ae-4ed2-992d-e56d4e3ef5f3", displayName: "Nested" },
      ],
    },
    "source.users": sourceUsers,
    "source.phoneMethods": [
      {
        userId: sourceUsers[0]!.id,
        value: [{ id: "3179e48a-750b-4051-897c-87b9720928f7", phoneNumber: "+1 2065555555", phoneType: "mobile", smsSignInState: "ready" }],
      },
    ],
    "source.provisioningLogs": logs,
    "source.provisioningOutcomes": [],
    "source.connectionTest": null,
    "target.organization": [{ id: TARGET, displayName: "Fabrikam" }],
    "target.crossTenantAccessPolicy": { id: "policy", allowedCloudEndpoints: [] },
    "target.crossTenantAccessDefault": { isServiceDefault: true },
    "target.partner": { tenantId: SOURCE, automaticUserConsentSettings: { inboundAllowed: true, outboundAllowed: null } },
    "target.authorizationPolicy": { id: "authorizationPolicy", allowInvitesFrom: "none" },
    "target.subscribedSkus": [],
    "target.identitySynchronization": {
      tenantId: SOURCE,
      displayName: "Contoso",
      deletedDateTime: null,
      externalCloudAuthorizedApplicationId: null,
      userSyncInbound: { isSyncAllowed: true },
      groupSyncInbound: { isSyncAllowed: false },
    },
    "target.externalIdentitiesPolicy": { id: "externalIdentityPolicy", allowExternalIdentitiesToLeave: true },
    "target.users": targetUsers,
    "target.deletedUsers": [
      {
        "@odata.type": "#microsoft.graph.user",
        id: "74e45ce0-a52a-4766-976c-7201b0f99370",
        displayName: "Lee Gu",
        userPrincipalName: "lee@x",
        userType: "Member",
        deletedDateTime: "2025-03-01T09:12:44Z",
      },
    ],
  };
}

export interface SnapshotSpec {
  data?: Partial<{ [K in FacetId]: FacetData[K] }>;
  /** Facets to record as not ok (their file is not written). */
  status?: Partial<Record<FacetId, FacetEntry>>;
}

/** Write a snapshot folder with the real store functions; returns its path. */
export async function writeSnapshot(spec: SnapshotSpec = {}): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), "cts-emu-"));
  const data = { ...baseData(), ...spec.data } as Record<FacetId, unknown>;
  const facets: Record<string, FacetEntry> = {};
  for (const f of FACETS) {
    const override = spec.status?.[f.id];
    if (override) {
      facets[f.id] = override;
      continue;
    }
    const count = await writeFacet(dir, f.id, data[f.id] as never);
    facets[f.id] = { status: "ok", file: f.file, count };
  }
  const manifest: Manifest = {
    schemaVersion: 1,
    tool: { name: "cts-doctor", version: "test" },
    createdAt: "2025-03-08T00:00:00Z",
    source: { tenantId: SOURCE, cloud: "global" },
    target: { tenantId: TARGET, cloud: "global" },
    window: { since: "2025-03-01T00:00:00Z", until: "2025-03-08T00:00:00Z" },
    facets,
  };
  await writeManifest(dir, manifest);
  return dir;
}

/** A running emulator over a fresh snapshot, plus cleanup. */
export async function emulate(
  spec: SnapshotSpec = {},
  opts: Omit<EmulatorOptions, "snapshotDir"> = {},
): Promise<Emulator & { dir: string; stop: () => Promise<void> }> {
  const dir = await writeSnapshot(spec);
  const emu = await startEmulator({ snapshotDir: dir, ...opts });
  return Object.assign(emu, {
    dir,
    stop: async () => {
      await emu.close();
      await rm(dir, { recursive: true, force: true });
    },
  });
}

export interface CallOptions {
  tenant?: string;
  token?: string | null;
  method?: string;
  headers?: Record<string, string>;
  body?: unknown;
}

/** A Graph answer as JSON.parse reads it (any): tests index what they assert, which eslint.config.js allows in test/. */
export type GraphJson = ReturnType<typeof JSON.parse>;

/** fetch `url` (absolute, or a path on the emulator) with a token for `tenant` (source by default); `body` is the parsed answer. */
export async function call(emu: Emulator, url: string, o: CallOptions = {}): Promise<{ status: number; headers: Headers; body: GraphJson }> {
  const token = o.token === undefined ? fakeToken(o.tenant ?? SOURCE) : o.token;
  const headers: Record<string, string> = { ...o.headers };
  if (token !== null) headers.Authorization = `Bearer ${token}`;
  if (o.body !== undefined) headers["Content-Type"] = "application/json";
  const res = await fetch(url.startsWith("http") ? url : `${emu.url}${url}`, {
    method: o.method ?? "GET",
    headers,
    ...(o.body !== undefined ? { body: JSON.stringify(o.body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}
