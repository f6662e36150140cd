// Table-driven cases for no-assignments: fixtures/rules/no-assignments/{valid,invalid}/*.json.
import rule from "./rule.js";
import { runRuleCases } from "../../test/helpers/rule-cases.js";

runRuleCases(rule);
