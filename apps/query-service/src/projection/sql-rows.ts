import { EntityManager } from 'typeorm';
import { columnRowsInsert } from '@hookline/service-kit';

/**
 * Runs `INSERT INTO <head> … <tail>` for `rows` as one statement with one JSON parameter per column (see
 * `columnRowsInsert`) and returns the rows of its RETURNING clause. `head` is `table [AS alias] (column type, …)`; each
 * row holds those columns' values in order, a jsonb column's as the value itself (an object, not JSON text; undefined is
 * stored as NULL).
 */
export async function insertRows<R = unknown>(em: EntityManager, head: string, rows: unknown[][], tail: string): Promise<R[]> {
  if (rows.length === 0) return [];
  // Rows in key order: concurrent batch transactions (one per partition) then lock shared rows (endpoint health) in the
  // same order and cannot deadlock each other. Postgres inserts the zipped rows in the order they come.
  const sorted = rows.map((row) => ({ row, key: keyOf(row) })).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)).map((r) => r.row);
  const { sql, params } = columnRowsInsert(head, sorted);
  const result = await em.query(`${sql} ${tail}`, params);
  return Array.isArray(result) ? (result as R[]) : [];
}

const keyOf = (row: unknown[]): string => `${String(row[0])}\u0000${String(row[1])}`;
