import { SCHEMA_MAP_KEYWORDS, isObject } from './openapi-refs';

/** The OpenAPI versions imported: 3.0 (webhooks under `x-webhooks`) and 3.1 or later (`webhooks`). */
export type OpenApiVersion = '3.0' | '3.1';

type Schema = Record<string, unknown>;

// Where a schema holds subschemas (OpenAPI 3.0's few and JSON Schema 2020-12's); every other value is kept as it is.
const ONE = new Set(['additionalProperties', 'items', 'not', 'contains', 'propertyNames', 'if', 'then', 'else', 'unevaluatedItems', 'unevaluatedProperties', 'additionalItems']);
const LIST = new Set(['allOf', 'anyOf', 'oneOf', 'prefixItems']);

/**
 * An OpenAPI Schema Object (its `$ref`s inlined) as the JSON Schema 2020-12 payloads are validated with. From 3.0:
 * `nullable: true` adds "null" to the type (and to an enum), and a boolean `exclusiveMinimum`/`exclusiveMaximum` becomes
 * the number it bounds. In both versions `example` becomes `examples`, where test messages take their example payload
 * from, and `$schema` naming OpenAPI's own dialect is dropped (2020-12 is what it extends).
 */
export function toJsonSchema(schema: unknown, version: OpenApiVersion): unknown {
  if (!isObject(schema)) return schema;
  const out: Schema = Object.fromEntries(
    Object.entries(schema).map(([key, value]) => {
      if (ONE.has(key)) return [key, toJsonSchema(value, version)];
      if (LIST.has(key) && Array.isArray(value)) return [key, value.map((v) => toJsonSchema(v, version))];
      if (SCHEMA_MAP_KEYWORDS.has(key) && isObject(value)) return [key, Object.fromEntries(Object.entries(value).map(([name, v]) => [name, toJsonSchema(v, version)]))];
      return [key, value];
    }),
  );
  if (typeof out.$schema === 'string' && out.$schema.startsWith('https://spec.openapis.org/oas/')) delete out.$schema;
  if ('example' in out) {
    if (!Array.isArray(out.examples)) out.examples = [out.example];
    delete out.example;
  }
  return version === '3.0' ? fromOpenApi30Keywords(out) : out;
}

function fromOpenApi30Keywords(schema: Schema): Schema {
  // 3.0.3: nullable "adds null to the allowed types specified by the type keyword, only if type is explicitly defined".
  if (schema.nullable === true && typeof schema.type === 'string') {
    schema.type = [schema.type, 'null'];
    if (Array.isArray(schema.enum) && !schema.enum.includes(null)) schema.enum = [...schema.enum, null];
  }
  delete schema.nullable;
  for (const [flag, bound] of [['exclusiveMinimum', 'minimum'], ['exclusiveMaximum', 'maximum']] as const) {
    if (typeof schema[flag] !== 'boolean') continue;
    if (schema[flag] && typeof schema[bound] === 'number') {
      schema[flag] = schema[bound];
      delete schema[bound];
    } else delete schema[flag];
  }
  return schema;
}

/** The body Hookline sends for every message (Standard Webhooks): the event type's schema describes `data`. */
const ENVELOPE = ['type', 'timestamp', 'data'];

/**
 * The payload's schema from a webhook's request body schema. A body described as the Standard Webhooks envelope (an
 * object with `type`, `timestamp` and `data` properties) gives `data`'s schema: Hookline builds that envelope itself,
 * with the event type's name as `type`, and validates only what is published as the payload. Any other schema is the
 * payload's. Returns a problem's text for an envelope Hookline can't send as described: other top-level properties,
 * or a `type` fixed to another name than the webhook's.
 */
export function payloadSchemaOf(body: unknown, name: string): { schema: unknown } | { problem: string } {
  const properties = isObject(body) && isObject(body.properties) ? body.properties : null;
  if (!properties || !ENVELOPE.every((p) => Object.hasOwn(properties, p))) return { schema: body };
  const others = Object.keys(properties).filter((p) => !ENVELOPE.includes(p));
  if (others.length) {
    return { problem: `the body is a Standard Webhooks envelope ({type, timestamp, data}) with other top-level properties (${others.join(', ')}), which Hookline does not send: describe them inside data` };
  }
  const fixed = fixedValue(properties.type);
  if (fixed !== undefined && fixed !== name) {
    return { problem: `the envelope's type is fixed to ${JSON.stringify(fixed)}, but the event type is named after the webhook's key, "${name}", and Hookline sends that as type` };
  }
  return { schema: properties.data };
}

function fixedValue(schema: unknown): unknown {
  if (!isObject(schema)) return undefined;
  if ('const' in schema) return schema.const;
  return Array.isArray(schema.enum) && schema.enum.length === 1 ? schema.enum[0] : undefined;
}
