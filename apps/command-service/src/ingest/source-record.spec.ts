import { KafkaSource } from './kafka-sources';
import { readSourceRecord } from './source-record';

const source = (over: Partial<KafkaSource>): KafkaSource => ({
  name: 's', topic: 't', tenant_id: 'tnt_01JABCDEFGHJKMNPQRSTVWXYZ0', event_type: { header: 'event-type' }, ordering_key_from_key: true, from_beginning: false, ...over,
});
const json = (v: unknown) => Buffer.from(JSON.stringify(v));

describe('a source record', () => {
  it('takes its event type from the header (any case), the field or the source, and its key as the ordering key', () => {
    expect(readSourceRecord(source({}), { key: Buffer.from('cus_1'), value: json({ amount: 5 }), headers: { 'Event-Type': Buffer.from('invoice.paid') } }))
      .toEqual({ ok: true, publish: { event_type: 'invoice.paid', payload: { amount: 5 }, ordering_key: 'cus_1' } });
    expect(readSourceRecord(source({ event_type: { field: 'type' }, payload_field: 'data', ordering_key_from_key: false }),
      { key: Buffer.from('cus_1'), value: json({ type: 'invoice.voided', data: { id: 'in_1' } }) }))
      .toEqual({ ok: true, publish: { event_type: 'invoice.voided', payload: { id: 'in_1' } } });
    expect(readSourceRecord(source({ event_type: { fixed: 'ping' } }), { key: null, value: json({ n: 1 }) }))
      .toEqual({ ok: true, publish: { event_type: 'ping', payload: { n: 1 } } });
  });

  it('says why a record cannot become a message', () => {
    expect(readSourceRecord(source({}), { key: null, value: Buffer.from('not json'), headers: { 'event-type': 'x' } })).toMatchObject({ ok: false, reason: 'not_json' });
    expect(readSourceRecord(source({}), { key: null, value: null })).toMatchObject({ ok: false, reason: 'not_json' });
    expect(readSourceRecord(source({}), { key: null, value: json({}) })).toEqual({ ok: false, reason: 'no_event_type', detail: 'no event type in the header event-type' });
    expect(readSourceRecord(source({ event_type: { field: 'type' } }), { key: null, value: json({ type: 7 }) })).toMatchObject({ ok: false, reason: 'no_event_type' });
    expect(readSourceRecord(source({ event_type: { fixed: 'ping' }, payload_field: 'data' }), { key: null, value: json({ other: 1 }) }))
      .toEqual({ ok: false, reason: 'no_payload', detail: 'no field data in the record value' });
  });
});
