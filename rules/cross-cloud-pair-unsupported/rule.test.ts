// Table-driven cases for cross-cloud-pair-unsupported: fixtures/rules/cross-cloud-pair-unsupported/{valid,invalid}/*.json.
import rule from "./rule.js";
import { runRuleCases } from "../../test/helpers/rule-cases.js";

runRuleCases(rule);
