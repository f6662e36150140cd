// Table-driven cases for external-users-can-leave: fixtures/rules/external-users-can-leave/{valid,invalid}/*.json.
import rule from "./rule.js";
import { runRuleCases } from "../../test/helpers/rule-cases.js";

runRuleCases(rule);
