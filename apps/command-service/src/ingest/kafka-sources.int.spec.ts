import { deleteTopics } from '@hookline/kafka';
import { propagation } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { waitFor } from '@hookline/testing';
import type { Producer } from 'kafkajs';
import { CommandServiceHarness, Json, RecordedEvent, startCommandServiceHarness } from '../test/command-service.harness';

jest.setTimeout(90_000);

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';

/**
 * A Kafka topic of the user's own as a source of messages (KAFKA_SOURCES): each record becomes a message of the
 * source's tenant through the rules of POST /messages, in key order, once, even when the source is read again.
 */
describe('Kafka sources (real Kafka, real Postgres)', () => {
  let h: CommandServiceHarness;
  let tenantId: string;
  let topic: string;
  let rejectsTopic: string;
  let producer: Producer;

  beforeAll(async () => {
    // The W3C propagator, as startTracing registers it in a service process (this one runs in the test's process).
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    h = await startCommandServiceHarness('sources');
    ({ tenantId } = await h.tenantWithKey('sourced', ['invoice.paid', 'invoice.voided']));
    const schema = { type: 'object', required: ['amount'], properties: { amount: { type: 'number' } } };
    expect((await h.rest('POST', `/v1/tenants/${tenantId}/event-types/invoice.paid/schemas`, { body: { schema } })).status).toBe(201);
    topic = `${h.prefix}billing.events`;
    rejectsTopic = `${h.prefix}billing.rejects`;
    const admin = h.kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 2 }, { topic: rejectsTopic, numPartitions: 1 }], waitForLeaders: true });
    await admin.disconnect();
    producer = h.kafka.producer();
    await producer.connect();
    h.env.KAFKA_SOURCES = JSON.stringify([{ name: 'billing', topic, tenant_id: tenantId, event_type_header: 'event-type', payload_field: 'data', from_beginning: true,
      rejects_topic: rejectsTopic }]);
    await h.restart();
  });
  afterAll(async () => {
    await producer?.disconnect();
    if (h) await deleteTopics(h.kafka, [topic, rejectsTopic]).catch(() => undefined);
    await h?.close();
    propagation.disable();
  });

  /** Every record of a topic, read from its beginning until `count` are there. */
  const readAll = async (name: string, count: number) => {
    const consumer = h.kafka.consumer({ groupId: `${h.prefix}reader-${Date.now()}` });
    const seen: Array<{ key: string | null; value: string; headers: Record<string, string> }> = [];
    await consumer.connect();
    await consumer.subscribe({ topic: name, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => void seen.push({
        key: message.key?.toString() ?? null, value: message.value?.toString() ?? '',
        headers: Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)])),
      }),
    });
    try {
      await waitFor(() => seen.length >= count, 30_000, `${count} records on ${name}`);
    } finally {
      await consumer.disconnect();
    }
    return seen;
  };
  const published = async (): Promise<RecordedEvent[]> =>
    (await h.events('messages')).filter((r) => r.event.type === 'message.published.v1' && r.event.tenant_id === tenantId);
  const record = (key: string | null, eventType: string | null, value: unknown, headers: Record<string, string> = {}) => ({
    key, value: typeof value === 'string' ? value : JSON.stringify(value), headers: { ...(eventType ? { 'event-type': eventType } : {}), ...headers },
  });

  it('publishes each valid record as a message of the tenant, in key order, with the producer\'s trace; rejects the rest and moves on', async () => {
    await producer.send({
      topic,
      messages: [
        record('cus_1', 'invoice.paid', { data: { amount: 1 } }, { traceparent: `00-${TRACE_ID}-00f067aa0ba902b7-01` }),
        record('cus_2', 'invoice.voided', { data: { invoice: 'in_2' } }),
        record('cus_1', 'invoice.paid', { data: { amount: 2 } }),
        record('cus_1', 'invoice.paid', { data: { amount: 'three' } }), // the event type's schema refuses it
        record('cus_3', 'no.such.type', { data: {} }),
        record('cus_3', null, { data: {} }),
        record(null, 'invoice.paid', 'not json'),
        record('cus_1', 'invoice.paid', { data: { amount: 4 } }),
      ],
    });
    await waitFor(async () => (await published()).length === 4, 30_000, 'the four valid records published');
    await new Promise((r) => setTimeout(r, 1000)); // and no others
    const messages = await published();
    const data = messages.map((m) => m.event.data as Json);
    expect(data.filter((d) => d.ordering_key === 'cus_1').map((d) => (d.payload as Json).amount)).toEqual([1, 2, 4]);
    expect(data.find((d) => d.ordering_key === 'cus_2')).toMatchObject({ event_type: 'invoice.voided', payload: { invoice: 'in_2' } });
    expect(data.every((d) => typeof d.idempotency_key === 'string' && (d.idempotency_key as string).startsWith('kafka-source:billing:'))).toBe(true);
    // Keyed like a publish with an ordering key, so FIFO endpoints keep the source's per-key order.
    expect(messages.filter((m) => (m.event.data as Json).ordering_key === 'cus_1').map((m) => m.key)).toEqual(Array(3).fill(`${tenantId}:cus_1`));
    const traced = messages.find((m) => ((m.event.data as Json).payload as Json).amount === 1)!;
    expect(traced.headers.traceparent).toContain(TRACE_ID);
    expect(traced.event.actor).toEqual({ kind: 'api_key', id: 'source:billing' });

    // Every rejected record, unchanged, on the rejects topic, saying why and where it was read.
    const rejected = await readAll(rejectsTopic, 4);
    expect(rejected.map((r) => [r.headers['hookline-rejected-reason'], r.value])).toEqual(expect.arrayContaining([
      ['validation', JSON.stringify({ data: { amount: 'three' } })], ['unknown_reference', JSON.stringify({ data: {} })],
      ['no_event_type', JSON.stringify({ data: {} })], ['not_json', 'not json'],
    ]));
    const schemaRefused = rejected.find((r) => r.headers['hookline-rejected-reason'] === 'validation')!;
    expect(schemaRefused).toMatchObject({ key: 'cus_1', headers: { 'event-type': 'invoice.paid', 'hookline-source-topic': topic } });
    expect(schemaRefused.headers['hookline-rejected-detail']).toContain('/amount');
    expect(Number(schemaRefused.headers['hookline-source-offset'])).toBeGreaterThanOrEqual(0);

    // /metrics: the source's records by outcome, and its lag per partition (measured every 10 s), caught up.
    const series = (text: string, name: string) => text.split('\n').filter((line) => line.startsWith(`${name}{`));
    const lagLines = await waitFor(async () => {
      const lines = series((await h.running.infra.metrics.render()).body, 'hookline_kafka_consumer_lag').filter((l) => l.includes(`topic="${topic}"`));
      return lines.length === 2 && lines.every((l) => l.endsWith(' 0')) ? lines : null;
    }, 30_000, 'the source lag on /metrics');
    expect(lagLines.every((l) => l.includes(`group="${h.prefix}hookline-source-billing"`))).toBe(true);
    const body = (await h.running.infra.metrics.render()).body;
    expect(series(body, 'hookline_command_source_records_total')).toEqual(expect.arrayContaining([
      'hookline_command_source_records_total{source="billing",outcome="published",service="command-service"} 4',
      'hookline_command_source_records_total{source="billing",outcome="rejected",service="command-service"} 4',
    ]));
  });

  it('refuses to start a source whose rejects topic does not exist', async () => {
    const sources = JSON.parse(h.env.KAFKA_SOURCES) as Json[];
    await h.stopService();
    h.env.KAFKA_SOURCES = JSON.stringify([{ ...sources[0], rejects_topic: `${h.prefix}missing.rejects` }]);
    await expect(h.startService()).rejects.toThrow(/rejects topic .*missing\.rejects of source billing cannot be used/);
    h.env.KAFKA_SOURCES = JSON.stringify(sources);
    await h.startService();
  });

  it('publishes nothing twice when the source is read again from its beginning (a crash before the offset commit)', async () => {
    const before = (await published()).length;
    await h.stopService();
    const admin = h.kafka.admin();
    await admin.connect();
    await admin.resetOffsets({ groupId: `${h.prefix}hookline-source-billing`, topic, earliest: true });
    await admin.disconnect();
    await h.startService();
    await producer.send({ topic, messages: [record('cus_9', 'invoice.paid', { data: { amount: 9 } })] });
    // The new record marks that the source was read past everything before it again.
    await waitFor(async () => (await published()).some((m) => ((m.event.data as Json).payload as Json).amount === 9), 30_000, 'the new record published');
    expect(await published()).toHaveLength(before + 1);
  });
});
