// OData query building: string literals escaped, every value percent-encoded (the Graph client encodes nothing).

/** An OData string literal: single quotes doubled, wrapped in quotes. Percent-encoding happens in `buildQuery`. */
export function odataString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

export type QueryParams = Record<string, string | number | readonly string[] | undefined>;

/** Build `?a=b&c=d`, joining arrays with commas and percent-encoding each value (so `#` becomes %23 and `&` %26). */
export function buildQuery(params: QueryParams): string {
  const parts: string[] = [];
  for (const [key, raw] of Object.entries(params)) {
    if (raw === undefined) continue;
    const value = Array.isArray(raw) ? raw.join(",") : String(raw);
    parts.push(`${key}=${encodeURIComponent(value)}`);
  }
  return parts.length ? `?${parts.join("&")}` : "";
}

/** Percent-encode one path segment taken from data (a UPN with #EXT#, an id). */
export function segment(value: string): string {
  return encodeURIComponent(value);
}
