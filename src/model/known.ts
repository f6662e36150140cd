// A fact that was read, or why it could not be: what traces, predictions and exports are evaluated from.

/** A fact that was read, or why it could not be. */
export type Known<T> = { known: true; value: T } | { known: false; reason: string };

export const known = <T>(value: T): Known<T> => ({ known: true, value });
export const unknown = <T = never>(reason: string): Known<T> => ({ known: false, reason });
