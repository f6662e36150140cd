// Work per user made once per distinct key (an attribute, an operator name, a reason), kept for a bounded number of keys.

/**
 * `make(key)` the first time, the same value for the same key afterwards. Beyond `limit` distinct keys, new ones are
 * made each time and not kept: keys that name values (an evaluation error quoting one) cannot grow it without end.
 */
export function remembered<V>(make: (key: string) => V, limit = 1_000): (key: string) => V {
  const kept = new Map<string, V>();
  return (key) => {
    let value = kept.get(key);
    if (value === undefined) {
      value = make(key);
      if (kept.size < limit) kept.set(key, value);
    }
    return value;
  };
}
