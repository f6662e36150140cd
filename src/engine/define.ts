// defineRule: the one way to declare a rule; it checks the metadata once, when the registry loads.
import type { Rule } from "./types.js";

const ID = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/** Declare a rule. Message ids are a literal union, so a typo in `ctx.report` is a compile error. */
export function defineRule<M extends string>(rule: Rule<M>): Rule<M> {
  if (!ID.test(rule.id)) throw new Error(`rule id "${rule.id}" must be kebab-case`);
  if (Object.keys(rule.messages).length === 0) throw new Error(`rule ${rule.id} declares no messages`);
  if (rule.needs.length === 0) throw new Error(`rule ${rule.id} needs no facet; every rule reads data`);
  if (rule.references.length === 0) throw new Error(`rule ${rule.id} has no references`);
  return rule;
}
