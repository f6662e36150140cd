// Table-driven cases for job-quarantined: fixtures/rules/job-quarantined/{valid,invalid}/*.json.
import rule from "./rule.js";
import { runRuleCases } from "../../test/helpers/rule-cases.js";

runRuleCases(rule);
