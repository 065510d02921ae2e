import { EntityManager } from 'typeorm';

/**
 * Runs `INSERT INTO <head> SELECT … FROM json_populate_recordset(NULL::<table>, $1) <tail>`: every row in ONE JSON
 * parameter, typed by the table itself, and returns the rows of the RETURNING clause. `head` is `table [AS alias] (columns)`;
 * each row holds the values of those columns in order. A value whose `casts` entry is `jsonb` is JSON text already (see
 * `json`) and goes in as it is; the others are JSON-encoded (arrays become Postgres arrays, ISO strings timestamps).
 *
 * Why not a multi-row `VALUES ($1,$2,…),(…)`: its text grows with every value, and Postgres spent about as long parsing
 * and binding it as running it. Rebuilding a bench run's read models (29,000 events), the attempts inserts took 156 ms to
 * parse, 216 ms to bind and 193 ms to execute; as one JSON parameter, 39 ms to bind and 379 ms to execute. The attempts,
 * deliveries and messages statements together went from 1,168 ms to 930 ms of Postgres time (log_min_duration_statement).
 * This statement's text is the same for any number of rows, and there is no parameter limit to split for.
 */
export async function insertRows<R = unknown>(em: EntityManager, head: string, rows: unknown[][], tail: string, casts: string[] = []): Promise<R[]> {
  if (rows.length === 0) return [];
  const { table, columns } = parseHead(head);
  if (rows.some((row) => row.length !== columns.length)) throw new Error(`insertRows: every row of ${table} needs ${columns.length} values`);
  // Rows in key order: concurrent batch transactions (one per partition) then lock shared rows (endpoint health) in the
  // same order and cannot deadlock each other. Postgres inserts the set's rows in the order they come.
  const sorted = rows.map((row) => ({ row, key: keyOf(row) })).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)).map((r) => r.row);
  const select = columns.map((c) => `"${c}"`).join(', ');
  const result = await em.query(`INSERT INTO ${head} SELECT ${select} FROM json_populate_recordset(NULL::${table}, $1) ${tail}`,
    [rowsAsJson(sorted, columns, casts)]);
  return Array.isArray(result) ? (result as R[]) : [];
}

const keyOf = (row: unknown[]): string => `${String(row[0])}\u0000${String(row[1])}`;

const HEAD = /^\s*([A-Za-z_][\w.]*)(?:\s+AS\s+[A-Za-z_]\w*)?\s*\(([^)]*)\)\s*$/is;

/** `endpoint_health AS h (endpoint_id, "offset")` → the table and the bare column names. */
export function parseHead(head: string): { table: string; columns: string[] } {
  const m = HEAD.exec(head);
  if (!m) throw new Error(`insertRows: cannot read the table and columns of "${head}"`);
  return { table: m[1], columns: m[2].split(',').map((c) => c.trim().replace(/^"(.*)"$/, '$1')) };
}

/** The rows as a JSON array of objects keyed by column, jsonb values spliced in as the JSON text they are. */
export function rowsAsJson(rows: unknown[][], columns: string[], casts: string[]): string {
  const keys = columns.map((c) => `${JSON.stringify(c)}:`);
  const raw = columns.map((_, i) => casts[i] === 'jsonb');
  const parts: string[] = [];
  for (const row of rows) {
    let obj = '{';
    for (let i = 0; i < row.length; i++) {
      const v = row[i];
      obj += (i ? ',' : '') + keys[i] + (v === null || v === undefined ? 'null' : raw[i] ? (v as string) : JSON.stringify(v));
    }
    parts.push(`${obj}}`);
  }
  return `[${parts.join(',')}]`;
}

/** JSON for a jsonb value (a string here, so that it is not encoded twice). */
export const json = (value: unknown): string | null => (value === undefined || value === null ? null : JSON.stringify(value));
