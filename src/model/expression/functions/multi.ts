// Multi-valued attributes and app roles: Count, Item, RemoveDuplicates, Split, AppRoleAssignmentsComplex,
// AssertiveAppRoleAssignmentsComplex, SingleAppRoleAssignment (entra-docs functions-for-customizing-application-data.md,
// customize-application-attributes.md "Provisioning a role to a SCIM app").
import { ExpressionEvaluationError, type Value } from "../ast.js";
import type { Args, FunctionImpl } from "../context.js";
import { toInteger, toList, toText, toTextOrEmpty } from "../values.js";

function item(a: Args): Value {
  const list = toList(a.value(0));
  const index = toInteger(a.value(1), a.fn, "index");
  // "Item([proxyAddresses], 1) returns the first item … Index 0 shouldn't be used."
  if (index < 1) throw new ExpressionEvaluationError(`index is 1-based: ${index} names no item`, a.fn);
  return list[index - 1] ?? null;
}

function removeDuplicates(a: Args): Value {
  const v = a.value(0);
  if (v === null) return null;
  const seen = new Set<string>();
  return toList(v).filter((x) => {
    const key = toTextOrEmpty(x);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The page's example splits "PermissionSetOne, PermissionSetTwo" at "," into values without the leading space. */
function split(a: Args): Value {
  const s = toText(a.value(0));
  const delimiter = toTextOrEmpty(a.value(1));
  if (delimiter === "") throw new ExpressionEvaluationError("delimiter must not be empty", a.fn);
  return s === null ? null : s.split(delimiter).map((x) => x.trim());
}

interface Role {
  id?: string;
  value?: string;
  displayName?: string;
}

/** One assignment of [appRoleAssignments]: a JSON object (id, value, displayName) or a role value. */
function readRole(v: Value, fn: string): Role {
  const s = toTextOrEmpty(v);
  if (!s.trim().startsWith("{")) return { value: s, displayName: s };
  try {
    const o = JSON.parse(s) as Record<string, unknown>;
    const pick = (k: string) => (typeof o[k] === "string" ? o[k] : undefined);
    return { id: pick("id") ?? pick("appRoleId"), value: pick("value"), displayName: pick("displayName") ?? pick("principalDisplayName") };
  } catch {
    throw new ExpressionEvaluationError(`an app role assignment is not valid JSON: ${s.slice(0, 60)}`, fn);
  }
}

const roleText = (r: Role): string => JSON.stringify({ id: r.id, value: r.value, displayName: r.displayName });

/** The PATCH body of the page's example carries each role as the JSON text {"id","value","displayName"}. */
const complexRoles: FunctionImpl = (a) => {
  const v = a.value(0);
  return v === null ? null : toList(v).map((x) => roleText(readRole(x, a.fn)));
};

export const multiValueFunctions = {
  AppRoleAssignmentsComplex: complexRoles,
  AssertiveAppRoleAssignmentsComplex: complexRoles,
  Count: (a) => toList(a.value(0)).length,
  Item: item,
  RemoveDuplicates: removeDuplicates,
  // "Make sure multiple roles aren't assigned to a user. There's no guarantee which role is provisioned": we take the first.
  SingleAppRoleAssignment: (a) => {
    const list = toList(a.value(0));
    const first = list[0];
    return first !== undefined ? roleText(readRole(first, a.fn)) : null;
  },
  Split: split,
} satisfies Record<string, FunctionImpl>;
