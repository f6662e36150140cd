// Table-driven cases for group-mapping-disabled: fixtures/rules/group-mapping-disabled/{valid,invalid}/*.json.
import rule from "./rule.js";
import { runRuleCases } from "../../test/helpers/rule-cases.js";

runRuleCases(rule);
