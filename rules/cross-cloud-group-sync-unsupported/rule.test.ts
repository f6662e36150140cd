// Table-driven cases for cross-cloud-group-sync-unsupported: fixtures/rules/cross-cloud-group-sync-unsupported/{valid,invalid}/*.json.
import rule from "./rule.js";
import { runRuleCases } from "../../test/helpers/rule-cases.js";

runRuleCases(rule);
