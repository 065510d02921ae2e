import { FieldProblem, unstorableText } from '@hookline/service-kit';

/**
 * Deepest nesting accepted anywhere in a request (payloads, schemas, filters, metadata). Validation, JSON Schema and
 * Postgres jsonb all recurse; a 3,000-level payload overflowed the stack in class-transformer and answered 500.
 */
export const MAX_JSON_DEPTH = 64;

interface Visit {
  value: unknown;
  depth: number;
  parent: Visit | null;
  key: string;
}

/** RFC 6901 pointer of a visited value, built only when there is a problem to report (it runs on every request). */
function pointerOf(visit: Visit, base: string): string {
  const tokens: string[] = [];
  for (let v: Visit | null = visit; v && v.parent; v = v.parent) tokens.push(v.key.replace(/~/g, '~0').replace(/\//g, '~1'));
  return base + tokens.reverse().map((t) => `/${t}`).join('');
}

/**
 * The first part of `value` Hookline can't accept, or null: nesting deeper than MAX_JSON_DEPTH, or a string or key that
 * Postgres text and jsonb can't hold: a NUL character (U+0000), or a lone UTF-16 surrogate (`"\ud800"` is valid JSON
 * syntax, but not Unicode). Either would make the write model, the idempotency store, the message index, the
 * dispatcher's retry store and the read models fail on it. Iterative, so a hostile document can't exhaust the stack
 * here either.
 */
export function jsonStorageProblem(value: unknown, pointer = ''): FieldProblem | null {
  const stack: Visit[] = [{ value, depth: 0, parent: null, key: '' }];
  while (stack.length) {
    const visit = stack.pop()!;
    const v = visit.value;
    if (typeof v === 'string') {
      const problem = unstorableText(v);
      if (problem) return { pointer: pointerOf(visit, pointer), detail: `must not contain ${problem}` };
      continue;
    }
    if (v === null || typeof v !== 'object') continue;
    if (visit.depth >= MAX_JSON_DEPTH) return { pointer: pointerOf(visit, pointer), detail: `nested deeper than ${MAX_JSON_DEPTH} levels` };
    for (const key of Object.keys(v)) {
      const child: Visit = { value: (v as Record<string, unknown>)[key], depth: visit.depth + 1, parent: visit, key };
      const problem = unstorableText(key);
      if (problem) return { pointer: pointerOf(child, pointer), detail: `keys must not contain ${problem}` };
      stack.push(child);
    }
  }
  return null;
}
