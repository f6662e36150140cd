// Table-driven cases for cross-cloud-config-not-marked: fixtures/rules/cross-cloud-config-not-marked/{valid,invalid}/*.json.
import rule from "./rule.js";
import { runRuleCases } from "../../test/helpers/rule-cases.js";

runRuleCases(rule);
