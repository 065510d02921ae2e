import { storableJson } from './storable-text';

/** Column types a head may declare: what the read models and the message index use. */
const SCALAR_TYPES = new Set(['text', 'int', 'smallint', 'bigint', 'boolean', 'timestamptz', 'double precision', 'jsonb']);

/** A typed column list: `table [AS alias] (col type, "col" type[], …)`. */
const HEAD = /^\s*([A-Za-z_][\w.]*(?:\s+AS\s+[A-Za-z_]\w*)?)\s*\(([^)]*)\)\s*$/is;
const COLUMN = /^("?)([A-Za-z_]\w*)\1\s+(.+?)\s*$/s;

export interface InsertColumn {
  name: string;
  /** `text`, `int`, `jsonb`, `text[]`, … (see SCALAR_TYPES; any of them but jsonb with `[]`). */
  type: string;
}

/** `endpoint_health AS h (endpoint_id text, "offset" bigint)` → the target (with its alias) and the typed columns. */
export function parseInsertHead(head: string): { target: string; columns: InsertColumn[] } {
  const m = HEAD.exec(head);
  if (!m) throw new Error(`cannot read the table and columns of "${head}"`);
  const columns = m[2].split(',').map((text) => {
    const c = COLUMN.exec(text.trim());
    if (!c) throw new Error(`column "${text.trim()}" of "${m[1]}" needs a name and a type`);
    const type = c[3].replace(/\s+/g, ' ').toLowerCase();
    const scalar = type.endsWith('[]') ? type.slice(0, -2) : type;
    if (!SCALAR_TYPES.has(scalar) || type === 'jsonb[]') throw new Error(`column ${c[2]} of "${m[1]}" has a type this insert cannot send: ${c[3]}`);
    return { name: c[2], type };
  });
  return { target: m[1].replace(/\s+/g, ' '), columns };
}

/** A Postgres array literal (`{"a","b\"c",NULL}`) for a JS array; a string is taken to be one already. */
export function arrayLiteral(value: unknown): unknown {
  if (!Array.isArray(value)) return value;
  return `{${value.map((v) => (v === null || v === undefined ? 'NULL' : `"${String(v).replace(/["\\]/g, '\\$&')}"`)).join(',')}}`;
}

/**
 * One JSON array per column (`JSON.stringify` of that column's values). Undefined is sent as null; a jsonb column's
 * value is the JSON itself (an object, an array, a string…); an array column's value is a JS array or a Postgres
 * array literal. U+0000 and lone surrogates become U+FFFD (see storableJson).
 */
export function columnsAsJson(rows: unknown[][], columns: InsertColumn[]): string[] {
  const values = columns.map(() => new Array<unknown>(rows.length));
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r];
    if (row.length !== columns.length) throw new Error(`a row has ${row.length} values for ${columns.length} columns`);
    for (let i = 0; i < columns.length; i++) values[i][r] = row[i] === undefined ? null : row[i];
  }
  return values.map((column, i) => storableJson(JSON.stringify(columns[i].type.endsWith('[]') ? column.map(arrayLiteral) : column)));
}

/**
 * `INSERT INTO <head> SELECT … FROM ROWS FROM (jsonb_array_elements_text($1::jsonb), …)` and its parameters: the rows
 * sent column by column, one JSON array per column, zipped back into rows by Postgres and cast to the head's types. A
 * jsonb column takes its elements as they are (JSON null as NULL). Append `ON CONFLICT …`/`RETURNING …` to the SQL as
 * needed. The text is the same for any number of rows, and no parameter limit needs splitting for.
 *
 * Why columns, not one JSON array of row objects (`json_populate_recordset`, used before): Postgres reads every row
 * object's keys into a lookup of its own, and that was most of the statement. Inserting 300,000 read-model attempts in
 * transactions of 10,000 took 15–19 s as row objects and 10 s as columns (Node's share: 1.3–1.6 and 1.8 s of CPU); a
 * read-model rebuild of a 600,000-event log, 27.3 and 28.0 s before, 22.8 and 24.5 s after. Multi-row
 * `VALUES ($1,$2,…),(…)` was worse than either: Postgres spent as long parsing and binding its text as running it.
 */
export function columnRowsInsert(head: string, rows: unknown[][]): { sql: string; params: string[] } {
  const { target, columns } = parseInsertHead(head);
  const from = columns.map((c, i) => `${c.type === 'jsonb' ? 'jsonb_array_elements' : 'jsonb_array_elements_text'}($${i + 1}::jsonb)`);
  const select = columns.map((c, i) => (c.type === 'jsonb' ? `NULLIF(r.c${i}, 'null'::jsonb)` : c.type === 'text' ? `r.c${i}` : `r.c${i}::${c.type}`));
  return {
    sql: `INSERT INTO ${target} (${columns.map((c) => `"${c.name}"`).join(', ')}) SELECT ${select.join(', ')} `
      + `FROM ROWS FROM (${from.join(', ')}) AS r(${columns.map((_, i) => `c${i}`).join(', ')})`,
    params: columnsAsJson(rows, columns),
  };
}
