// Table-driven cases for unsupported-target-attribute-mapped: fixtures/rules/unsupported-target-attribute-mapped/{valid,invalid}/*.json.
import rule from "./rule.js";
import { runRuleCases } from "../../test/helpers/rule-cases.js";

runRuleCases(rule);
