/* eslint-disable @typescript-eslint/no-require-imports -- kafkajs' record encoders and decoder are not public API */
/**
 * patches/kafkajs+2.2.4.patch also rewrites kafkajs' record-header decoding. kafkajs built each record's headers with
 * a reduce that spread the object so far into a new one per header. On Node 20 (V8 11.3), objects built by spread
 * survive young-generation collections although nothing uses them. Every record the dispatcher and the query service
 * consume went through there. The patch builds the object in place.
 *
 * These tests pin what consumers see: one value per header, repeated keys as arrays in order, and a header named
 * `__proto__` kept as an own property (not the object's prototype), as with the spread.
 */
const { RecordBatch } = require('kafkajs/src/protocol/recordBatch/v0') as { RecordBatch: (args: { records: unknown[] }) => Promise<{ buffer: Buffer }> };
const RecordEncoder = require('kafkajs/src/protocol/recordBatch/record/v0') as (args: {
  offsetDelta: number;
  key: string;
  value: string;
  headers: Record<string, string | string[]>;
}) => unknown;
const decodeRecordBatch = require('kafkajs/src/protocol/recordBatch/v0/decoder') as (decoder: unknown) => Promise<{
  records: Array<{ key: Buffer; value: Buffer; offset: string; headers: Record<string, Buffer | Buffer[]> }>;
}>;
const Decoder = require('kafkajs/src/protocol/decoder') as new (b: Buffer) => unknown;

async function roundTrip(headers: Array<Record<string, string | string[]>>) {
  const records = headers.map((h, i) => RecordEncoder({ offsetDelta: i, key: `k${i}`, value: `v${i}`, headers: h }));
  const { buffer } = await RecordBatch({ records });
  return (await decodeRecordBatch(new Decoder(buffer))).records;
}

export {}; // a module: kafkajs-encoder.spec.ts declares the same names

const text = (v: Buffer | Buffer[] | undefined) => (Array.isArray(v) ? v.map((b) => b.toString()) : v?.toString());

describe("kafkajs' record-header decoding (patches/kafkajs+2.2.4.patch)", () => {
  it('gives each header its value, and a record without headers an empty object', async () => {
    const [first, second] = await roundTrip([{ traceparent: '00-abc-def-01', 'hookline-event-type': 'delivery.attempted.v1' }, {}]);
    expect(Object.keys(first.headers)).toEqual(['traceparent', 'hookline-event-type']);
    expect(text(first.headers['traceparent'])).toBe('00-abc-def-01');
    expect(text(first.headers['hookline-event-type'])).toBe('delivery.attempted.v1');
    expect(second.headers).toEqual({});
    expect([first, second].map((r) => [r.key.toString(), r.value.toString(), r.offset])).toEqual([['k0', 'v0', '0'], ['k1', 'v1', '1']]);
  });

  it('turns a repeated key into an array of its values, in order', async () => {
    const [record] = await roundTrip([{ tag: ['a', 'b', 'c'], single: 'x' }]);
    expect(text(record.headers['tag'])).toEqual(['a', 'b', 'c']);
    expect(text(record.headers['single'])).toBe('x');
  });

  it('keeps a header named __proto__ or constructor as an own property and leaves the prototype alone', async () => {
    const [record] = await roundTrip([{ ['__proto__']: 'p', constructor: 'c' }]);
    expect(Object.getPrototypeOf(record.headers)).toBe(Object.prototype);
    expect(Object.keys(record.headers)).toEqual(['__proto__', 'constructor']);
    expect(text(Object.getOwnPropertyDescriptor(record.headers, '__proto__')?.value)).toBe('p');
    expect(text(record.headers['constructor'])).toBe('c');
  });
});
