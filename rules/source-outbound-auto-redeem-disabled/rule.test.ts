// Table-driven cases for source-outbound-auto-redeem-disabled: fixtures/rules/source-outbound-auto-redeem-disabled/{valid,invalid}/*.json.
import rule from "./rule.js";
import { runRuleCases } from "../../test/helpers/rule-cases.js";

runRuleCases(rule);
