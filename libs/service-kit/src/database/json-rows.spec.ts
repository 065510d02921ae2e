import { jsonRowsInsert, parseInsertHead, rowsAsJson } from './json-rows';

describe('JSON-parameter inserts', () => {
  it('reads the table and bare column names of a head, with or without an alias and quotes', () => {
    expect(parseInsertHead('endpoint_health AS h (endpoint_id, tenant_id)')).toEqual({ table: 'endpoint_health', columns: ['endpoint_id', 'tenant_id'] });
    expect(parseInsertHead(`projection_offsets (consumer,\n  topic, partition, "offset")`)).toEqual({
      table: 'projection_offsets', columns: ['consumer', 'topic', 'partition', 'offset'],
    });
  });

  it('refuses a head without its column list (the JSON keys come from it)', () => {
    expect(() => parseInsertHead('attempts')).toThrow(/cannot read the table and columns/);
  });

  it('encodes rows as JSON objects: jsonb values as the JSON they are, arrays as arrays, dates as ISO text, missing values as null', () => {
    const text = rowsAsJson(
      [
        ['msg_1', { a: [1, 'x'] }, ['ch"1', 'ch2'], 3, true, new Date('2026-11-29T01:00:00.000Z')],
        ['msg_2', null, null, undefined, false, null],
      ],
      ['message_id', 'payload', 'channels', 'attempt', 'succeeded', 'created_at'],
    );
    expect(JSON.parse(text)).toEqual([
      { message_id: 'msg_1', payload: { a: [1, 'x'] }, channels: ['ch"1', 'ch2'], attempt: 3, succeeded: true, created_at: '2026-11-29T01:00:00.000Z' },
      { message_id: 'msg_2', payload: null, channels: null, attempt: null, succeeded: false, created_at: null },
    ]);
  });

  it('refuses a row whose width is not the column list\'s', () => {
    expect(() => rowsAsJson([['a', 'b']], ['only'])).toThrow('a row has 2 values for 1 columns');
  });

  it('selects the head\'s columns, quoted, from a recordset of the table\'s own row type', () => {
    const { sql, params } = jsonRowsInsert('projection_offsets AS o (consumer, "offset")', [['c', '12']]);
    expect(sql).toBe('INSERT INTO projection_offsets AS o (consumer, "offset") SELECT "consumer", "offset" FROM json_populate_recordset(NULL::projection_offsets, $1)');
    expect(JSON.parse(params[0])).toEqual([{ consumer: 'c', offset: '12' }]);
  });
});
