// A source user's attributes as the scoping filters name them, read from the Graph user object (or derived).
import type { PhoneMethod, ProvisioningLogEntry, User } from "../snapshot/graph-types.js";
import { isExternalUser } from "./external-user.js";
import { known, unknown, type Known } from "./known.js";
import { remembered } from "./remembered.js";
import { smsReady } from "./sms-sign-in.js";

/** Attributes of the provisioning service's source schema that Graph does not expose on the user. */
const INTERNAL = new Set(["alternativesecurityids", "netid", "issoftdeleted", "objectid", "approleassignments"]);
const EXTENSION_ATTRIBUTE = /^extensionattribute([1-9]|1[0-5])$/i;

/** The Graph property to $select for a scoping attribute, or undefined when Graph has none. */
export function graphPropertyFor(attribute: string): string | undefined {
  if (EXTENSION_ATTRIBUTE.test(attribute)) return "onPremisesExtensionAttributes";
  if (INTERNAL.has(attribute.toLowerCase())) return undefined;
  return /^[A-Za-z][A-Za-z0-9_]*$/.test(attribute) ? attribute : undefined;
}

/** The object's own key that is `name` in any case, or undefined. */
export function keyOf(obj: object, name: string): string | undefined {
  if (Object.hasOwn(obj, name)) return name;
  // Predict reads every mapped attribute of 100,000 users: compare lengths before lower-casing each key.
  const lower = name.toLowerCase();
  for (const key of Object.keys(obj)) if (key.length === name.length && key.toLowerCase() === lower) return key;
  return undefined;
}

const ABSENT = { present: false } as const;

function property(obj: Record<string, unknown>, name: string): { present: boolean; value?: unknown } {
  const key = keyOf(obj, name);
  return key === undefined ? ABSENT : { present: true, value: obj[key] };
}

/** A detail value of the latest log entry's import step (EntryImport…), e.g. accountEnabled or alternativeSecurityIds. */
export function importedValue(logs: readonly ProvisioningLogEntry[], key: string): string | undefined {
  for (const entry of logs) {
    for (const step of entry.provisioningSteps ?? []) {
      if ((step.provisioningStepType ?? "").toLowerCase() !== "import") continue;
      const v = step.details?.[key];
      if (typeof v === "string") return v;
    }
  }
  return undefined;
}

/**
 * alternativeSecurityIds is internal to the provisioning service: an SMS sign-in user or an external identity has one,
 * so the built-in "Filter external users" clause (alternativeSecurityIds EQUALS 'None') drops them. It is derived from
 * the phone methods when they were read, else taken from the latest logged import.
 */
function alternativeSecurityIds(user: User, facts: AttributeFacts): Known<unknown> {
  if (facts.phoneMethods.known) {
    if (smsReady(facts.phoneMethods.value)) return known("(SMS sign-in phone number)");
    if (isExternalUser(user)) return known("(external identity)");
    return known("None");
  }
  const logged = facts.logs.known ? importedValue(facts.logs.value, "alternativeSecurityIds") : undefined;
  if (logged !== undefined) return known(logged);
  return unknown(
    `alternativeSecurityIds is internal to the provisioning service and is derived from the SMS sign-in state, which is unknown (${facts.phoneMethods.reason})`,
  );
}

/** What reading an attribute may need besides the user object (predict fills these per user, as a trace does). */
export interface AttributeFacts {
  /** null: the user has no phone methods (404). */
  phoneMethods: Known<readonly PhoneMethod[] | null>;
  /** The user's entries for this configuration, newest first. */
  logs: Known<readonly ProvisioningLogEntry[]>;
  /** "null": absence means null (live reads $select every attribute); "not-collected": absence means not collected. */
  absentAttribute: "null" | "not-collected";
}

/** Read one attribute of the source user for the scoping filters. */
export function readAttribute(user: User, name: string, facts: AttributeFacts): Known<unknown> {
  const lower = name.toLowerCase();
  if (lower === "objectid") return known(user.id);
  if (lower === "issoftdeleted") return known(false);
  if (lower === "alternativesecurityids") return alternativeSecurityIds(user, facts);
  if (INTERNAL.has(lower)) return unknown(`${name} is internal to the provisioning service and cannot be read through Graph`);
  let found: { present: boolean; value?: unknown };
  if (EXTENSION_ATTRIBUTE.test(name)) {
    const ext = property(user, "onPremisesExtensionAttributes");
    found = ext.present
      ? ext.value && typeof ext.value === "object"
        ? property(ext.value as Record<string, unknown>, name)
        : { present: true, value: null }
      : { present: false };
  } else {
    found = property(user, name);
  }
  if (found.present) return known(found.value ?? null);
  if (facts.absentAttribute === "null") return known(null);
  return unknown(notCollected(name));
}

// One string per attribute name, not one per user: the predicted users' unknown entries are interned by it.
const notCollected = remembered((name) => `${name} was not collected for this user (the snapshot's user $select does not include it)`);
