// Requests apply builds from the live read: identitySynchronization create-or-update, and the secrets PUT.
import type { Check, PlanStep, SecretsChange, UpsertSpec, WriteMethod } from "./types.js";

/** The request apply sends for a step, decided from the state it just read. */
export interface LiveRequest {
  method: WriteMethod;
  body?: unknown;
  /** The body as the journal records it: secret values of keys the step does not own are redacted. */
  journalBody?: unknown;
  /** False when the resource's existence differs from the snapshot's: the plan's preconditions describe another state. */
  checkPrecondition: boolean;
  /** How the request differs from the plan, for the journal and the report. */
  note?: string;
}

export type LiveDecision = LiveRequest | { refused: string };

export const REDACTED = "[redacted]";

/** The request to send for `step` given the document just read (null: 404). */
export function liveRequest(step: PlanStep, doc: unknown): LiveDecision {
  if (step.upsert) return upsertRequest(step, step.upsert, doc);
  if (step.secrets) return secretsRequest(step.secrets, doc);
  return { method: step.method, ...(step.body !== undefined ? { body: step.body } : {}), checkPrecondition: true };
}

/**
 * PATCH when the resource exists, PUT only after a 404: a PUT over an existing identitySynchronization is refused with
 * 409 Request_MultipleObjectsWithSameKeyValue (entra-docs cross-tenant-synchronization-configure-graph.md, Troubleshooting).
 */
function upsertRequest(step: PlanStep, spec: UpsertSpec, doc: unknown): LiveRequest {
  const exists = doc !== null && doc !== undefined;
  const request = exists ? { method: "PATCH" as const, body: step.body } : { method: "PUT" as const, body: spec.createBody };
  if (exists === spec.existed) return { ...request, checkPrecondition: true };
  const note = exists
    ? "the plan saw no policy, but the live read found one: PATCH the changed properties instead of a PUT (which the service refuses with 409)"
    : "the plan saw a policy, but the live read answered 404: PUT creates it";
  return { ...request, checkPrecondition: false, note };
}

interface KeyValue {
  key: string;
  value: string;
}

const sameKey = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** A secret's value as text: Graph sends strings; a number or flag reads as String() writes it, anything else as JSON. */
function secretText(raw: unknown): string {
  if (raw === undefined || raw === null) return "";
  if (typeof raw === "string") return raw;
  // Parsed JSON holds no other kinds (no bigint, symbol or function).
  return typeof raw === "number" || typeof raw === "boolean" ? String(raw) : JSON.stringify(raw);
}

function secretList(doc: unknown): KeyValue[] | undefined {
  const value = (doc as { value?: unknown } | null)?.value;
  if (!Array.isArray(value)) return undefined;
  if (!value.every((v) => v && typeof v === "object" && typeof (v as KeyValue).key === "string")) return undefined;
  return value.map((v) => ({ key: (v as KeyValue).key, value: secretText((v as { value?: unknown }).value) }));
}

/** The owned JSON value with `set` merged in (null removes a property); undefined when the value is not a JSON object. */
function mergeOwned(raw: string | undefined, set: Record<string, unknown>): string | undefined {
  let current: unknown = {};
  if (raw !== undefined && raw.trim() !== "") {
    try {
      current = JSON.parse(raw);
    } catch {
      return undefined;
    }
  }
  if (!current || typeof current !== "object" || Array.isArray(current)) return undefined;
  // Set properties keep their place (new ones go last); null removes one.
  const removed = new Set(Object.keys(set).filter((name) => set[name] === null));
  const out = Object.fromEntries(Object.entries({ ...current, ...set }).filter(([name]) => !removed.has(name)));
  return JSON.stringify(out);
}

/**
 * The PUT replaces the whole list (entra-docs skip-out-of-scope-deletions.md: GET, add, PUT all back), so every key read
 * is sent back unchanged and only the owned key's JSON changes. A value the GET masks (`***`) cannot be sent back: the
 * mask would replace the credential, so the step is refused.
 */
function secretsRequest(change: SecretsChange, doc: unknown): LiveDecision {
  const list = secretList(doc);
  if (!list)
    return {
      refused: "the live secrets could not be read as a { value: [ { key, value } ] } list; the PUT replaces every key, so it is never sent from the snapshot",
    };
  const masked = list.filter((s) => !sameKey(s.key, change.key) && /^\*+$/.test(s.value)).map((s) => s.key);
  if (masked.length)
    return { refused: `the live GET masks ${masked.join(", ")}; sending the mask back would overwrite it, so change ${change.key} in the admin center` };
  const owned = list.find((s) => sameKey(s.key, change.key));
  const merged = mergeOwned(owned?.value, change.set);
  if (merged === undefined) return { refused: `${change.key} is not a JSON object; left as it is` };
  const value = list.map((s) => (s === owned ? { key: s.key, value: merged } : s));
  if (!owned) value.push({ key: change.key, value: merged });
  return { method: "PUT", body: { value }, journalBody: { value: redactList(value, change.key) }, checkPrecondition: true };
}

function redactList(list: KeyValue[], ownedKey: string): KeyValue[] {
  return list.map((s) => (sameKey(s.key, ownedKey) ? s : { key: s.key, value: REDACTED }));
}

/** The document as the journal may record it: for a secrets step, every key but the owned one has its value redacted. */
export function journalView(step: PlanStep, doc: unknown): unknown {
  if (!step.secrets) return doc;
  const list = secretList(doc);
  return list ? { value: redactList(list, step.secrets.key) } : null;
}

/** `value[key=SyncNotificationSettings].value.$json.<name>`: one property of the owned key's JSON value. */
export const ownedPath = (key: string, name: string): string => `value[key=${key}].value.$json.${name}`;

/** The secrets change that puts the owned properties back as they were read before the write. */
export function secretsUndo(change: SecretsChange, before: Record<string, unknown>): { secrets: SecretsChange; effect: Check[] } {
  const set = Object.fromEntries(Object.keys(change.set).map((name) => [name, before[ownedPath(change.key, name)] ?? null]));
  return { secrets: { key: change.key, set }, effect: Object.entries(set).map(([name, equals]) => ({ path: ownedPath(change.key, name), equals })) };
}
