import { context, propagation, ROOT_CONTEXT, type Context, type TextMapGetter } from '@opentelemetry/api';
import type { IHeaders } from 'kafkajs';
import { utf8Text } from './utf8-text';

/**
 * Writes the trace context of `ctx` (the active context by default) into `headers` as W3C `traceparent`/`tracestate` entries
 * and returns the same object, ready to go on a kafkajs message. Writes nothing when there is no span or tracing is off.
 */
export function injectTraceHeaders(headers: Record<string, string>, ctx: Context = context.active()): Record<string, string> {
  propagation.inject(ctx, headers);
  return headers;
}

/**
 * Reads the trace context a producer put on a consumed message. Header values may be Buffers (as kafkajs delivers them), strings
 * or arrays of either. The result is based on the root context, not the active one: whatever the consume loop happens to be
 * running in must not become the parent of a message that came from elsewhere. Without trace headers it is the root context.
 */
export function extractTraceContext(headers: IHeaders | undefined): Context {
  return propagation.extract(ROOT_CONTEXT, headers ?? {}, kafkaHeaderGetter);
}

const kafkaHeaderGetter: TextMapGetter<IHeaders> = {
  keys: (carrier) => Object.keys(carrier),
  get: (carrier, key) => headerText(carrier[key] ?? carrier[findKeyIgnoringCase(carrier, key) ?? key]),
};

// Producers outside this codebase may spell the header `Traceparent`; HTTP-derived header names are case-insensitive.
function findKeyIgnoringCase(carrier: IHeaders, key: string): string | undefined {
  const wanted = key.toLowerCase();
  return Object.keys(carrier).find((candidate) => candidate.toLowerCase() === wanted);
}

function headerText(value: IHeaders[string]): string | string[] | undefined {
  if (value === undefined) return undefined;
  if (Array.isArray(value)) return value.map(utf8Text);
  return utf8Text(value);
}

