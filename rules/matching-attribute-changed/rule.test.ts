// Table-driven cases for matching-attribute-changed: fixtures/rules/matching-attribute-changed/{valid,invalid}/*.json.
import rule from "./rule.js";
import { runRuleCases } from "../../test/helpers/rule-cases.js";

runRuleCases(rule);
