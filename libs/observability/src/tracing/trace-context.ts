import { context, isSpanContextValid, propagation, ROOT_CONTEXT, trace, type Context, type SpanContext } from '@opentelemetry/api';

/** The trace id (32 hex characters) of the active span, or `undefined` outside any span or when tracing is off. */
export function currentTraceId(): string | undefined {
  return activeSpanContext()?.traceId;
}

/**
 * The W3C `traceparent` header value (`00-<trace id>-<span id>-<flags>`) of the active span, or `undefined` outside any span or
 * when tracing is off. Built from the span itself, so it does not depend on which propagator is registered.
 */
export function currentTraceparent(): string | undefined {
  const spanContext = activeSpanContext();
  if (spanContext === undefined) return undefined;
  const flags = (spanContext.traceFlags & 0xff).toString(16).padStart(2, '0');
  return `00-${spanContext.traceId}-${spanContext.spanId}-${flags}`;
}

/**
 * The trace context a request runs in, for code that passes it on explicitly (producer spans, trace headers of the
 * events it appends): the active context when an instrumentation opened a span for the request (ambient tracing),
 * otherwise the context the request's own W3C headers carry (`traceparent`, `tracestate`), the root context without
 * them. A service that keeps no ambient context (see `startTracing`'s `ambientContext`) so still continues its callers'
 * traces.
 */
export function requestTraceContext(headers: Readonly<Record<string, string | string[] | undefined>>): Context {
  const active = context.active();
  return trace.getSpan(active) ? active : propagation.extract(ROOT_CONTEXT, headers);
}

/** The active span's context when it is a real one (not the all-zero context of a non-recording placeholder). */
export function activeSpanContext(): SpanContext | undefined {
  return validSpanContext(context.active());
}

/** The span context in `ctx` when it is a real one: neither missing nor the all-zero placeholder. */
function validSpanContext(ctx: Context): SpanContext | undefined {
  const spanContext = trace.getSpanContext(ctx);
  return spanContext !== undefined && isSpanContextValid(spanContext) ? spanContext : undefined;
}

/**
 * `trace_id`/`span_id` for a log line, read from W3C trace headers (e.g. a message's or an attempt's), for code that runs without
 * ambient context; empty when the headers carry no valid trace context or tracing is off. The logger adds the active span's ids
 * by itself; given ids take precedence.
 */
export function traceLogFields(headers: Readonly<Record<string, string>>): TraceLogFields {
  return contextLogFields(propagation.extract(ROOT_CONTEXT, headers));
}

/** `trace_id`/`span_id` for a log line, of the span in a context passed explicitly (e.g. requestTraceContext's). */
export function contextLogFields(ctx: Context): TraceLogFields {
  return spanLogFields(validSpanContext(ctx));
}

/** The ids a log line carries. */
export type TraceLogFields = { trace_id?: string; span_id?: string };

/** A valid span context as log fields (empty without one): the logger's own and {@link traceLogFields}' shape. */
export function spanLogFields(spanContext: SpanContext | undefined): TraceLogFields {
  return spanContext === undefined ? {} : { trace_id: spanContext.traceId, span_id: spanContext.spanId };
}
