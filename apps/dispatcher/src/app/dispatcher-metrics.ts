import type { Metrics } from '@hookline/observability';

/** The dispatcher's own series (bounded labels only: no endpoint or tenant ids). */
export function dispatcherMetrics(metrics: Metrics) {
  return {
    attempts: metrics.counter('dispatcher_attempts_total', 'Delivery attempts by result and trigger', ['result', 'trigger'] as const),
    parked: metrics.counter('dispatcher_parked_total', 'Deliveries parked in the retry store, by reason', ['reason'] as const),
    inFlight: metrics.gauge('dispatcher_fast_path_in_flight', 'Fast-path attempts holding Kafka offsets'),
    outstanding: metrics.gauge('dispatcher_uncommitted_messages', 'Consumed messages whose offsets are not committable yet'),
  };
}
