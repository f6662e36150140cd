// docs/graph-requests.md lists exactly the Graph requests the demo, trace-user and remediate runs send (no drift).
import { readFile } from "node:fs/promises";
import { beforeAll, describe, expect, it } from "vitest";
import {
  DOC_FILE,
  keyText,
  MISSING_DOCUMENT,
  observe,
  parseMarkdown,
  REGENERATE,
  renderMarkdown,
  requestKey,
  tableRows,
  type RequestRow,
} from "../../bench/graph-requests.js";

let rows: RequestRow[];
let listed: ReturnType<typeof parseMarkdown>;

beforeAll(async () => {
  rows = tableRows(await observe());
  listed = parseMarkdown(await readFile(DOC_FILE, "utf8"));
}, 120_000);

const hint = `; regenerate with \`${REGENERATE}\``;

describe("docs/graph-requests.md", () => {
  it("lists every request the runs sent", () => {
    const inDoc = new Set(listed.map((r) => keyText(r.key)));
    expect(
      rows.map(keyText).filter((k) => !inDoc.has(k)),
      `sent but not listed${hint}`,
    ).toEqual([]);
  });

  it("lists no request that no run sends, and says which runs send each (fault-only rows stay marked)", () => {
    const seen = new Map(rows.map((r) => [keyText(r), r.seenIn]));
    expect(
      listed.filter((r) => !seen.has(keyText(r.key))).map((r) => keyText(r.key)),
      `listed but never sent${hint}`,
    ).toEqual([]);
    expect(
      listed.map((r) => [keyText(r.key), r.seenIn]),
      `"Seen in" out of date${hint}`,
    ).toEqual(listed.map((r) => [keyText(r.key), seen.get(keyText(r.key)) ?? []]));
  });

  it("names a Microsoft document and a permission for every request", () => {
    expect(rows.filter((r) => r.document === MISSING_DOCUMENT).map(keyText)).toEqual([]);
    expect(rows.filter((r) => r.permission.startsWith("(")).map(keyText)).toEqual([]);
  });

  it("is the generator's output byte for byte", async () => {
    expect(await readFile(DOC_FILE, "utf8"), `hand-edited or stale${hint}`).toBe(renderMarkdown(rows));
  });

  it("covers reads and writes on both versions, and marks the beta-refused fallbacks as fault-only", () => {
    const methods = new Set(rows.map((r) => r.method));
    expect([...methods].sort()).toEqual(["DELETE", "GET", "PATCH", "POST", "PUT"]);
    const secretsV1 = rows.find((r) => r.method === "GET" && r.version === "v1.0" && r.path.endsWith("/synchronization/secrets"));
    expect(secretsV1?.seenIn.every((s) => s.startsWith("fault:"))).toBe(true);
    expect(new Set(rows.map((r) => r.version))).toEqual(new Set(["v1.0", "beta"]));
    const fallback = rows.find((r) => r.method === "GET" && r.version === "v1.0" && r.path.endsWith("/identitySynchronization"));
    // v1.0 is read when beta refuses, and after a beta 404 (a policy absent on beta is confirmed on v1.0).
    expect(fallback?.seenIn).toContain("fault: beta identitySynchronization refused (405)");
    expect(fallback?.seenIn.filter((s) => !s.startsWith("fault:"))).toEqual(["remediate"]);
  });
});

describe("request templates", () => {
  it.for<[string, string]>([
    ["/v1.0/users/alex%23EXT%23%40fabrikam.onmicrosoft.com?%24select=id", "GET v1.0 /users/{id}?$select=id"],
    [
      "/beta/policies/crossTenantAccessPolicy/partners/1fd6544e-e994-4de2-9f1b-787b51c7d325/identitySynchronization",
      "GET beta /policies/crossTenantAccessPolicy/partners/{tenantId}/identitySynchronization",
    ],
    [
      "/v1.0/servicePrincipals/c8c95753-f628-48e1-9fab-76c2d4cf624c/synchronization/jobs/Azure2Azure.1fd6544ee9944de29f1b787b51c7d325.4a12efe6-aa14-4d03-8dff-88fc89e2e2ad/schema",
      "GET v1.0 /servicePrincipals/{id}/synchronization/jobs/{jobId}/schema",
    ],
    ["/v1.0/users?$top=999&$select=id&$skiptoken=abc", "GET v1.0 /users?$select=id&$top=999"],
    [
      "/v1.0/auditLogs/provisioning?$filter=servicePrincipal/id eq 'x''y' and activityDateTime gt 2025-02-25T11:00:00.000Z",
      "GET v1.0 /auditLogs/provisioning?$filter=servicePrincipal/id eq '{value}' and activityDateTime gt {datetime}",
    ],
    ["/4a12efe6-aa14-4d03-8dff-88fc89e2e2ad/v1.0/organization", "GET v1.0 /organization"],
  ])("%s → %s", ([p, want]) => {
    const k = requestKey({ method: "GET", path: p });
    expect(k && keyText(k)).toBe(want);
  });
});
