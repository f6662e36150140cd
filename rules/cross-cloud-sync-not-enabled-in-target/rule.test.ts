// Table-driven cases for cross-cloud-sync-not-enabled-in-target: fixtures/rules/cross-cloud-sync-not-enabled-in-target/{valid,invalid}/*.json.
import rule from "./rule.js";
import { runRuleCases } from "../../test/helpers/rule-cases.js";

runRuleCases(rule);
