import { context, trace, TraceFlags } from '@opentelemetry/api';
import { startInMemoryTracing, type InMemoryTracing } from '../testing/in-memory-tracing';
import { currentTraceId, currentTraceparent, requestTraceContext, traceLogFields } from './trace-context';

// Every case runs with a registered provider and the W3C propagator, unregistered after it.
let tracing: InMemoryTracing;
beforeEach(() => {
  tracing = startInMemoryTracing();
});
afterEach(() => tracing.stop());

describe('currentTraceId / currentTraceparent', () => {
  const traceId = '0af7651916cd43dd8448eb211c80319c';
  const spanId = 'b7ad6b7169203331';
  const within = <T>(traceFlags: TraceFlags, fn: () => T): T =>
    context.with(trace.setSpanContext(context.active(), { traceId, spanId, traceFlags }), fn);

  it('formats the active span as a W3C traceparent', () => {
    expect(within(TraceFlags.SAMPLED, currentTraceparent)).toBe(`00-${traceId}-${spanId}-01`);
    expect(within(TraceFlags.NONE, currentTraceparent)).toBe(`00-${traceId}-${spanId}-00`);
    expect(within(TraceFlags.SAMPLED, currentTraceId)).toBe(traceId);
  });

  it('is undefined outside a span and for an invalid span context', () => {
    expect(currentTraceId()).toBeUndefined();
    expect(currentTraceparent()).toBeUndefined();
    const invalid = trace.setSpanContext(context.active(), { traceId: '0'.repeat(32), spanId: '0'.repeat(16), traceFlags: 0 });
    expect(context.with(invalid, currentTraceparent)).toBeUndefined();
  });
});

describe('traceLogFields', () => {
  it('reads the ids for a log line from W3C headers, whatever span is active', () => {
    const headers = { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00' };
    const active = trace.setSpanContext(context.active(), { traceId: '1'.repeat(32), spanId: '2'.repeat(16), traceFlags: 1 });
    expect(context.with(active, () => traceLogFields(headers))).toEqual({ trace_id: '0af7651916cd43dd8448eb211c80319c', span_id: 'b7ad6b7169203331' });
  });

  it('is empty for headers without a valid trace context', () => {
    expect(traceLogFields({})).toEqual({});
    expect(traceLogFields({ traceparent: 'not-a-traceparent' })).toEqual({});
    expect(traceLogFields({ traceparent: `00-${'0'.repeat(32)}-b7ad6b7169203331-01` })).toEqual({});
  });
});

describe('requestTraceContext', () => {
  const callerTraceId = '0af7651916cd43dd8448eb211c80319c';
  const headers = { traceparent: `00-${callerTraceId}-b7ad6b7169203331-01`, 'content-type': 'application/json' };

  it("continues the caller's trace from its headers when no span is active (no instrumentation, no ambient context)", () => {
    const ctx = requestTraceContext(headers);
    expect(trace.getSpanContext(ctx)).toMatchObject({ traceId: callerTraceId, spanId: 'b7ad6b7169203331', isRemote: true });
    // The span a service starts for its work on the request (its Kafka producer span) lands in the caller's trace.
    const span = trace.getTracer('test').startSpan('send', {}, ctx);
    expect(span.spanContext().traceId).toBe(callerTraceId);
    span.end();
  });

  it("uses the request's span when an instrumentation opened one: that span already continues the caller's trace", () => {
    const server = trace.getTracer('test').startSpan('POST /messages');
    const ctx = context.with(trace.setSpan(context.active(), server), () => requestTraceContext(headers));
    expect(trace.getSpan(ctx)).toBe(server);
    server.end();
  });

  it('is the root context for a request without trace headers, so the work on it starts a new trace', () => {
    expect(trace.getSpan(requestTraceContext({ 'content-type': 'application/json' }))).toBeUndefined();
    expect(trace.getSpan(requestTraceContext({ traceparent: 'not-a-traceparent' }))).toBeUndefined();
  });
});
