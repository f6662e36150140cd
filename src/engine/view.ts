// The pair a rule's check sees: only the facets the rule declares (needs, uses, needsAnyOf); reading any other throws.
import type { Pair } from "../model/pair.js";
import type { FacetId } from "../snapshot/facets.js";
import type { RuleMeta } from "./types.js";

/** Every facet a rule declares it reads. */
export function declaredFacets(rule: Pick<RuleMeta, "needs" | "uses" | "needsAnyOf">): Set<FacetId> {
  return new Set([...rule.needs, ...(rule.uses ?? []), ...(rule.needsAnyOf ?? []).flat()]);
}

/** A rule read a facet it did not declare: a bug in its metadata (or in a model helper's `reads`), not missing data. */
export class UndeclaredFacetError extends Error {
  readonly code = "UNDECLARED_FACET";
  constructor(ruleId: string, facet: string) {
    super(`rule ${ruleId} read facet ${facet} it did not declare`);
    this.name = "UndeclaredFacetError";
  }
}

/** The Pair methods that take a facet id; `logs()` reads the provisioning logs. */
const BY_ID = new Set<PropertyKey>(["entry", "has", "get", "maybe"]);

/**
 * The pair limited to `allowed`: `entry`, `has`, `get`, `maybe` and `logs` throw for any other facet. Everything else
 * (manifest, tenants) passes through, and the pair's own methods run on the pair itself, so a helper that receives the
 * view reads the same data as it would from the pair, only checked.
 */
export function ruleView(pair: Pair, ruleId: string, allowed: ReadonlySet<FacetId>): Pair {
  const check = (id: FacetId): void => {
    if (!allowed.has(id)) throw new UndeclaredFacetError(ruleId, id);
  };
  return new Proxy(pair, {
    get(target, key) {
      const value: unknown = Reflect.get(target, key, target);
      if (typeof value !== "function") return value;
      if (key === "logs")
        return () => {
          check("source.provisioningLogs");
          return target.logs();
        };
      if (!BY_ID.has(key)) return (value as (...args: unknown[]) => unknown).bind(target);
      return (id: FacetId) => {
        check(id);
        return (value as (id: FacetId) => unknown).call(target, id);
      };
    },
  });
}
