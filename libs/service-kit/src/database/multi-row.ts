/**
 * Builds `($1,$2,…),($n,…)` placeholders and the flat parameter list for a multi-row INSERT/UPSERT, so a batch of
 * rows costs one round trip. Postgres allows at most 65,535 parameters per statement; callers chunk with `chunkRows`.
 */
export function multiRowValues(rows: unknown[][], casts: string[] = []): { sql: string; params: unknown[] } {
  const params: unknown[] = [];
  const tuples = rows.map((row) => {
    const slots = row.map((value, i) => {
      params.push(value);
      return `$${params.length}${casts[i] ? `::${casts[i]}` : ''}`;
    });
    return `(${slots.join(',')})`;
  });
  return { sql: tuples.join(','), params };
}

/** Splits rows into chunks that stay under Postgres' parameter limit. */
export function chunkRows<T extends unknown[]>(rows: T[], columns: number, maxParams = 60000): T[][] {
  const size = Math.max(1, Math.floor(maxParams / Math.max(1, columns)));
  const chunks: T[][] = [];
  for (let i = 0; i < rows.length; i += size) chunks.push(rows.slice(i, i + size));
  return chunks;
}
