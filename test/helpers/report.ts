// Test helper: a bundled scenario's report as analyze builds it (every rule, the activity chart, names), at a fixed time.
import { ruleList } from "../../rules/index.js";
import { configurationRef, tenantNames } from "../../src/app/analyze.js";
import { runRules } from "../../src/engine/run.js";
import { provisioningActivity } from "../../src/model/activity.js";
import { buildReport, type Report } from "../../src/report/model.js";
import { pairFrom } from "./pair.js";

export async function scenarioReport(scenario: string, at = new Date("2025-03-04T12:00:00Z")): Promise<Report> {
  const pair = await pairFrom(scenario);
  return buildReport(pair.manifest, runRules(ruleList, pair), at, provisioningActivity(pair), configurationRef(pair), tenantNames(pair));
}
