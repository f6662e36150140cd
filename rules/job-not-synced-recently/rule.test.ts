// Table-driven cases for job-not-synced-recently: fixtures/rules/job-not-running/{valid,invalid}/*.json.
import rule from "./rule.js";
import { runRuleCases } from "../../test/helpers/rule-cases.js";

runRuleCases(rule);
