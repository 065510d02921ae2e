/**
 * A payload that fits a JSON Schema, for a test message sent to an endpoint when the sender gives none (as Svix's
 * portal sends an event type's example): the schema's own `examples`, `default`, `const` or first `enum` value where it
 * has one, else a plain value of the type, shaped like the documents the endpoint will get. Every property is filled,
 * not only the required ones, so a receiver sees each field it may meet. Not a validator: a schema whose rules this
 * cannot meet (a pattern, a number range that excludes 0 with no minimum) may yield a payload it refuses, and the
 * sender is told so by the validation that every message goes through.
 */
export function examplePayload(schema: unknown): unknown {
  return exampleOf(schema, 0);
}

/** Deeper than this, a (recursive) schema gets null. */
const MAX_DEPTH = 8;

type Schema = Record<string, unknown>;

function exampleOf(schema: unknown, depth: number): unknown {
  if (!schema || typeof schema !== 'object' || depth > MAX_DEPTH) return depth === 0 ? {} : null;
  const s = schema as Schema;
  if (Array.isArray(s.examples) && s.examples.length) return s.examples[0];
  if ('default' in s) return s.default;
  if ('const' in s) return s.const;
  if (Array.isArray(s.enum) && s.enum.length) return s.enum[0];
  for (const key of ['allOf', 'anyOf', 'oneOf'] as const) {
    const parts = s[key];
    if (!Array.isArray(parts) || !parts.length) continue;
    // allOf: every part's properties together; anyOf/oneOf: the first alternative.
    if (key === 'allOf') return parts.reduce<unknown>((acc, part) => merge(acc, exampleOf(part, depth + 1)), exampleOf({ ...s, allOf: undefined }, depth));
    return exampleOf(parts[0], depth + 1);
  }
  const type = Array.isArray(s.type) ? (s.type.find((t) => t !== 'null') ?? 'null') : s.type ?? (s.properties ? 'object' : undefined);
  switch (type) {
    case 'object': {
      const properties = (s.properties ?? {}) as Record<string, unknown>;
      return Object.fromEntries(Object.entries(properties).map(([name, sub]) => [name, exampleOf(sub, depth + 1)]));
    }
    case 'array': {
      const count = Math.max(1, typeof s.minItems === 'number' ? s.minItems : 1);
      return Array.from({ length: Math.min(count, 3) }, () => exampleOf(s.items, depth + 1));
    }
    case 'string':
      return exampleString(s);
    case 'integer':
      return typeof s.minimum === 'number' ? Math.ceil(s.minimum) : typeof s.exclusiveMinimum === 'number' ? Math.floor(s.exclusiveMinimum) + 1 : 0;
    case 'number':
      return typeof s.minimum === 'number' ? s.minimum : typeof s.exclusiveMinimum === 'number' ? s.exclusiveMinimum + 1 : 0;
    case 'boolean':
      return false;
    case 'null':
      return null;
    default:
      return depth === 0 ? {} : null;
  }
}

const FORMATS: Record<string, string> = {
  'date-time': '2026-01-01T12:00:00Z',
  date: '2026-01-01',
  time: '12:00:00Z',
  email: 'jane@example.com',
  uri: 'https://example.com/',
  url: 'https://example.com/',
  uuid: '00000000-0000-4000-8000-000000000000',
  ipv4: '192.0.2.1',
  ipv6: '2001:db8::1',
  hostname: 'example.com',
};

function exampleString(s: Schema): string {
  const formatted = typeof s.format === 'string' ? FORMATS[s.format] : undefined;
  if (formatted) return formatted;
  const min = typeof s.minLength === 'number' ? s.minLength : 0;
  const max = typeof s.maxLength === 'number' ? s.maxLength : Infinity;
  const base = 'string';
  return (base.length >= min ? base : base.padEnd(min, 'x')).slice(0, Math.max(min, Math.min(base.length, max)));
}

function merge(a: unknown, b: unknown): unknown {
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  return isObject(a) && isObject(b) ? { ...a, ...b } : b ?? a;
}
