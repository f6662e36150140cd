// Table-driven cases for skip-out-of-scope-deletions-ignored: fixtures/rules/skip-out-of-scope-deletions-ignored/{valid,invalid}/*.json.
import rule from "./rule.js";
import { runRuleCases } from "../../test/helpers/rule-cases.js";

runRuleCases(rule);
