// Per-user 404s for users the collection itself just listed: counted, and past the threshold the facet is degraded.
import { afterEach, describe, expect, it } from "vitest";
import { ruleList } from "../../../rules/index.js";
import { runRules } from "../../../src/engine/run.js";
import { loadPair } from "../../../src/model/pair.js";
import { readFacet } from "../../../src/snapshot/store.js";
import { collectWithFaults, pairConfig, SCENARIO, type FaultRun } from "./fault-run.js";
import { scenarioDir } from "../../helpers/pair.js";

let run: FaultRun | undefined;
afterEach(async () => {
  await run?.emulator.close();
  run = undefined;
});

const SMS_RULE = "sms-sign-in-users-skipped";
/** Every member's phone methods are read, so every one of them answers 404. */
const everyUser = (url: string) => ({ ...pairConfig(url), collection: { allPhoneMethods: true } });

describe("404 on per-user reads inside $batch", () => {
  it("every phone-method item 404: the facet is degraded with the count, and the SMS rule does not pass", async () => {
    const full = runRules(ruleList, await loadPair(scenarioDir(SCENARIO))).find((r) => r.ruleId === SMS_RULE)!;
    expect(full.status).toBe("fail");
    run = await collectWithFaults(["GET /authentication/phoneMethods 404 batch sticky"], {}, everyUser);
    const entry = run.manifest.facets["source.phoneMethods"]!;
    const candidates = (await readFacet(run.dir, "source.users")).filter((u) => u.userType !== "Guest").length;
    expect(candidates).toBeGreaterThan(3);
    expect(entry).toMatchObject({ status: "degraded", notFound: candidates, error: { code: "UnexpectedNotFound" } });
    expect(entry.error!.message).toContain(`${candidates} of ${candidates}`);
    const result = runRules(ruleList, await loadPair(run.dir)).find((r) => r.ruleId === SMS_RULE)!;
    expect(result.status).not.toBe("pass");
  });

  it("no provisioning logs either: the SMS rule is inconclusive and its reason names the degraded facet", async () => {
    run = await collectWithFaults(["GET /authentication/phoneMethods 404 batch sticky", "GET /auditLogs/provisioning 403 sticky"], {}, everyUser);
    const result = runRules(ruleList, await loadPair(run.dir)).find((r) => r.ruleId === SMS_RULE)!;
    expect(result.status).toBe("inconclusive");
    expect(result.reason).toContain("source.phoneMethods");
    expect(result.reason).toContain("UnexpectedNotFound");
  });

  it("a single 404 (a user deleted between the list and the read) is counted, and the facet stays ok", async () => {
    run = await collectWithFaults(["GET /authentication/phoneMethods 404 batch times=1"]);
    expect(run.manifest.facets["source.phoneMethods"]).toMatchObject({ status: "ok", notFound: 1 });
  });

  it("no 404: no count recorded", async () => {
    run = await collectWithFaults([]);
    expect(run.manifest.facets["source.phoneMethods"]?.status).toBe("ok");
    expect(run.manifest.facets["source.phoneMethods"]).not.toHaveProperty("notFound");
  });
});
