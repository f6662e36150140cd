// Table-driven cases for pending-acceptance-upn-stale: fixtures/rules/pending-acceptance-upn-stale/{valid,invalid}/*.json.
import rule from "./rule.js";
import { runRuleCases } from "../../test/helpers/rule-cases.js";

runRuleCases(rule);
