// Not fixed directly: the rules it names (explainedBy) carry the changes; apply re-runs the connection test afterwards.
import { skipped } from "../../src/remediate/fix-helpers.js";
import type { FixBuilder } from "../../src/remediate/types.js";

export const fix: FixBuilder = ({ result }) => {
  const causes = [...new Set(result.findings.flatMap((f) => (f.evidence["explainedBy"] as string[] | undefined) ?? []))];
  return skipped(
    `fixed through ${causes.length ? causes.join(", ") : "the cause named in the finding"}; remediate apply re-runs the connection test afterwards`,
  );
};
