// Test helper: a bundled scenario's report as analyze builds it, at a fixed time.
import { pairReport } from "../../src/app/analyze.js";
import type { Report } from "../../src/report/model.js";
import { pairFrom } from "./pair.js";

export async function scenarioReport(scenario: string, at = new Date("2025-03-04T12:00:00Z")): Promise<Report> {
  return pairReport(await pairFrom(scenario), at);
}
