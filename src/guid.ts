// The one GUID pattern (8-4-4-4-12 hex digits, any case) that ids, tenant ids and redaction recognise.

/** The pattern's body, unanchored and without flags, for patterns that find GUIDs inside text (add the "i" flag). */
export const GUID_SOURCE = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

/** A whole string that is a GUID, in either case. */
export const GUID = new RegExp(`^${GUID_SOURCE}$`, "i");

/** A GUID written in lower case, as Graph writes object ids (for encodings that do not keep the case). */
export const LOWER_CASE_GUID = new RegExp(`^${GUID_SOURCE}$`);

export const isGuid = (value: string): boolean => GUID.test(value);
