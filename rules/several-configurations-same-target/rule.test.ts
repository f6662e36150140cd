// Table-driven cases for several-configurations-same-target: fixtures/rules/several-configurations-same-target/{valid,invalid}/*.json.
import rule from "./rule.js";
import { runRuleCases } from "../../test/helpers/rule-cases.js";

runRuleCases(rule);
