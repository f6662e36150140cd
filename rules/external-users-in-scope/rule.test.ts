// Table-driven cases for external-users-in-scope: fixtures/rules/external-users-in-scope/{valid,invalid}/*.json.
import rule from "./rule.js";
import { runRuleCases } from "../../test/helpers/rule-cases.js";

runRuleCases(rule);
