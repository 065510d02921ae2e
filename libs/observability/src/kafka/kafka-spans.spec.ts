import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import type { IHeaders } from 'kafkajs';
import { startInMemoryTracing, type InMemoryTracing } from '../testing/in-memory-tracing';
import { startLinkedSpan, withConsumerSpan, withProducerSpan } from './kafka-spans';

describe('Kafka producer and consumer spans', () => {
  let tracing: InMemoryTracing;
  beforeEach(() => {
    tracing = startInMemoryTracing();
  });
  afterEach(() => tracing.stop());

  const finished = (name: string): ReadableSpan[] => tracing.exporter.getFinishedSpans().filter((span) => span.name === name);
  const only = (name: string): ReadableSpan => {
    const spans = finished(name);
    expect(spans).toHaveLength(1);
    return spans[0];
  };
  const toBuffers = (headers: Record<string, string>): IHeaders =>
    Object.fromEntries(Object.entries(headers).map(([key, value]) => [key, Buffer.from(value)]));

  async function produce(name: string): Promise<IHeaders> {
    const headers = await withProducerSpan(name, { topic: 'hookline.messages', key: 'ep_1' }, (traceHeaders) => traceHeaders);
    return toBuffers(headers);
  }

  it('makes the consumer span a child of the producer span, in the same trace', async () => {
    const headers = await produce('send hookline.messages');
    await withConsumerSpan('process hookline.messages', headers, { topic: 'hookline.messages' }, () => undefined);

    const producer = only('send hookline.messages');
    const consumer = only('process hookline.messages');
    expect(consumer.spanContext().traceId).toBe(producer.spanContext().traceId);
    expect(consumer.parentSpanContext?.spanId).toBe(producer.spanContext().spanId);
    expect(producer.kind).toBe(SpanKind.PRODUCER);
    expect(consumer.kind).toBe(SpanKind.CONSUMER);
  });

  it('produces as a child of the active span', async () => {
    await trace.getTracer('test').startActiveSpan('POST /api/v1/messages', async (request) => {
      await produce('send hookline.messages');
      request.end();
    });
    expect(only('send hookline.messages').parentSpanContext?.spanId).toBe(only('POST /api/v1/messages').spanContext().spanId);
  });

  it('produces as a child of an explicit parent rather than the active span', async () => {
    const parent = trace.getTracer('test').startSpan('webhook attempt');
    await trace.getTracer('test').startActiveSpan('unrelated', async (active) => {
      await withProducerSpan('send hookline.deliveries', { topic: 'hookline.deliveries' }, () => undefined, trace.setSpan(context.active(), parent));
      active.end();
    });
    parent.end();
    const producer = only('send hookline.deliveries');
    expect(producer.parentSpanContext?.spanId).toBe(parent.spanContext().spanId);
    expect(producer.spanContext().traceId).toBe(parent.spanContext().traceId);
  });

  it('hands the consumer callback the span\'s context, whose trace headers continue the message\'s trace', async () => {
    const headers = await produce('send');
    const continued = await withConsumerSpan('process', headers, { topic: 't' }, (span, ctx) => {
      expect(trace.getSpan(ctx)).toBe(span);
      return withProducerSpan('send attempt', { topic: 't' }, (traceHeaders) => traceHeaders, ctx);
    });
    expect(continued['traceparent']).toContain(only('send').spanContext().traceId);
    expect(only('send attempt').parentSpanContext?.spanId).toBe(only('process').spanContext().spanId);
  });

  it('sets the messaging semantic-convention attributes', async () => {
    const headers = await withProducerSpan(
      'send hookline.messages',
      { topic: 'hookline.messages', key: Buffer.from('ep_1'), messageId: 'msg_1', clientId: 'command-service' },
      (traceHeaders) => traceHeaders,
    );
    await withConsumerSpan(
      'process hookline.messages',
      toBuffers(headers),
      { topic: 'hookline.messages', partition: 3, offset: '42', consumerGroup: 'dispatcher', attributes: { 'hookline.tenant': 'tnt_1' } },
      () => undefined,
    );

    expect(only('send hookline.messages').attributes).toEqual({
      'messaging.system': 'kafka',
      'messaging.operation.type': 'send',
      'messaging.operation.name': 'send',
      'messaging.destination.name': 'hookline.messages',
      'messaging.kafka.message.key': 'ep_1',
      'messaging.message.id': 'msg_1',
      'messaging.client.id': 'command-service',
    });
    expect(only('process hookline.messages').attributes).toEqual({
      'messaging.system': 'kafka',
      'messaging.operation.type': 'process',
      'messaging.operation.name': 'process',
      'messaging.destination.name': 'hookline.messages',
      'messaging.destination.partition.id': '3',
      'messaging.kafka.offset': 42,
      'messaging.consumer.group.name': 'dispatcher',
      'hookline.tenant': 'tnt_1',
    });
  });

  it('runs the callback with the consumer span active and returns its result', async () => {
    const headers = await produce('send');
    const result = await withConsumerSpan('process', headers, { topic: 't' }, async (span) => {
      expect(trace.getActiveSpan()).toBe(span);
      return 'done';
    });
    expect(result).toBe('done');
  });

  it('records a failure, ends the span and rethrows the error unchanged', async () => {
    const failure = new TypeError('broker unavailable');
    await expect(withProducerSpan('send', { topic: 't' }, async () => Promise.reject(failure))).rejects.toBe(failure);

    const span = only('send');
    expect(span.status).toEqual({ code: SpanStatusCode.ERROR, message: 'broker unavailable' });
    expect(span.attributes['error.type']).toBe('TypeError');
    expect(span.events.map((event) => event.name)).toEqual(['exception']);
  });

  it('starts a new trace for a message without trace headers, not a child of the consume loop', async () => {
    await trace.getTracer('test').startActiveSpan('consume loop', async (loop) => {
      await withConsumerSpan('process', undefined, { topic: 't' }, () => undefined);
      loop.end();
    });
    const consumer = only('process');
    expect(consumer.parentSpanContext).toBeUndefined();
    expect(consumer.spanContext().traceId).not.toBe(only('consume loop').spanContext().traceId);
    expect(consumer.links.map((link) => link.context.spanId)).toEqual([only('consume loop').spanContext().spanId]);
  });

  describe('startLinkedSpan (batch consumers)', () => {
    it('gives each record its own span, a child of that record’s producer span, linked to the batch span', async () => {
      const first = await produce('send first');
      const second = await produce('send second');

      const batch = trace.getTracer('test').startSpan('batch');
      const records = context.with(trace.setSpan(context.active(), batch), () =>
        startLinkedSpan('process', [first, second], (index) => ({ topic: 't', offset: String(10 + index) })),
      );
      for (const record of records) record.span.end();
      batch.end();

      const [firstSpan, secondSpan] = finished('process');
      for (const [recordSpan, producerSpan, offset] of [
        [firstSpan, only('send first'), 10],
        [secondSpan, only('send second'), 11],
      ] as const) {
        expect(recordSpan.spanContext().traceId).toBe(producerSpan.spanContext().traceId);
        expect(recordSpan.parentSpanContext?.spanId).toBe(producerSpan.spanContext().spanId);
        expect(recordSpan.links.map((link) => link.context.spanId)).toEqual([batch.spanContext().spanId]);
        expect(recordSpan.attributes['messaging.kafka.offset']).toBe(offset);
      }
      expect(firstSpan.spanContext().traceId).not.toBe(secondSpan.spanContext().traceId);
    });

    it('makes the HTTP attempt run inside a record a child of that record, in its message’s trace', async () => {
      const headers = await produce('send');
      const [record] = startLinkedSpan('process', [headers], { topic: 't' });

      await record.run(() => trace.getTracer('undici').startSpan('POST').end());

      const attemptSpan = only('POST');
      expect(attemptSpan.parentSpanContext?.spanId).toBe(only('process').spanContext().spanId);
      expect(attemptSpan.spanContext().traceId).toBe(only('send').spanContext().traceId);
    });

    it('ends the record span when run() settles, also on failure', async () => {
      const [record] = startLinkedSpan('process', [undefined]);
      await expect(record.run(() => Promise.reject(new Error('receiver timed out')))).rejects.toThrow('receiver timed out');
      expect(only('process').status.code).toBe(SpanStatusCode.ERROR);
    });
  });
});
