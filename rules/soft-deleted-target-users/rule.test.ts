// Table-driven cases for soft-deleted-target-users: fixtures/rules/soft-deleted-target-users/{valid,invalid}/*.json.
import rule from "./rule.js";
import { runRuleCases } from "../../test/helpers/rule-cases.js";

runRuleCases(rule);
