// The documented table of supported cloud pairs, every source → target direction checked on its own.
import { describe, expect, it } from "vitest";
import { CLOUD_NAMES, cloudPairSupport, type CloudName } from "../../src/config/clouds.js";

/**
 * Expected answer per direction, written out from entra-docs includes/cross-tenant-synchronization-cloud-pairs-include.md,
 * includes/cross-cloud-synchronization-pairs-include.md and cross-tenant-synchronization-overview.md ("Clouds").
 * GCC High and DoD share microsoftonline.us, so they are one Azure Government cloud.
 */
const TABLE: [CloudName, CloudName, "same-cloud" | "cross-cloud", boolean][] = [
  ["global", "global", "same-cloud", true],
  ["usgov", "usgov", "same-cloud", true],
  ["usgov", "usgov-dod", "same-cloud", true],
  ["usgov-dod", "usgov", "same-cloud", true],
  ["usgov-dod", "usgov-dod", "same-cloud", true],
  ["china", "china", "same-cloud", false],
  ["global", "usgov", "cross-cloud", true],
  ["global", "usgov-dod", "cross-cloud", true],
  ["usgov", "global", "cross-cloud", true],
  ["usgov-dod", "global", "cross-cloud", true],
  ["global", "china", "cross-cloud", true],
  ["china", "global", "cross-cloud", false],
  ["usgov", "china", "cross-cloud", false],
  ["usgov-dod", "china", "cross-cloud", false],
  ["china", "usgov", "cross-cloud", false],
  ["china", "usgov-dod", "cross-cloud", false],
];

describe("cloudPairSupport", () => {
  it("covers every ordered pair of clouds exactly once", () => {
    const all = CLOUD_NAMES.flatMap((s) => CLOUD_NAMES.map((t) => `${s}>${t}`)).sort();
    expect(TABLE.map(([s, t]) => `${s}>${t}`).sort()).toEqual(all);
  });

  it.each(TABLE)("%s → %s is %s, supported: %s", (source, target, kind, supported) => {
    expect(cloudPairSupport(source, target)).toEqual({ kind, supported });
  });
});
