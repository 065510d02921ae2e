import { ReceivedSpan, SPAN_KIND } from '@hookline/testing';
import { LatencySummary, summarize } from './stats';

/** What the hop breakdown needs of one span the OTLP receiver kept. */
export type SpanTimes = Pick<ReceivedSpan, 'traceId' | 'service' | 'name' | 'kind' | 'startMs' | 'endMs'>;

/**
 * The legs of one delivery's path, each from the start of one span of its trace to the start of the next, so they add
 * up to the delivery's whole time in Hookline (the publish request's arrival to the end of the webhook attempt):
 * - `accepted`: the publish request until its message is handed to the producer (routing, auth, validation);
 * - `through Kafka`: until the dispatcher starts on it (the producer's linger, the produce, the fetch, the config check);
 * - `fanned out`: until its attempt starts (the fan-out, a wait for one of the endpoint's slots);
 * - `attempt`: the attempt itself (signing, the POST, the receiver's answer).
 * `appended` is apart: the producer span alone (linger and produce until Kafka acknowledged), a part of `through Kafka`
 * and of the 202 path.
 */
export interface DeliveryHops {
  accepted: number;
  throughKafka: number;
  fannedOut: number;
  attempt: number;
  appended: number;
  total: number;
}

export type HopName = keyof DeliveryHops;

const COMMAND_SERVICE = 'hookline-command-service';
const DISPATCHER = 'hookline-dispatcher';

/** One entry per webhook attempt of every trace that holds a publish request, its append, its consumption and attempts. */
export function deliveryHops(spans: readonly SpanTimes[]): DeliveryHops[] {
  const traces = new Map<string, SpanTimes[]>();
  for (const span of spans) {
    const trace = traces.get(span.traceId);
    if (trace) trace.push(span);
    else traces.set(span.traceId, [span]);
  }
  const out: DeliveryHops[] = [];
  for (const trace of traces.values()) {
    const request = trace.find((s) => s.service === COMMAND_SERVICE && s.kind === SPAN_KIND.SERVER && s.name.startsWith('POST ') && s.name.endsWith('/messages'));
    const append = trace.find((s) => s.service === COMMAND_SERVICE && s.kind === SPAN_KIND.PRODUCER);
    const consumed = trace.find((s) => s.service === DISPATCHER && s.kind === SPAN_KIND.CONSUMER);
    if (!request || !append || !consumed) continue;
    for (const attempt of trace.filter((s) => s.service === DISPATCHER && s.kind === SPAN_KIND.CLIENT && s.name === 'webhook attempt')) {
      out.push({
        accepted: append.startMs - request.startMs,
        throughKafka: consumed.startMs - append.startMs,
        fannedOut: attempt.startMs - consumed.startMs,
        attempt: attempt.endMs - attempt.startMs,
        appended: append.endMs - append.startMs,
        total: attempt.endMs - request.startMs,
      });
    }
  }
  return out;
}

/**
 * Each leg's distribution over all deliveries, and its mean over the slowest 1 % (by total): where the tail's time goes,
 * which the legs' own p99s cannot say (they rarely fall on the same deliveries).
 */
export function summarizeHops(hops: readonly DeliveryHops[]): Array<{ hop: HopName; all: LatencySummary; slowestMean: number }> {
  const slowest = [...hops].sort((a, b) => b.total - a.total).slice(0, Math.max(1, Math.ceil(hops.length / 100)));
  const names: HopName[] = ['accepted', 'throughKafka', 'fannedOut', 'attempt', 'appended', 'total'];
  return names.map((hop) => ({
    hop,
    all: summarize(hops.map((h) => h[hop])),
    slowestMean: slowest.reduce((sum, h) => sum + h[hop], 0) / slowest.length,
  }));
}
