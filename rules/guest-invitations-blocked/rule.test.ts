// Table-driven cases for guest-invitations-blocked: fixtures/rules/guest-invitations-blocked/{valid,invalid}/*.json.
import rule from "./rule.js";
import { runRuleCases } from "../../test/helpers/rule-cases.js";

runRuleCases(rule);
