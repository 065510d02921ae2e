import { context, SpanKind, trace, type Context, type Link, type Span } from '@opentelemetry/api';
import type { IHeaders } from 'kafkajs';
import { activeSpanContext } from '../tracing/trace-context';
import { hooklineTracer } from '../tracing/tracer';
import { runInSpan } from '../tracing/run-in-span';
import { kafkaSpanAttributes, type KafkaMessageAttributes } from './kafka-message-attributes';
import { extractTraceContext, injectTraceHeaders } from './kafka-trace-headers';

/**
 * Runs `fn` inside a PRODUCER span (a child of `parent`, by default the active span) and hands it the trace headers to put on
 * the message, so the consumer's span becomes a child of this one. The span records a throw or rejection and ends when `fn`
 * settles. Code that may run without ambient context (see `startTracing`'s `ambientContext`) passes `parent`.
 *
 * ```ts
 * await withProducerSpan(`send ${topic}`, { topic, key }, (traceHeaders) =>
 *   producer.send({ topic, messages: [{ key, value, headers: { ...headers, ...traceHeaders } }] }));
 * ```
 */
export function withProducerSpan<T>(
  name: string,
  attrs: KafkaMessageAttributes,
  fn: (traceHeaders: Record<string, string>, span: Span) => Promise<T> | T,
  parent: Context = context.active(),
): Promise<T> {
  const span = hooklineTracer().startSpan(name, { kind: SpanKind.PRODUCER, attributes: kafkaSpanAttributes(attrs, 'send') }, parent);
  const ctx = trace.setSpan(parent, span);
  return runInSpan(span, ctx, () => fn(injectTraceHeaders({}, ctx), span));
}

/**
 * Runs `fn` inside a CONSUMER span that is a child of the producer span found in the message `headers` (a new trace when they
 * carry none), linked to the span active at the call (e.g. a batch span). `fn` also gets the span's context, for work that
 * must not depend on ambient context. The span records a throw or rejection and ends when `fn` settles.
 */
export function withConsumerSpan<T>(
  name: string,
  headers: IHeaders | undefined,
  attrs: KafkaMessageAttributes,
  fn: (span: Span, ctx: Context) => Promise<T> | T,
): Promise<T> {
  const { span, context: ctx } = startConsumerSpan(name, headers, attrs);
  return runInSpan(span, ctx, () => fn(span, ctx));
}

/** One record's span from {@link startLinkedSpan}. */
export interface RecordSpan {
  /** The CONSUMER span; whoever does not use {@link RecordSpan.run} must call `span.end()`. */
  readonly span: Span;
  /** The record's producer context with `span` active: run the record's work in it with `context.with(ctx, …)`. */
  readonly context: Context;
  /** Runs `fn` with {@link RecordSpan.context} active, records a throw or rejection, and ends the span when `fn` settles. */
  run<T>(fn: (span: Span) => Promise<T> | T): Promise<T>;
}

/**
 * For batch consumers: starts one CONSUMER span per record, each a child of that record's producer span (read from
 * `parentHeaders[i]`), so every message keeps its own trace from produce through consume to the HTTP attempt. Each span is
 * linked to the span active at the call (e.g. the batch span), which keeps the batch visible from every message trace.
 * `attrs` is one set for the whole batch, or a function of the record's index for per-record key and offset.
 * Returns the spans in the order of `parentHeaders`; each must be ended, by {@link RecordSpan.run} or by hand.
 */
export function startLinkedSpan(
  name: string,
  parentHeaders: ReadonlyArray<IHeaders | undefined>,
  attrs?: KafkaMessageAttributes | ((index: number) => KafkaMessageAttributes),
): RecordSpan[] {
  return parentHeaders.map((headers, index) => {
    const recordAttrs = typeof attrs === 'function' ? attrs(index) : attrs;
    const { span, context: ctx } = startConsumerSpan(name, headers, recordAttrs);
    return { span, context: ctx, run: (fn) => runInSpan(span, ctx, () => fn(span)) };
  });
}

function startConsumerSpan(
  name: string,
  headers: IHeaders | undefined,
  attrs: KafkaMessageAttributes | undefined,
): { span: Span; context: Context } {
  const parent = extractTraceContext(headers);
  const batchSpan = activeSpanContext();
  const links: Link[] = batchSpan === undefined ? [] : [{ context: batchSpan }];
  const attributes = attrs === undefined ? undefined : kafkaSpanAttributes(attrs, 'process');
  const span = hooklineTracer().startSpan(name, { kind: SpanKind.CONSUMER, attributes, links }, parent);
  return { span, context: trace.setSpan(parent, span) };
}
