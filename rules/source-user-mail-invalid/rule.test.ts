// Table-driven cases for source-user-mail-invalid: fixtures/rules/source-user-mail-invalid/{valid,invalid}/*.json.
import rule from "./rule.js";
import { runRuleCases } from "../../test/helpers/rule-cases.js";

runRuleCases(rule);
