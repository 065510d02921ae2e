import { arrayLiteral, columnRowsInsert, columnsAsJson, parseInsertHead } from './column-rows';

describe('column-parameter inserts', () => {
  it('reads the target (with its alias) and the typed columns of a head, quoted or not', () => {
    expect(parseInsertHead('endpoint_health AS h (endpoint_id text, latency_buckets bigint[])')).toEqual({
      target: 'endpoint_health AS h', columns: [{ name: 'endpoint_id', type: 'text' }, { name: 'latency_buckets', type: 'bigint[]' }],
    });
    expect(parseInsertHead(`projection_offsets (consumer text,\n  "offset" bigint, ratio double   precision)`)).toEqual({
      target: 'projection_offsets',
      columns: [{ name: 'consumer', type: 'text' }, { name: 'offset', type: 'bigint' }, { name: 'ratio', type: 'double precision' }],
    });
  });

  it('refuses a head without its column list, a column without a type, and a type it cannot send', () => {
    expect(() => parseInsertHead('attempts')).toThrow(/cannot read the table and columns/);
    expect(() => parseInsertHead('attempts (attempt_id, tenant_id text)')).toThrow('column "attempt_id" of "attempts" needs a name and a type');
    expect(() => parseInsertHead('attempts (amount numeric)')).toThrow('column amount of "attempts" has a type this insert cannot send: numeric');
    expect(() => parseInsertHead('attempts (headers jsonb[])')).toThrow(/cannot send: jsonb\[\]/);
  });

  it('writes a JS array as a Postgres array literal, quoting every element, and leaves a literal as it is', () => {
    expect(arrayLiteral(['ch"1', 'a\\b', null, 7])).toBe('{"ch\\"1","a\\\\b",NULL,"7"}');
    expect(arrayLiteral([])).toBe('{}');
    expect(arrayLiteral('{1,2,3}')).toBe('{1,2,3}');
    expect(arrayLiteral(null)).toBeNull();
  });

  it('encodes each column as one JSON array: jsonb values as the JSON they are, dates as ISO text, missing values as null', () => {
    const columns = parseInsertHead('t (id text, payload jsonb, channels text[], attempt int, ok boolean, at timestamptz)').columns;
    const params = columnsAsJson(
      [
        ['msg_1', { a: [1, 'x'] }, ['ch"1', 'ch2'], 3, true, new Date('2026-11-29T01:00:00.000Z')],
        ['msg_2', null, null, undefined, false, null],
      ],
      columns,
    );
    expect(params.map((p) => JSON.parse(p))).toEqual([
      ['msg_1', 'msg_2'],
      [{ a: [1, 'x'] }, null],
      ['{"ch\\"1","ch2"}', null],
      [3, null],
      [true, false],
      ['2026-11-29T01:00:00.000Z', null],
    ]);
  });

  it('sends U+0000 and lone surrogates, which Postgres text and jsonb cannot hold, as U+FFFD; leaves pairs and the text "\\u0000" alone', () => {
    const [text, doc, tags] = columnsAsJson([['a\u0000b\ud800', { ['k\u0000']: 'v\udfff', literal: '\\u0000 \\ud800', both: '\\\u0000', pair: '\ud83d\ude00' }, ['x\u0000']]],
      parseInsertHead('t (s text, d jsonb, tags text[])').columns).map((p) => JSON.parse(p)[0]);
    expect(text).toBe('a\ufffdb\ufffd');
    expect(doc).toEqual({ ['k\ufffd']: 'v\ufffd', literal: '\\u0000 \\ud800', both: '\\\ufffd', pair: '\u{1F600}' });
    expect(tags).toBe('{"x\ufffd"}');
  });

  it('refuses a row whose width is not the column list\'s', () => {
    expect(() => columnsAsJson([['a', 'b']], [{ name: 'only', type: 'text' }])).toThrow('a row has 2 values for 1 columns');
  });

  it('zips one element function per column back into rows, cast to the head\'s types, jsonb null as NULL', () => {
    const { sql, params } = columnRowsInsert('projection_offsets AS o (consumer text, "offset" bigint, headers jsonb)', [['c', '12', { a: 1 }]]);
    expect(sql).toBe('INSERT INTO projection_offsets AS o ("consumer", "offset", "headers") '
      + 'SELECT r.c0, r.c1::bigint, NULLIF(r.c2, \'null\'::jsonb) '
      + 'FROM ROWS FROM (jsonb_array_elements_text($1::jsonb), jsonb_array_elements_text($2::jsonb), jsonb_array_elements($3::jsonb)) AS r(c0, c1, c2)');
    expect(params).toEqual(['["c"]', '["12"]', '[{"a":1}]']);
  });
});
