// Table-driven cases for accidental-deletion-prevention-off: fixtures/rules/accidental-deletion-prevention-off/{valid,invalid}/*.json.
import rule from "./rule.js";
import { runRuleCases } from "../../test/helpers/rule-cases.js";

runRuleCases(rule);
