import type { AmqpSource } from './amqp-sources';
import { amqpReading, readAmqpDelivery } from './amqp-message';
import { readSourceRecord } from '../source-record';

const source = (over: Partial<AmqpSource>): AmqpSource => ({
  name: 'billing', url: 'amqp://rabbit', queue: 'q', tenant_id: 'tnt_01JABCDEFGHJKMNPQRSTVWXYZ0', event_type: { header: 'event-type' },
  idempotency: { message_id: true }, prefetch: 64, ...over,
});
const delivery = (over: { routingKey?: string; messageId?: unknown; type?: unknown; headers?: Record<string, unknown>; body?: unknown } = {}) => ({
  content: Buffer.from(JSON.stringify(over.body ?? { data: { amount: 1 } })),
  fields: { routingKey: over.routingKey ?? 'invoice.paid' },
  properties: { messageId: over.messageId, type: over.type, headers: over.headers },
});
const read = (s: AmqpSource, d: ReturnType<typeof delivery>) => readSourceRecord(amqpReading(s), readAmqpDelivery(s, d).record);

describe('an AMQP source message', () => {
  it('takes its event type from a header (any case), its type property, its routing key, a field or the source', () => {
    expect(read(source({}), delivery({ headers: { 'Event-Type': 'invoice.paid' } }))).toEqual({ ok: true, publish: { event_type: 'invoice.paid', payload: { data: { amount: 1 } } } });
    expect(read(source({ event_type: { property: 'type_property' }, payload_field: 'data' }), delivery({ type: 'invoice.voided' })))
      .toEqual({ ok: true, publish: { event_type: 'invoice.voided', payload: { amount: 1 } } });
    expect(read(source({ event_type: { property: 'routing_key' } }), delivery({ routingKey: 'invoice.created' }))).toMatchObject({ publish: { event_type: 'invoice.created' } });
    expect(read(source({ event_type: { field: 'kind' } }), delivery({ body: { kind: 'ping' } }))).toMatchObject({ publish: { event_type: 'ping' } });
    expect(read(source({ event_type: { fixed: 'ping' } }), delivery())).toMatchObject({ publish: { event_type: 'ping' } });
  });

  it('says why it cannot become a message', () => {
    expect(read(source({ event_type: { property: 'type_property' } }), delivery())).toEqual({ ok: false, reason: 'no_event_type', detail: 'no event type in the message\'s type property' });
    expect(read(source({ event_type: { property: 'routing_key' } }), delivery({ routingKey: '' }))).toEqual({ ok: false, reason: 'no_event_type', detail: 'no event type in the message\'s routing key' });
    expect(read(source({}), delivery())).toMatchObject({ ok: false, reason: 'no_event_type' });
    const notJson = { ...delivery({ headers: { 'event-type': 'x' } }), content: Buffer.from('not json') };
    expect(read(source({}), notJson)).toMatchObject({ ok: false, reason: 'not_json' });
  });

  it('has the ordering key the source names, and an idempotency key from its message_id or a header, under the source', () => {
    expect(readAmqpDelivery(source({}), delivery({ messageId: 'm-1' }))).toMatchObject({ orderingKey: null, idempotencyKey: 'amqp-source:billing:m-1' });
    expect(readAmqpDelivery(source({}), delivery())).not.toHaveProperty('idempotencyKey');
    expect(readAmqpDelivery(source({}), delivery({ messageId: 'with space' })).idempotencyKey).toMatch(/^amqp-source:billing:sha256:[\w-]{43}$/);
    const byHeader = source({ idempotency: { header: 'x-event-id' }, ordering_key: { header: 'customer-id' } });
    const got = readAmqpDelivery(byHeader, delivery({ messageId: 'm-1', headers: { 'X-Event-Id': 'evt_9', 'Customer-Id': 'cus_1' } }));
    expect(got).toMatchObject({ orderingKey: 'cus_1', idempotencyKey: 'amqp-source:billing:evt_9' });
    expect(readSourceRecord(amqpReading(byHeader), { ...got.record, headers: { ...got.record.headers, 'event-type': 'x' } })).toMatchObject({ publish: { ordering_key: 'cus_1' } });
    expect(readAmqpDelivery(source({ ordering_key: { routing_key: true } }), delivery({ routingKey: 'eu.cus_2' })).orderingKey).toBe('eu.cus_2');
  });

  it('reads typed AMQP headers as text: numbers and booleans as written, byte arrays as UTF-8, tables left out', () => {
    const got = readAmqpDelivery(source({}), delivery({ headers: { n: 7, b: true, bytes: Buffer.from('é'), table: { a: 1 }, list: [1] } }));
    expect(got.record.headers).toEqual({ n: '7', b: 'true', bytes: 'é' });
  });
});
