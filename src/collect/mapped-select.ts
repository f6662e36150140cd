// The Graph properties the user mapping's attribute mappings read (source) and write (target), for the users' $select.
import { graphPropertyFor } from "../model/attributes.js";
import { userMapping } from "../model/configuration.js";
import { attributesIn, parseExpression } from "../model/expression/index.js";
import type { AttributeMapping, SynchronizationSchema } from "../snapshot/graph-types.js";
import { USER_SELECT } from "./select.js";

/**
 * Left out: manager is a navigation property (Graph reads it with $expand, not $select); showInAddressList is documented
 * on the v1.0 user resource as "Do not use in Microsoft Graph", and one refused property would drop the whole extension.
 */
const NOT_SELECTABLE = new Set(["manager", "showinaddresslist"]);

/** The source attributes one attribute mapping reads: its attribute, or the [attribute] references of its expression. */
function sourceAttributes(m: AttributeMapping): string[] {
  const source = m.source;
  if (!source) return [];
  if (source.type === "Attribute") return source.name ? [source.name] : [];
  if (!source.expression) return [];
  try {
    return attributesIn(parseExpression(source.expression));
  } catch {
    // An expression the parser does not read adds nothing; the base list still answers.
    return [];
  }
}

/** Graph properties for `names`, beyond USER_SELECT and `known`, each once, only those Graph can $select. */
export function selectableProperties(names: readonly string[], known: readonly string[] = []): string[] {
  const seen = new Set([...USER_SELECT, ...known].map((p) => p.toLowerCase()));
  const out: string[] = [];
  for (const name of names) {
    const p = graphPropertyFor(name);
    if (!p || NOT_SELECTABLE.has(p.toLowerCase()) || seen.has(p.toLowerCase())) continue;
    seen.add(p.toLowerCase());
    out.push(p);
  }
  return out;
}

/** The Graph properties of the source attributes the user mapping's attribute mappings read. */
export function mappedSourceProperties(schema: SynchronizationSchema | undefined, known: readonly string[] = []): string[] {
  return selectableProperties((userMapping(schema)?.attributeMappings ?? []).flatMap(sourceAttributes), known);
}

/** The Graph properties of the target attributes the user mapping's attribute mappings write. */
export function mappedTargetProperties(schema: SynchronizationSchema | undefined): string[] {
  const names = (userMapping(schema)?.attributeMappings ?? []).map((m) => m.targetAttributeName).filter((n): n is string => Boolean(n));
  return selectableProperties(names);
}
