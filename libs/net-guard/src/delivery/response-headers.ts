import type { IncomingHttpHeaders } from 'node:http';

/**
 * Response headers as one lower-cased string per name; repeated headers are joined with ", " (RFC 9110 list syntax;
 * `set-cookie` is joined too, which is fine for a delivery log).
 */
export function flattenHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const key = name.toLowerCase();
    const text = Array.isArray(value) ? value.join(', ') : value;
    flat[key] = key in flat ? `${flat[key]}, ${text}` : text;
  }
  return flat;
}
