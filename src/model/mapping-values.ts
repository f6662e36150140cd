// Whether a target user's attribute already holds what a mapping writes, read the way the target stores it.
import { keyOf } from "./attributes.js";
import { homeAddressFromUpn } from "./correlate.js";

const isEmpty = (v: unknown): boolean => v === null || v === undefined || v === "" || (Array.isArray(v) && v.length === 0);
const text = (v: unknown): string => (typeof v === "string" ? v : typeof v === "boolean" || typeof v === "number" ? String(v) : JSON.stringify(v));

/** Values are the same when both are empty, equal as text, or Booleans equal in any case ("true" and true). */
export function sameValue(a: unknown, b: unknown): boolean {
  if (isEmpty(a) || isEmpty(b)) return isEmpty(a) && isEmpty(b);
  if (Array.isArray(a) || Array.isArray(b)) {
    const list = (v: unknown) => (Array.isArray(v) ? v : [v]).map(text).sort();
    return JSON.stringify(list(a)) === JSON.stringify(list(b));
  }
  if (typeof a === "boolean" || typeof b === "boolean") return text(a).toLowerCase() === text(b).toLowerCase();
  return text(a) === text(b);
}

/**
 * The target's value as the mapping would have written it. A synchronized B2B user's UPN is the source address in the
 * `local_domain#EXT#@target` form (the scenarios' target users; model/correlate.ts reads it the same way), so the
 * UPN compares by the address it encodes, case-insensitively.
 */
export function targetValue(attribute: string, target: Record<string, unknown>): { present: boolean; value?: unknown } {
  const key = keyOf(target, attribute);
  // IsSoftDeleted is the provisioning service's own attribute, not a Graph property: a user listed among the target's
  // users is not soft-deleted (the soft-deleted ones are target.deletedUsers), as readAttribute says of a source user.
  if (key === undefined && attribute.toLowerCase() === "issoftdeleted") return { present: true, value: false };
  if (key === undefined) return { present: false };
  const value = target[key];
  if (attribute.toLowerCase() === "userprincipalname" && typeof value === "string") return { present: true, value: homeAddressFromUpn(value) ?? value };
  if (attribute.toLowerCase() === "manager" && value && typeof value === "object") return { present: true, value: (value as { id?: string }).id ?? null };
  return { present: true, value };
}

export const upnComparable = (attribute: string, v: unknown): unknown =>
  attribute.toLowerCase() === "userprincipalname" && typeof v === "string" ? v.toLowerCase() : v;

/** MultiValueAddOnly / ValueAddOnly: the target keeps its values and gains the new ones. */
export function withAddedValues(current: unknown, added: unknown): unknown[] {
  const list = (v: unknown): unknown[] => (isEmpty(v) ? [] : Array.isArray(v) ? (v as unknown[]) : [v]);
  const out = [...list(current)];
  for (const v of list(added)) if (!out.some((x) => sameValue(x, v))) out.push(v);
  return out;
}

export { isEmpty };
