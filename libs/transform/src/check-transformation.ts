import jsonata from 'jsonata';

/** Longest expression an endpoint may hold: it travels in every endpoint event and is compiled by every dispatcher. */
export const TRANSFORMATION_MAX_LENGTH = 16_384;

/**
 * Why an endpoint's transformation cannot be used (null: it can): too long, or not a JSONata expression, said with
 * where the parser stopped. Only the syntax is checked; an expression can still fail on a given message, and that is
 * a failed attempt, not a refused setting.
 */
export function transformationProblem(expression: string): string | null {
  if (expression.trim() === '') return 'must be a JSONata expression, not blank';
  if (expression.length > TRANSFORMATION_MAX_LENGTH) return `must be at most ${TRANSFORMATION_MAX_LENGTH} characters`;
  try {
    jsonata(expression);
    return null;
  } catch (err) {
    const e = err as { message?: string; position?: number; token?: string };
    const where = typeof e.position === 'number' ? ` at character ${e.position}` : '';
    return `is not a JSONata expression${where}: ${e.message ?? String(err)}`;
  }
}
