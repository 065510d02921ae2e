import { context, trace, TraceFlags } from '@opentelemetry/api';
import { startInMemoryTracing, type InMemoryTracing } from '../testing/in-memory-tracing';
import { currentTraceId, currentTraceparent } from './trace-context';

describe('currentTraceId / currentTraceparent', () => {
  let tracing: InMemoryTracing;
  beforeEach(() => {
    tracing = startInMemoryTracing();
  });
  afterEach(() => tracing.stop());

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
