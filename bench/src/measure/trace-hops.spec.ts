import { SPAN_KIND } from '@hookline/testing';
import { SpanTimes, deliveryHops, summarizeHops } from './trace-hops';

const span = (traceId: string, service: string, kind: number, name: string, startMs: number, endMs: number): SpanTimes =>
  ({ traceId, service, kind, name, startMs, endMs });

/** One published message fanned out to `attempts` endpoints, with the spans Hookline exports for it (and some it doesn't matter for). */
function trace(id: string, t0: number, legs: { accepted: number; kafka: number; fanOut: number; attempt: number }, attempts = 1): SpanTimes[] {
  const appendAt = t0 + legs.accepted;
  const consumedAt = appendAt + legs.kafka;
  const attemptAt = consumedAt + legs.fanOut;
  return [
    span(id, 'hookline-command-service', SPAN_KIND.SERVER, 'POST /v1/tenants/:tenantId/messages', t0, appendAt + 5),
    span(id, 'hookline-command-service', SPAN_KIND.INTERNAL, 'middleware - jsonParser', t0, t0 + 0.2),
    span(id, 'hookline-command-service', SPAN_KIND.PRODUCER, 'send bench-x-hookline.messages.v1', appendAt, appendAt + 4),
    span(id, 'hookline-dispatcher', SPAN_KIND.CONSUMER, 'process bench-x-hookline.messages.v1', consumedAt, consumedAt + 0.3),
    ...Array.from({ length: attempts }, () => span(id, 'hookline-dispatcher', SPAN_KIND.CLIENT, 'webhook attempt', attemptAt, attemptAt + legs.attempt)),
    span(id, 'hookline-dispatcher', SPAN_KIND.PRODUCER, 'send bench-x-hookline.deliveries.v1', attemptAt + legs.attempt, attemptAt + legs.attempt + 8),
    span(id, 'query-service', SPAN_KIND.CONSUMER, 'project', attemptAt + 20, attemptAt + 21),
  ];
}

describe('deliveryHops', () => {
  it('splits each attempt of a traced publish into legs that add up to its whole time in Hookline', () => {
    const hops = deliveryHops(trace('a', 1000, { accepted: 1, kafka: 6, fanOut: 0.5, attempt: 2 }, 2));

    expect(hops).toHaveLength(2);
    expect(hops[0]).toEqual({ accepted: 1, throughKafka: 6, fannedOut: 0.5, attempt: 2, appended: 4, total: 9.5 });
    expect(hops[0].accepted + hops[0].throughKafka + hops[0].fannedOut + hops[0].attempt).toBe(hops[0].total);
  });

  it('leaves out traces the sampler or the exporter cut short, and spans of other publish-like requests', () => {
    const whole = trace('whole', 0, { accepted: 1, kafka: 2, fanOut: 0, attempt: 1 });
    const noConsumer = trace('partial', 0, { accepted: 1, kafka: 2, fanOut: 0, attempt: 1 }).filter((s) => s.kind !== SPAN_KIND.CONSUMER);
    const endpointCreation = trace('endpoint', 0, { accepted: 1, kafka: 2, fanOut: 0, attempt: 1 })
      .map((s) => (s.kind === SPAN_KIND.SERVER ? { ...s, name: 'POST /v1/tenants/:tenantId/endpoints' } : s));

    expect(deliveryHops([...noConsumer, ...whole, ...endpointCreation])).toHaveLength(1);
  });
});

describe('summarizeHops', () => {
  it('says which leg the slowest 1 % spent their time in, though its own p99 does not stand out', () => {
    // 99 deliveries slow only in the attempt (its p99 leg), one slow only through Kafka (the slowest in total).
    const spans = [
      ...Array.from({ length: 99 }, (_, i) => trace(`t${i}`, i * 10, { accepted: 1, kafka: 3, fanOut: 0, attempt: i < 90 ? 2 : 30 })).flat(),
      ...trace('stuck', 5000, { accepted: 1, kafka: 60, fanOut: 0, attempt: 2 }),
    ];
    const byHop = Object.fromEntries(summarizeHops(deliveryHops(spans)).map((h) => [h.hop, h]));

    expect(byHop.attempt.all.p99).toBe(30);
    expect(byHop.throughKafka.all.p99).toBe(3);
    expect(byHop.throughKafka.slowestMean).toBe(60);
    expect(byHop.attempt.slowestMean).toBe(2);
    expect(byHop.total.all.count).toBe(100);
  });
});
