// Table-driven cases for target-inbound-auto-redeem-disabled: fixtures/rules/target-inbound-auto-redeem-disabled/{valid,invalid}/*.json.
import rule from "./rule.js";
import { runRuleCases } from "../../test/helpers/rule-cases.js";

runRuleCases(rule);
