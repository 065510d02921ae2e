import { parseAmqpSources } from './amqp-sources';

const tenant = 'tnt_01JABCDEFGHJKMNPQRSTVWXYZ0';
const base = { name: 'billing', url: 'amqp://user:s3cret@rabbit:5672/billing', queue: 'billing.events', tenant_id: tenant, event_type_header: 'Event-Type' };

describe('AMQP_SOURCES', () => {
  it('reads each source with its defaults: message_id as the idempotency id, no ordering key, a prefetch of 64', () => {
    expect(parseAmqpSources('')).toEqual([]);
    const [billing] = parseAmqpSources(JSON.stringify([base]));
    expect(billing).toEqual({
      name: 'billing', url: base.url, queue: 'billing.events', tenant_id: tenant, event_type: { header: 'event-type' }, payload_field: undefined,
      idempotency: { message_id: true }, prefetch: 64,
    });
  });

  it('takes the event type from a header, a field, the type property, the routing key or one fixed type, and the other settings', () => {
    const one = (over: object) => parseAmqpSources(JSON.stringify([{ name: 'x', url: 'amqps://rabbit.example.com', queue: 'q', tenant_id: tenant, ...over }]))[0];
    expect(one({ event_type_field: 'type' }).event_type).toEqual({ field: 'type' });
    expect(one({ event_type_from: 'type_property' }).event_type).toEqual({ property: 'type_property' });
    expect(one({ event_type_from: 'routing_key' }).event_type).toEqual({ property: 'routing_key' });
    expect(one({ event_type: 'invoice.paid' }).event_type).toEqual({ fixed: 'invoice.paid' });
    expect(one({ event_type: 'x', ordering_key_header: 'Customer-Id', idempotency_header: 'X-Event-Id', payload_field: 'data', prefetch: 1 }))
      .toMatchObject({ ordering_key: { header: 'customer-id' }, idempotency: { header: 'x-event-id' }, payload_field: 'data', prefetch: 1, url: 'amqps://rabbit.example.com' });
    expect(one({ event_type: 'x', ordering_key_from: 'routing_key' }).ordering_key).toEqual({ routing_key: true });
  });

  it('refuses what it would misread, saying which source and setting, and never shows the URL', () => {
    const bad = (sources: unknown) => () => parseAmqpSources(JSON.stringify(sources));
    expect(() => parseAmqpSources('{nope')).toThrow('not JSON');
    expect(bad(base)).toThrow('not a JSON array');
    expect(bad([base, base])).toThrow('source 1: name "billing" is used twice');
    expect(bad([{ ...base, name: 'Billing!' }])).toThrow('source 0: name is not valid');
    expect(bad([{ ...base, tenant_id: 'tnt_nope' }])).toThrow('source 0: tenant_id is not a tenant id');
    expect(bad([{ ...base, url: undefined }])).toThrow('source 0: url is required');
    expect(bad([{ ...base, url: 'http://user:s3cret@rabbit' }])).toThrow('source 0: url is not an amqp:// or amqps:// URL with a host');
    expect(bad([{ ...base, url: 'amqp://' }])).toThrow('url is not an amqp:// or amqps:// URL');
    expect(bad([{ ...base, queue: undefined }])).toThrow('source 0: queue is required');
    expect(bad([{ ...base, queue: 'has space' }])).toThrow('source 0: queue is not valid');
    expect(bad([{ ...base, event_type_from: 'routing_key' }]))
      .toThrow('source 0: set exactly one of event_type_header, event_type_field, event_type, event_type_from');
    expect(bad([{ name: 'x', url: base.url, queue: 'q', tenant_id: tenant }])).toThrow('set exactly one');
    expect(bad([{ ...base, event_type_header: undefined, event_type_from: 'content_type' }])).toThrow('source 0: event_type_from is not valid');
    expect(bad([{ ...base, ordering_key_header: 'k', ordering_key_from: 'routing_key' }])).toThrow('source 0: set at most one of ordering_key_header, ordering_key_from');
    expect(bad([{ ...base, ordering_key_from: 'header' }])).toThrow('source 0: ordering_key_from is not valid');
    expect(bad([{ ...base, prefetch: 0 }])).toThrow('source 0: prefetch is a whole number from 1 to 10000');
    expect(bad([{ ...base, prefetch: '64' }])).toThrow('prefetch is a whole number');
    expect(bad([{ ...base, idempotency_header: 'bad header' }])).toThrow('source 0: idempotency_header is not valid');
    expect(bad([{ ...base, exchange: 'x' }])).toThrow('source 0 has unknown settings: exchange');
    for (const refusal of [bad([{ ...base, url: 'http://user:s3cret@rabbit' }]), bad([{ ...base, prefetch: 0 }])]) {
      expect(refusal).toThrow(expect.objectContaining({ message: expect.not.stringContaining('s3cret') }));
    }
  });
});
