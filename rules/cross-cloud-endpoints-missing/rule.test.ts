// Table-driven cases for cross-cloud-endpoints-missing: fixtures/rules/cross-cloud-endpoints-missing/{valid,invalid}/*.json.
import rule from "./rule.js";
import { runRuleCases } from "../../test/helpers/rule-cases.js";

runRuleCases(rule);
