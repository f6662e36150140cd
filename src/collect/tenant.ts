// Collectors for the facets both tenants have (policies, organization, licences) and the target's guest settings and users.
import { GraphRequestError } from "../errors.js";
import type { GraphApi } from "../graph/client.js";
import { buildQuery, segment } from "../graph/odata.js";
import type { TenantSide } from "../snapshot/facets.js";
import type { CrossTenantAccessPolicy, GraphObject, User } from "../snapshot/graph-types.js";
import { isExternalUser } from "../model/external-user.js";
import type { NdjsonWriter } from "../snapshot/store.js";
import type { SnapshotRecorder } from "./recorder.js";
import {
  AUTHORIZATION_POLICY_SELECT,
  CROSS_TENANT_ACCESS_POLICY_SELECT,
  DELETED_USER_SELECT,
  DIRECTORY_PAGE,
  ORGANIZATION_SELECT,
  SKU_SELECT,
  USER_SELECT,
} from "./select.js";

/** Graph's response annotations (`@odata.context`) are transport, not data: the snapshot keeps the entity itself. */
export function stripAnnotations<T extends object | null = GraphObject>(entity: T): T {
  if (!entity || typeof entity !== "object") return entity;
  const copy: GraphObject = {};
  for (const [k, v] of Object.entries(entity)) if (!k.startsWith("@odata.") || k === "@odata.type") copy[k] = v;
  return copy as T;
}

/**
 * The entity of a singleton answer. Microsoft's published examples of `GET /policies/crossTenantAccessPolicy` wrap it
 * in `{"value": {…}}` while the CSDL declares a plain singleton (docs-contrib
 * `api-reference/v1.0/api/crosstenantaccesspolicy-get.md`): accept both; the snapshot keeps the entity itself.
 */
export function unwrapSingleton<T extends object>(body: T | { value: T }): T {
  const keys = Object.keys(body).filter((k) => !k.startsWith("@odata."));
  const inner = (body as { value?: unknown }).value;
  const wrapped = keys.length === 1 && keys[0] === "value" && inner !== null && typeof inner === "object" && !Array.isArray(inner);
  return wrapped ? (inner as T) : (body as T);
}

/** GET an entity whose absence (404) means "not configured". */
export async function getOrNull<T extends object>(api: GraphApi, path: string, version: "v1.0" | "beta" = "v1.0"): Promise<T | null> {
  try {
    return stripAnnotations(await api.get<T>(path, version));
  } catch (err) {
    if (err instanceof GraphRequestError && err.status === 404) return null;
    throw err;
  }
}

export async function collectTenantCommon(rec: SnapshotRecorder, api: GraphApi, side: TenantSide, otherTenantId: string): Promise<void> {
  await Promise.all([
    rec.collect(`${side}.organization`, () => api.list(`/organization${buildQuery({ $select: ORGANIZATION_SELECT })}`)),
    rec.collect(`${side}.crossTenantAccessPolicy`, async () =>
      stripAnnotations(
        unwrapSingleton(
          await api.get<CrossTenantAccessPolicy>(`/policies/crossTenantAccessPolicy${buildQuery({ $select: CROSS_TENANT_ACCESS_POLICY_SELECT })}`),
        ),
      ),
    ),
    rec.collect(`${side}.crossTenantAccessDefault`, async () => stripAnnotations(await api.get<GraphObject>("/policies/crossTenantAccessPolicy/default"))),
    rec.collect(`${side}.partner`, () => getOrNull(api, `/policies/crossTenantAccessPolicy/partners/${segment(otherTenantId)}`)),
    rec.collect(`${side}.authorizationPolicy`, async () =>
      stripAnnotations(await api.get<GraphObject>(`/policies/authorizationPolicy${buildQuery({ $select: AUTHORIZATION_POLICY_SELECT })}`)),
    ),
    rec.collect(`${side}.subscribedSkus`, () => api.list(`/subscribedSkus${buildQuery({ $select: SKU_SELECT })}`)),
  ]);
}

/** `extraSelect`: the mapped target attributes' Graph properties, once the source schema is read ([] without it). */
export async function collectTargetOnly(
  rec: SnapshotRecorder,
  api: GraphApi,
  sourceTenantId: string,
  extraSelect: Promise<string[]> = Promise.resolve([]),
): Promise<void> {
  await Promise.all([
    // beta: v1.0 has no groupSyncInbound
    rec.collect("target.identitySynchronization", async () => {
      const path = `/policies/crossTenantAccessPolicy/partners/${segment(sourceTenantId)}/identitySynchronization`;
      let beta;
      try {
        beta = await getOrNull(api, path, "beta");
      } catch (err) {
        // A server without the beta endpoint: v1.0 still answers the user-sync question (no groupSyncInbound).
        if (err instanceof GraphRequestError && (err.status === 400 || err.status === 405 || err.status === 501)) return getOrNull(api, path, "v1.0");
        throw err;
      }
      // A 404 on beta may mean "no such route" rather than "no policy": the policy is missing only when v1.0 agrees.
      return beta ?? getOrNull(api, path, "v1.0");
    }),
    rec.collect("target.externalIdentitiesPolicy", async () => stripAnnotations(await api.get<GraphObject>("/policies/externalIdentitiesPolicy", "beta"))),
    rec.stream("target.users", (writer) => readTargetUsers(rec, api, writer, extraSelect)),
    rec.collect("target.deletedUsers", () =>
      api.list<User>(`/directory/deletedItems/microsoft.graph.user${buildQuery({ $select: DELETED_USER_SELECT, $top: DIRECTORY_PAGE })}`),
    ),
  ]);
}

/** Unfiltered list (every Graph-compatible server supports it); only external users are kept. Paged through the recorder:
 * checkpointed after each page, so an interrupted run continues where it stopped. */
async function readTargetUsers(rec: SnapshotRecorder, api: GraphApi, writer: NdjsonWriter, extraSelect: Promise<string[]>): Promise<void> {
  const done = { pages: 0 };
  const read = async (select: readonly string[]) => {
    for await (const page of rec.pages<User>("target.users", api, `/users${buildQuery({ $select: select, $top: DIRECTORY_PAGE })}`)) {
      await writer.write(page.filter(isExternalUser));
      done.pages += 1;
    }
  };
  const extra = await extraSelect;
  try {
    await read([...USER_SELECT, ...extra]);
  } catch (err) {
    // A 400 on the first page is Graph refusing a property of the extended $select: the base list still answers.
    if (done.pages > 0 || extra.length === 0 || !(err instanceof GraphRequestError && err.status === 400)) throw err;
    await read(USER_SELECT);
  }
}
