import { PayloadFilter } from '@hookline/contracts';

/**
 * Payload filters: `{ "<dotted.path>": <value> | { "$op": operand }, "$or": [filter…], "$and": [filter…] }`.
 * Paths are read from the message payload; a bare value means `$eq`.
 */
const OPERATORS = ['$eq', '$ne', '$gt', '$gte', '$lt', '$lte', '$in', '$nin', '$exists', '$contains'] as const;
type Operator = (typeof OPERATORS)[number];

/** Problems with a filter, each prefixed with its JSON pointer inside the filter; empty when valid. */
export function validatePayloadFilter(filter: unknown, pointer = '/filter', depth = 0): string[] {
  if (depth > 8) return [`${pointer}: filter nests too deeply (max 8)`];
  if (typeof filter !== 'object' || filter === null || Array.isArray(filter)) return [`${pointer}: must be an object`];
  const problems: string[] = [];
  for (const [key, value] of Object.entries(filter)) {
    const here = `${pointer}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
    if (key === '$or' || key === '$and') {
      if (!Array.isArray(value) || value.length === 0) problems.push(`${here}: must be a non-empty array of filters`);
      else value.forEach((sub, i) => problems.push(...validatePayloadFilter(sub, `${here}/${i}`, depth + 1)));
      continue;
    }
    if (key.startsWith('$')) {
      problems.push(`${here}: unknown logical operator (use $or or $and, or a field path)`);
      continue;
    }
    if (isOperatorObject(value)) {
      for (const [op, operand] of Object.entries(value)) {
        if (!(OPERATORS as readonly string[]).includes(op)) problems.push(`${here}/${op}: unknown operator (one of ${OPERATORS.join(', ')})`);
        else if ((op === '$in' || op === '$nin') && !Array.isArray(operand)) problems.push(`${here}/${op}: must be an array`);
        else if (op === '$exists' && typeof operand !== 'boolean') problems.push(`${here}/${op}: must be true or false`);
      }
    }
  }
  return problems;
}

function isOperatorObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).some((k) => k.startsWith('$'));
}

function readPath(payload: unknown, path: string): { found: boolean; value: unknown } {
  let current: unknown = payload;
  for (const part of path.split('.')) {
    // Own properties only: `in` would find `constructor` or `toString` on every object and `$exists` would lie.
    if (typeof current !== 'object' || current === null || !Object.hasOwn(current, part)) return { found: false, value: undefined };
    current = (current as Record<string, unknown>)[part];
  }
  return { found: true, value: current };
}

function equal(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  return JSON.stringify(a) === JSON.stringify(b);
}

function compare(a: unknown, b: unknown): number | null {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  return null;
}

function applyOperator(op: Operator, operand: unknown, field: { found: boolean; value: unknown }): boolean {
  const v = field.value;
  switch (op) {
    case '$eq':
      return field.found && equal(v, operand);
    case '$ne':
      return !field.found || !equal(v, operand);
    case '$gt':
    case '$gte':
    case '$lt':
    case '$lte': {
      const c = field.found ? compare(v, operand) : null;
      if (c === null) return false;
      return op === '$gt' ? c > 0 : op === '$gte' ? c >= 0 : op === '$lt' ? c < 0 : c <= 0;
    }
    case '$in':
      return field.found && (operand as unknown[]).some((o) => equal(v, o));
    case '$nin':
      return !field.found || !(operand as unknown[]).some((o) => equal(v, o));
    case '$exists':
      return field.found === operand;
    case '$contains':
      return field.found && (Array.isArray(v) ? v.some((x) => equal(x, operand)) : typeof v === 'string' && typeof operand === 'string' && v.includes(operand));
  }
}

/** True when the payload satisfies the filter (a validated filter; see validatePayloadFilter). */
export function matchesPayloadFilter(filter: PayloadFilter, payload: unknown): boolean {
  for (const [key, condition] of Object.entries(filter)) {
    if (key === '$or') {
      if (!(condition as PayloadFilter[]).some((f) => matchesPayloadFilter(f, payload))) return false;
      continue;
    }
    if (key === '$and') {
      if (!(condition as PayloadFilter[]).every((f) => matchesPayloadFilter(f, payload))) return false;
      continue;
    }
    const field = readPath(payload, key);
    if (isOperatorObject(condition)) {
      for (const [op, operand] of Object.entries(condition)) {
        if (!applyOperator(op as Operator, operand, field)) return false;
      }
    } else if (!applyOperator('$eq', condition, field)) {
      return false;
    }
  }
  return true;
}
