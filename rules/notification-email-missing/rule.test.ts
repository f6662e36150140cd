// Table-driven cases for notification-email-missing: fixtures/rules/notification-email-missing/{valid,invalid}/*.json.
import rule from "./rule.js";
import { runRuleCases } from "../../test/helpers/rule-cases.js";

runRuleCases(rule);
