// Table-driven cases for source-license-missing: fixtures/rules/source-license-missing/{valid,invalid}/*.json.
import rule from "./rule.js";
import { runRuleCases } from "../../test/helpers/rule-cases.js";

runRuleCases(rule);
