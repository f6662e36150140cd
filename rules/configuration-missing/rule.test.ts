// Table-driven cases for configuration-missing: fixtures/rules/configuration-missing/{valid,invalid}/*.json.
import rule from "./rule.js";
import { runRuleCases } from "../../test/helpers/rule-cases.js";

runRuleCases(rule);
