// Table-driven cases for nested-group-assignment: fixtures/rules/nested-group-assignment/{valid,invalid}/*.json.
import rule from "./rule.js";
import { runRuleCases } from "../../test/helpers/rule-cases.js";

runRuleCases(rule);
