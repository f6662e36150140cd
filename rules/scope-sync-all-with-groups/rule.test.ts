// Table-driven cases for scope-sync-all-with-groups: fixtures/rules/scope-sync-all-with-groups/{valid,invalid}/*.json.
import rule from "./rule.js";
import { runRuleCases } from "../../test/helpers/rule-cases.js";

runRuleCases(rule);
