// A value read from data, or why the data is invalid: the model never turns bad input into a silent "absent".

/** A valid value, or invalid data with the reason (as a sentence fragment a rule can quote). */
export type Result<T> = { ok: true; value: T } | { ok: false; invalid: true; reason: string };

export const valid = <T>(value: T): Result<T> => ({ ok: true, value });
export const invalid = <T = never>(reason: string): Result<T> => ({ ok: false, invalid: true, reason });
