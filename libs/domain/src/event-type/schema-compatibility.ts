type Schema = Record<string, unknown>;

const asSchema = (v: unknown): Schema | null => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Schema) : null);

function typesOf(schema: Schema): Set<string> | null {
  const t = schema['type'];
  if (t === undefined) return null; // unconstrained
  const list = Array.isArray(t) ? t.map(String) : [String(t)];
  // JSON Schema: every integer is a number, so number ⊇ integer.
  const set = new Set(list);
  return set;
}

/** A property name as a JSON pointer segment (RFC 6901), so `a/b` is not mistaken for `b` inside `a`. */
const segment = (name: string): string => name.replace(/~/g, '~0').replace(/\//g, '~1');

function accepts(types: Set<string>, type: string): boolean {
  return types.has(type) || (type === 'integer' && types.has('number'));
}

/**
 * What makes `next` break payloads that were valid under `previous`, as one line per problem with a JSON pointer.
 * Receivers were written against the old schema and publishers send payloads built for it, so a new version must
 * not drop properties, make a property that was optional required, narrow a type, or drop enum values.
 */
export function schemaBreakingChanges(previous: unknown, next: unknown, pointer = ''): string[] {
  const prev = asSchema(previous);
  const nxt = asSchema(next);
  if (!prev || !nxt) return [];
  const problems: string[] = [];
  const at = pointer || '/';

  const prevTypes = typesOf(prev);
  const nextTypes = typesOf(nxt);
  if (nextTypes && !prevTypes) {
    problems.push(`${at}: type narrowed from any to ${[...nextTypes].join('|')}`);
  } else if (prevTypes && nextTypes) {
    const lost = [...prevTypes].filter((t) => !accepts(nextTypes, t));
    if (lost.length) problems.push(`${at}: type narrowed, no longer accepts ${lost.join('|')}`);
  }

  if (Array.isArray(prev['enum']) && Array.isArray(nxt['enum'])) {
    const nextValues = new Set((nxt['enum'] as unknown[]).map((v) => JSON.stringify(v)));
    const dropped = (prev['enum'] as unknown[]).filter((v) => !nextValues.has(JSON.stringify(v)));
    if (dropped.length) problems.push(`${at}: enum no longer allows ${dropped.map((v) => JSON.stringify(v)).join(', ')}`);
  } else if (!Array.isArray(prev['enum']) && Array.isArray(nxt['enum'])) {
    problems.push(`${at}: restricted to an enum`);
  }

  const prevRequired = new Set(Array.isArray(prev['required']) ? (prev['required'] as string[]) : []);
  const nextRequired = new Set(Array.isArray(nxt['required']) ? (nxt['required'] as string[]) : []);
  for (const name of prevRequired) {
    if (!nextRequired.has(name)) problems.push(`${pointer}/${segment(name)}: required field removed or made optional`);
  }
  for (const name of nextRequired) {
    if (!prevRequired.has(name)) problems.push(`${pointer}/${segment(name)}: new required field (payloads built for the previous version lack it)`);
  }

  const prevProps = asSchema(prev['properties']) ?? {};
  const nextProps = asSchema(nxt['properties']) ?? {};
  for (const [name, sub] of Object.entries(prevProps)) {
    if (!(name in nextProps)) {
      if (!prevRequired.has(name) && nxt['additionalProperties'] !== false) continue;
      if (!prevRequired.has(name)) problems.push(`${pointer}/${segment(name)}: property removed while additional properties are refused`);
      continue;
    }
    problems.push(...schemaBreakingChanges(sub, nextProps[name], `${pointer}/${segment(name)}`));
  }
  if (prev['additionalProperties'] !== false && nxt['additionalProperties'] === false) {
    problems.push(`${at}: additional properties are no longer allowed`);
  }

  if (prev['items'] !== undefined || nxt['items'] !== undefined) {
    problems.push(...schemaBreakingChanges(prev['items'] ?? {}, nxt['items'] ?? {}, `${pointer}/items`));
  }

  for (const [key, tighter] of [['maxLength', 'lower'], ['maximum', 'lower'], ['maxItems', 'lower'], ['minLength', 'higher'], ['minimum', 'higher'], ['minItems', 'higher']] as const) {
    const a = prev[key];
    const b = nxt[key];
    if (typeof b !== 'number') continue;
    if (typeof a !== 'number' || (tighter === 'lower' ? b < a : b > a)) problems.push(`${at}: ${key} tightened to ${b}`);
  }
  return problems;
}
