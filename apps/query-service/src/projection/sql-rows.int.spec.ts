import { DataSource } from 'typeorm';
import { TestDatabase, createTestDatabase } from '@hookline/testing';
import { insertRows } from './sql-rows';

// Every value a projection writes goes through insertRows as JSON text, one array per column, and comes out of
// Postgres' jsonb element functions cast to the head's types: awkward values must arrive exactly as they were.
describe('insertRows against Postgres', () => {
  let db: TestDatabase;
  let ds: DataSource;

  beforeAll(async () => {
    db = await createTestDatabase('sqlrows');
    ds = await new DataSource({ type: 'postgres', url: db.url }).initialize();
    await ds.query(`CREATE TABLE t (id text PRIMARY KEY, n int, small smallint, big bigint, ratio double precision, ok boolean,
      at timestamptz, doc jsonb, tags text[], buckets bigint[])`);
  });

  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
  });

  const HEAD = 't AS x (id text, n int, small smallint, big bigint, ratio double precision, ok boolean, at timestamptz, doc jsonb, tags text[], buckets bigint[])';

  it('stores text, numbers, booleans, timestamps, jsonb and arrays as given, and missing values as NULL', async () => {
    const awkward = 'quote " backslash \\ comma , braces {} NULL \u00e9\u{1F600} tab\tnewline\n';
    await ds.transaction((em) => insertRows(em, HEAD, [
      ['row_1', -7, 32767, '9007199254740993', 0.125, true, '2026-11-29T01:02:03.456Z', { a: [1, 'x', null], s: awkward }, [awkward, 'NULL', ''], '{1,2,3}'],
      ['row_2', null, undefined, null, null, false, null, 'a JSON string', [], [4, 5]],
      ['row_3', 0, 0, '0', -1e-9, null, new Date('2026-01-01T00:00:00.000Z'), [1, 2], null, null],
      ['row_4', 1, 1, '1', 1, true, '2026-01-01T00:00:00Z', null, ['a,b', 'c}'], '{}'],
    ], ''));
    const rows = await ds.query(`SELECT id, n, small, big::text, ratio, ok, to_json(at)#>>'{}' AS at, doc, tags, buckets::text[]
      FROM t ORDER BY id`);
    expect(rows).toEqual([
      { id: 'row_1', n: -7, small: 32767, big: '9007199254740993', ratio: 0.125, ok: true, at: '2026-11-29T01:02:03.456+00:00',
        doc: { a: [1, 'x', null], s: awkward }, tags: [awkward, 'NULL', ''], buckets: ['1', '2', '3'] },
      { id: 'row_2', n: null, small: null, big: null, ratio: null, ok: false, at: null, doc: 'a JSON string', tags: [], buckets: ['4', '5'] },
      { id: 'row_3', n: 0, small: 0, big: '0', ratio: -1e-9, ok: null, at: '2026-01-01T00:00:00+00:00', doc: [1, 2], tags: null, buckets: null },
      { id: 'row_4', n: 1, small: 1, big: '1', ratio: 1, ok: true, at: '2026-01-01T00:00:00+00:00', doc: null, tags: ['a,b', 'c}'], buckets: [] },
    ]);
  });

  it('inserts thousands of rows in one statement and returns what RETURNING names, with the conflict clause applied', async () => {
    const rows = Array.from({ length: 5000 }, (_, i) => [`bulk_${String(i).padStart(5, '0')}`, i, null, null, null, null, null, { i }, null, null]);
    const first = await ds.transaction((em) => insertRows<{ id: string }>(em, HEAD, rows, 'ON CONFLICT (id) DO NOTHING RETURNING id'));
    expect(first).toHaveLength(5000);
    const again = await ds.transaction((em) => insertRows<{ id: string }>(em, HEAD, [...rows.slice(0, 10), ['bulk_new', 1, null, null, null, null,
      null, null, null, null]], 'ON CONFLICT (id) DO UPDATE SET n = x.n + EXCLUDED.n RETURNING id'));
    expect(again.map((r) => r.id).sort()).toEqual([...rows.slice(0, 10).map((r) => r[0]), 'bulk_new'].sort());
    const [{ n }] = await ds.query(`SELECT n FROM t WHERE id = 'bulk_00009'`);
    expect(n).toBe(18);
  });

  it('rejects a value its column cannot take, and writes none of the rows', async () => {
    await expect(ds.transaction((em) => insertRows(em, HEAD, [['bad_1', 1, null, null, null, null, null, null, null, null],
      ['bad_2', 'not a number', null, null, null, null, null, null, null, null]], ''))).rejects.toThrow(/invalid input syntax for type integer/);
    expect(await ds.query(`SELECT id FROM t WHERE id LIKE 'bad_%'`)).toEqual([]);
  });
});
