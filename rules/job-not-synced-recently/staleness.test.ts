// The threshold comes from the snapshot's manifest (config collection.staleJobAfterHours) and the clock is the window end.
import { describe, expect, it } from "vitest";
import type { SynchronizationJob } from "../../src/snapshot/graph-types.js";
import type { Manifest } from "../../src/snapshot/manifest.js";
import { configSchema } from "../../src/config/schema.js";
import { DEFAULT_STALE_HOURS, jobStaleness, staleAfterHours } from "./staleness.js";

const job = (ended: string): SynchronizationJob => ({
  id: "j",
  status: { code: "Active", lastExecution: { state: "Succeeded", timeEnded: ended }, lastSuccessfulExecution: { state: "Succeeded", timeEnded: ended } },
});

describe("job staleness", () => {
  it("uses the manifest's threshold, else 4 hours", () => {
    expect(staleAfterHours({} as Manifest)).toBe(DEFAULT_STALE_HOURS);
    expect(staleAfterHours({ staleJobAfterHours: 12 } as Manifest)).toBe(12);
  });

  it("judges against the reference time given, not the clock", () => {
    const j = job("2025-03-04T05:00:00Z");
    expect(jobStaleness(j, "2025-03-04T08:59:00Z", 4)).toBeUndefined();
    expect(jobStaleness(j, "2025-03-04T09:01:00Z", 4)).toEqual({ kind: "notRun", hours: 4 });
    expect(jobStaleness(j, "2025-03-04T09:01:00Z", 12)).toBeUndefined();
  });

  it("accepts collection.staleJobAfterHours in the config file and refuses a non-positive one", () => {
    const tenant = (id: string) => ({ tenantId: id, auth: { method: "azure-cli" } });
    const base = { source: tenant("1fd6544e-e994-4de2-9f1b-787b51c7d325"), target: tenant("4a12efe6-aa14-4d03-8dff-88fc89e2e2ad") };
    expect(configSchema.safeParse({ ...base, collection: { staleJobAfterHours: 8 } }).success).toBe(true);
    expect(configSchema.safeParse({ ...base, collection: { staleJobAfterHours: 0 } }).success).toBe(false);
  });
});
