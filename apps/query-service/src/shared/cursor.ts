import { ProblemError } from '@hookline/service-kit';

/** A keyset position: the (created_at, id) of the last row of a page. Opaque to clients (base64url JSON). */
export interface Cursor {
  at: string;
  id: string;
}

export function encodeCursor(at: Date | string, id: string): string {
  return Buffer.from(JSON.stringify([new Date(at).toISOString(), id]), 'utf8').toString('base64url');
}

/** Decodes a cursor a previous page returned; anything else is a 400 naming the `cursor` parameter. */
export function decodeCursor(token: string | undefined): Cursor | null {
  if (token === undefined || token === '') return null;
  try {
    const [at, id] = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as [string, string];
    if (typeof at !== 'string' || typeof id !== 'string' || Number.isNaN(Date.parse(at))) throw new Error('shape');
    return { at, id };
  } catch {
    throw new ProblemError('validation', 'invalid cursor: pass the next_cursor of a previous page unchanged',
      [{ pointer: '/cursor', detail: 'not a cursor returned by this API' }]);
  }
}

export interface Page<T> {
  data: T[];
  /** Null on the last page. */
  next_cursor: string | null;
}

/**
 * Builds a page from `limit + 1` fetched rows: the extra row only says whether there is a next page. Pages are newest
 * first, keyed on (created_at, id) strictly below the cursor, so rows arriving during pagination (newer) never shift
 * a page and every row is returned exactly once.
 */
export function toPage<R, T>(rows: R[], limit: number, keyOf: (row: R) => { at: Date | string; id: string }, map: (row: R) => T): Page<T> {
  const more = rows.length > limit;
  const page = more ? rows.slice(0, limit) : rows;
  const last = page[page.length - 1];
  return { data: page.map(map), next_cursor: more && last ? encodeCursor(keyOf(last).at, keyOf(last).id) : null };
}
