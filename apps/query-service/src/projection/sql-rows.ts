import { EntityManager } from 'typeorm';
import { chunkRows, multiRowValues } from '@hookline/service-kit';

/**
 * Runs `INSERT INTO <head> VALUES <rows> <tail>` as few statements as Postgres' parameter limit allows and returns
 * the rows of every RETURNING clause. `casts` type the placeholders (`jsonb`, `text[]`, `timestamptz`…) so Postgres
 * does not have to guess from the first row.
 */
export async function insertRows<R = unknown>(em: EntityManager, head: string, rows: unknown[][], tail: string, casts: string[] = []): Promise<R[]> {
  if (rows.length === 0) return [];
  // Rows in key order: concurrent batch transactions (one per partition) then lock shared rows (endpoint health) in the
  // same order and cannot deadlock each other.
  const sorted = rows.map((row) => ({ row, key: keyOf(row) })).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)).map((r) => r.row);
  const out: R[] = [];
  for (const chunk of chunkRows(sorted, rows[0].length)) {
    const { sql, params } = multiRowValues(chunk, casts);
    const result = await em.query(`INSERT INTO ${head} VALUES ${sql} ${tail}`, params);
    if (Array.isArray(result)) out.push(...(result as R[]));
  }
  return out;
}

const keyOf = (row: unknown[]): string => `${String(row[0])}\u0000${String(row[1])}`;

/** JSON for a jsonb parameter (node-postgres would send arrays as Postgres arrays otherwise). */
export const json = (value: unknown): string | null => (value === undefined || value === null ? null : JSON.stringify(value));
