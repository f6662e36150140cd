// One-line texts the commands and check print while they work (the CLI decides where they go).
import type { FacetId } from "../snapshot/facets.js";
import type { FacetEntry } from "../snapshot/manifest.js";

/** A facet's collection status as one progress line: "  ok       source.users (12)". */
export function facetLine(id: FacetId, entry: FacetEntry): string {
  if (entry.status === "ok") return `  ok       ${id} (${entry.count ?? 0})`;
  const err = entry.error ? ` ${entry.error.code}: ${entry.error.message}` : "";
  return `  ${entry.status.padEnd(8)} ${id}${err}`;
}
