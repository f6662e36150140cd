// Table-driven cases for target-inbound-sync-disabled: fixtures/rules/target-inbound-sync-disabled/{valid,invalid}/*.json.
import rule from "./rule.js";
import { runRuleCases } from "../../test/helpers/rule-cases.js";

runRuleCases(rule);
