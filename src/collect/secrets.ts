// The CTS secrets read: beta first (the one GET Microsoft publishes), v1.0 as the fallback, per service principal.
import { GraphRequestError } from "../errors.js";
import type { GraphApi, GraphVersion } from "../graph/client.js";
import { segment } from "../graph/odata.js";
import type { FacetEntry } from "../snapshot/manifest.js";
import { NOT_OFFERED } from "../snapshot/manifest.js";
import type { KeyValue, ServicePrincipal } from "../snapshot/graph-types.js";
import { FacetUnavailable, type SnapshotRecorder } from "./recorder.js";

/** Secret keys that describe the configuration; anything else (credentials, even masked) never reaches the snapshot. */
const KEPT_SECRET_KEYS = new Set(["authenticationtype", "companyid", "syncall", "syncnotificationsettings", "skipoutofscopedeletions"]);

/** Only the keys that describe the configuration: credentials (even masked) never leave the read. */
export function keptSecrets(value: KeyValue[]): KeyValue[] {
  return value.filter((s) => KEPT_SECRET_KEYS.has(String(s.key as unknown).toLowerCase()));
}

/**
 * beta first: the v1.0 API description has no GET for `secrets` (cleanMetadata.xml lists only PUT for
 * `synchronization/secrets`), and the one published GET is beta (entra-docs
 * docs/identity/app-provisioning/skip-out-of-scope-deletions.md, "Step 3"). v1.0 answers on many tenants today.
 */
const VERSIONS: GraphVersion[] = ["beta", "v1.0"];

/** Statuses saying "this version has no such read here", not "you may not": the next version is tried. */
const NOT_OFFERED_STATUSES = new Set([400, 404, 405, 501]);

export type SecretsRead = { ok: true; version: GraphVersion; value: KeyValue[] } | { ok: false; errors: { version: GraphVersion; error: GraphRequestError }[] };

/** One service principal's secrets, from the first version that answers; a 401 or a non-Graph failure is thrown. */
export async function readSecrets(api: GraphApi, spId: string): Promise<SecretsRead> {
  const errors: { version: GraphVersion; error: GraphRequestError }[] = [];
  for (const version of VERSIONS) {
    try {
      const page = await api.get<{ value?: KeyValue[] } | undefined>(`/servicePrincipals/${segment(spId)}/synchronization/secrets`, version);
      return { ok: true, version, value: page?.value ?? [] };
    } catch (err) {
      if (!(err instanceof GraphRequestError) || err.status === 401 || err.status === 429 || err.status === 0) throw err;
      errors.push({ version, error: err });
    }
  }
  return { ok: false, errors };
}

/** The error recorded for a service principal whose secrets no version answered. */
function readError(errors: { version: GraphVersion; error: GraphRequestError }[]): NonNullable<FacetEntry["error"]> {
  const last = errors.at(-1)?.error;
  if (!last) throw new Error("readError needs at least one failed read");
  const notOffered = errors.every((e) => NOT_OFFERED_STATUSES.has(e.error.status));
  const tried = errors.map((e) => `${e.version}: ${e.error.status} ${e.error.graphCode}`).join("; ");
  return {
    code: notOffered ? NOT_OFFERED : last.graphCode,
    message: notOffered ? `Graph does not offer this read here (${tried})` : `${last.message} (${tried})`,
    httpStatus: last.status,
    ...(last.requestId ? { requestId: last.requestId } : {}),
  };
}

/**
 * source.syncSecrets: the kept keys of every service principal that answered, and in the manifest entry which version
 * answered or why none did. The facet fails only when no service principal's secrets could be read.
 */
export async function collectSecrets(rec: SnapshotRecorder, api: GraphApi, sps: ServicePrincipal[]): Promise<Record<string, KeyValue[]> | undefined> {
  const reads: NonNullable<FacetEntry["reads"]> = {};
  const data = await rec.collect("source.syncSecrets", async () => {
    const bySp: Record<string, KeyValue[]> = {};
    const refused: NonNullable<FacetEntry["error"]>[] = [];
    for (const sp of sps) {
      const read = await readSecrets(api, sp.id);
      if (read.ok) {
        bySp[sp.id] = keptSecrets(read.value);
        reads[sp.id] = { version: read.version };
        continue;
      }
      const error = readError(read.errors);
      reads[sp.id] = { error };
      refused.push(error);
    }
    const [firstRefused] = refused;
    if (firstRefused && refused.length === sps.length) {
      const denied = refused.find((e) => e.httpStatus === 403);
      throw new FacetUnavailable(denied ? "denied" : "failed", denied ?? firstRefused, { reads });
    }
    return bySp;
  });
  if (data && !rec.isKept("source.syncSecrets")) {
    rec.entry("source.syncSecrets").reads = reads;
    await rec.flush();
  }
  return data;
}
