// Table-driven cases for usertype-mapping-create-only: fixtures/rules/usertype-mapping-create-only/{valid,invalid}/*.json.
import rule from "./rule.js";
import { runRuleCases } from "../../test/helpers/rule-cases.js";

runRuleCases(rule);
