// Table-driven cases for target-group-sync-inbound-disabled: fixtures/rules/target-group-sync-inbound-disabled/{valid,invalid}/*.json.
import rule from "./rule.js";
import { runRuleCases } from "../../test/helpers/rule-cases.js";

runRuleCases(rule);
