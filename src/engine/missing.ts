// How a facet the engine could not read is described in an inconclusive reason; rules that report missing data say it the same way.
import { isLicenceError, NOT_OFFERED } from "../snapshot/manifest.js";
import type { MissingFacet } from "./types.js";

/** "provisioning logs: 403 Authorization_RequestDenied — grant AuditLog.Read.All" */
export function describeMissing(m: MissingFacet): string {
  const http = m.httpStatus ? `${m.httpStatus} ` : m.status === "denied" ? "403 " : "";
  const what = m.code ? `${http}${m.code}` : m.status;
  // Graph has no such read on this tenant (405, or 400/404 on every version tried): no permission would help.
  if (m.code === NOT_OFFERED || m.httpStatus === 405)
    return `${m.facet}: ${what} — ${m.code === NOT_OFFERED && m.message ? m.message : "Graph does not offer this read here"}`;
  if (isLicenceError(m.code))
    return `${m.facet}: ${what} — the tenant has no Microsoft Entra ID P1 or P2 licence, which this read needs; no permission fixes it (add the licence: see source-license-missing)`;
  // Only a refusal is fixed by granting a permission; a 401, an outage or a timeout is not.
  const grant =
    m.status === "denied" ? ` — grant ${m.permission}` : m.status === "failed" && m.httpStatus !== 401 && m.permission ? ` (needs ${m.permission})` : "";
  const why = (m.status === "skipped" || m.status === "degraded") && m.message ? ` (${m.message})` : "";
  return `${m.facet}: ${what}${why}${grant}`;
}
