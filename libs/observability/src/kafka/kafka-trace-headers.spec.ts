import { context, isSpanContextValid, ROOT_CONTEXT, trace } from '@opentelemetry/api';
import type { IHeaders } from 'kafkajs';
import { startInMemoryTracing, type InMemoryTracing } from '../testing/in-memory-tracing';
import { extractTraceContext, injectTraceHeaders } from './kafka-trace-headers';

describe('Kafka trace headers', () => {
  let tracing: InMemoryTracing;
  beforeEach(() => {
    tracing = startInMemoryTracing();
  });
  afterEach(() => tracing.stop());

  const asKafkaDelivers = (headers: Record<string, string>): IHeaders =>
    Object.fromEntries(Object.entries(headers).map(([key, value]) => [key, Buffer.from(value, 'utf8')]));

  it('keeps the trace id and the parent span id across Buffer headers', () => {
    const span = trace.getTracer('test').startSpan('produce');
    const headers = injectTraceHeaders({}, trace.setSpan(context.active(), span));
    span.end();

    const extracted = trace.getSpanContext(extractTraceContext(asKafkaDelivers(headers)));

    expect(headers['traceparent']).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    expect(extracted?.traceId).toBe(span.spanContext().traceId);
    expect(extracted?.spanId).toBe(span.spanContext().spanId);
    expect(extracted?.isRemote).toBe(true);
  });

  it('injects from the active context by default and returns the same object', () => {
    const headers: Record<string, string> = { 'webhook-id': 'msg_1' };
    trace.getTracer('test').startActiveSpan('produce', (span) => {
      expect(injectTraceHeaders(headers)).toBe(headers);
      span.end();
      expect(headers['traceparent']).toContain(span.spanContext().spanId);
    });
    expect(headers['webhook-id']).toBe('msg_1');
  });

  it('reads string, array and differently cased header values', () => {
    const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    for (const headers of [{ traceparent }, { traceparent: [Buffer.from(traceparent)] }, { Traceparent: traceparent }]) {
      const extracted = trace.getSpanContext(extractTraceContext(headers));
      expect(extracted?.traceId).toBe('0af7651916cd43dd8448eb211c80319c');
      expect(extracted?.spanId).toBe('b7ad6b7169203331');
    }
  });

  it('gives the root context, not the active one, when a message has no trace headers', () => {
    trace.getTracer('test').startActiveSpan('consume loop', (loop) => {
      expect(extractTraceContext(undefined)).toBe(ROOT_CONTEXT);
      const extracted = trace.getSpanContext(extractTraceContext({ traceparent: 'garbage' }));
      expect(extracted === undefined || !isSpanContextValid(extracted)).toBe(true);
      loop.end();
    });
  });

  it('writes nothing outside a span', () => {
    expect(injectTraceHeaders({})).toEqual({});
  });
});
