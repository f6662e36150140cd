// Table-driven cases for connection-test-failed: fixtures/rules/connection-test-failed/{valid,invalid}/*.json.
import rule from "./rule.js";
import { runRuleCases } from "../../test/helpers/rule-cases.js";

runRuleCases(rule);
