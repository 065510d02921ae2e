import { parseKafkaSources } from './kafka-sources';

const tenant = 'tnt_01JABCDEFGHJKMNPQRSTVWXYZ0';

describe('KAFKA_SOURCES', () => {
  it('reads each source with its defaults: the key orders, the topic is read from its end, the whole value is the payload', () => {
    expect(parseKafkaSources('')).toEqual([]);
    const [billing, orders] = parseKafkaSources(JSON.stringify([
      { name: 'billing', topic: 'billing.events', tenant_id: tenant, event_type_header: 'Event-Type' },
      { name: 'orders', topic: 'orders', tenant_id: tenant, event_type_field: 'type', payload_field: 'data', ordering_key_from_key: false,
        brokers: ['kafka-a:9092', 'kafka-b:9092'], from_beginning: true, rejects_topic: 'orders.rejects' },
    ]));
    expect(billing).toEqual({ name: 'billing', topic: 'billing.events', tenant_id: tenant, event_type: { header: 'event-type' }, payload_field: undefined,
      ordering_key_from_key: true, brokers: undefined, from_beginning: false });
    expect(orders).toMatchObject({ event_type: { field: 'type' }, payload_field: 'data', ordering_key_from_key: false, brokers: ['kafka-a:9092', 'kafka-b:9092'], from_beginning: true, rejects_topic: 'orders.rejects' });
    expect(parseKafkaSources(JSON.stringify([{ name: 'one', topic: 't', tenant_id: tenant, event_type: 'invoice.paid' }]))[0].event_type).toEqual({ fixed: 'invoice.paid' });
  });

  it('refuses what it would misread, saying which source and setting', () => {
    const bad = (sources: unknown) => () => parseKafkaSources(JSON.stringify(sources));
    const base = { name: 'billing', topic: 'billing.events', tenant_id: tenant, event_type_header: 'event-type' };
    expect(() => parseKafkaSources('{nope')).toThrow('not JSON');
    expect(bad(base)).toThrow('not a JSON array');
    expect(bad([{ ...base, tenant_id: 'acme' }])).toThrow('source 0: tenant_id is not valid');
    expect(bad([{ ...base, event_type_field: 'type' }])).toThrow('source 0: set exactly one of event_type_header, event_type_field, event_type');
    expect(bad([{ name: 'x', topic: 't', tenant_id: tenant }])).toThrow('set exactly one');
    expect(bad([base, base])).toThrow('source 1: name "billing" is used twice');
    expect(bad([{ ...base, topic: 'no spaces' }])).toThrow('source 0: topic is not valid');
    expect(bad([{ ...base, brokers: [] }])).toThrow('brokers is a non-empty list of host:port');
    expect(bad([{ ...base, from_beginning: 'yes' }])).toThrow('from_beginning is true or false');
    expect(bad([{ ...base, rejects_topic: 'bad topic' }])).toThrow('source 0: rejects_topic is not valid');
    expect(bad([{ ...base, group: 'x' }])).toThrow('source 0 has unknown settings: group');
  });
});
