/** A reference or a schema that can't be imported; the caller names the webhook it was met in. */
export class RefProblem extends Error {}

/** RFC 6901: `/` and `~` inside a token are escaped. */
export const pointerToken = (token: string): string => token.replace(/~/g, '~0').replace(/\//g, '~1');

/** `base` followed by each token, escaped. */
export const joinPointer = (base: string, ...tokens: string[]): string => base + tokens.map((t) => `/${pointerToken(t)}`).join('');

/** A JSON object (not an array, not null). */
export const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * The value a local reference (`#/components/schemas/Invoice`) names in `document`, or undefined. Only own properties
 * are followed: `#/components/schemas/__proto__` names nothing, not Object.prototype.
 */
export function resolveLocalRef(document: unknown, ref: string): unknown {
  if (!ref.startsWith('#')) return undefined;
  let pointer: string;
  try {
    // A reference is a URI: its fragment may be percent-encoded (`#/components/schemas/Invoice%20Paid`).
    pointer = decodeURIComponent(ref.slice(1));
  } catch {
    return undefined;
  }
  if (pointer !== '' && !pointer.startsWith('/')) return undefined;
  let node = document;
  for (const raw of pointer === '' ? [] : pointer.slice(1).split('/')) {
    const token = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(node) && /^(0|[1-9]\d*)$/.test(token)) node = node[Number(token)];
    else if (isObject(node) && Object.hasOwn(node, token)) node = node[token];
    else return undefined;
  }
  return node;
}

/** A `$ref` object's reference, when `value` is one. */
const refOf = (value: unknown): string | null => (isObject(value) && typeof value.$ref === 'string' ? value.$ref : null);

function followRef(document: unknown, ref: string, chain: readonly string[]): unknown {
  if (!ref.startsWith('#')) throw new RefProblem(`$ref "${ref}" points outside the document: only local references (#/components/…) are imported`);
  if (chain.includes(ref)) {
    throw new RefProblem(`$ref "${ref}" refers back to itself (${[...chain.slice(chain.indexOf(ref)), ref].join(' → ')}): a recursive schema can't be inlined`);
  }
  const target = resolveLocalRef(document, ref);
  if (target === undefined) throw new RefProblem(`$ref "${ref}" names nothing in the document`);
  return target;
}

/**
 * Follows `$ref`s until `value` is no reference (a path item, a request body: OpenAPI objects, inlined whole). Their
 * sibling keywords are ignored, as OpenAPI says for every object but a 3.1 Schema Object.
 */
export function dereference(document: unknown, value: unknown): unknown {
  const chain: string[] = [];
  for (let ref = refOf(value); ref !== null; ref = refOf(value)) {
    value = followRef(document, ref, chain);
    chain.push(ref);
  }
  return value;
}

export interface InlineOptions {
  /** OpenAPI 3.0 ignores keywords beside a `$ref`; in 3.1 (JSON Schema 2020-12) they apply as well. */
  refSiblings: 'ignored' | 'applied';
  /** Most JSON values the result may hold: `$ref`s to `$ref`s make a small document grow exponentially once inlined. */
  maxValues: number;
}

// Values of these keywords are data (instances), not schemas: a `$ref` inside them is text to keep.
const DATA_KEYWORDS = new Set(['enum', 'const', 'default', 'example', 'examples']);
/** Keywords whose value maps names to subschemas: a property named `default` there is a schema, not data. */
export const SCHEMA_MAP_KEYWORDS = new Set(['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas']);
// Siblings that only annotate: merged into the referenced schema instead of wrapping it in allOf.
const ANNOTATIONS = new Set(['title', 'description', 'summary', 'deprecated', 'readOnly', 'writeOnly', 'example', 'examples', '$comment']);

/**
 * A schema with every local `$ref` replaced by a copy of what it names, so it stands alone as an event type's schema.
 * Throws a RefProblem naming the reference for a cycle (recursive schemas can't be inlined), a reference outside the
 * document or to nothing, and a result of more than `maxValues` values. Objects are built with Object.fromEntries, so
 * a `__proto__` key stays a key.
 */
export function inlineRefs(document: unknown, schema: unknown, options: InlineOptions): unknown {
  let values = 0;
  const visit = (value: unknown, chain: readonly string[], names = false): unknown => {
    if (++values > options.maxValues) throw new RefProblem(`holds more than ${options.maxValues} values once its $refs are inlined`);
    if (Array.isArray(value)) return value.map((v) => visit(v, chain));
    if (!isObject(value)) return value;
    if (names) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, visit(v, chain)]));
    const ref = refOf(value);
    const target = ref === null ? undefined : visit(followRef(document, ref, chain), [...chain, ref]);
    if (ref !== null && options.refSiblings === 'ignored') return target;
    const copied = Object.fromEntries(
      Object.entries(value).filter(([k]) => ref === null || k !== '$ref').map(([k, v]) => [k, DATA_KEYWORDS.has(k) ? v : visit(v, chain, SCHEMA_MAP_KEYWORDS.has(k))]),
    );
    if (ref === null) return copied;
    const siblings = Object.keys(copied);
    if (siblings.length === 0) return target;
    if (isObject(target) && siblings.every((k) => ANNOTATIONS.has(k))) return { ...target, ...copied };
    return { ...copied, allOf: [target, ...(Array.isArray(copied.allOf) ? copied.allOf : [])] };
  };
  return visit(schema, []);
}
