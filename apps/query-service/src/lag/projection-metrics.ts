import type { Metrics } from '@hookline/observability';
import { BatchOutcome } from '../projection/project-batch';
import { ProjectionLag } from './projection-lag';

/**
 * Projection metrics: events applied/skipped per topic, and the lag gauge per topic-partition, measured when
 * Prometheus scrapes (so it is never stale and costs nothing between scrapes).
 */
export function projectionMetrics(metrics: Metrics, lag: ProjectionLag) {
  const events = metrics.counter('query_projected_events_total', 'Events read by the projector, by outcome', ['topic', 'outcome']);
  const batches = metrics.counter('query_projected_batches_total', 'Batch transactions committed by the projector', ['topic']);
  const gauge = metrics.gauge('query_projection_lag', 'Records not yet projected, per topic partition', ['topic', 'partition']);
  const registry = metrics.registry;
  // Measured at scrape time: collect() of a prom-client gauge would have to be declared at construction.
  const render = async () => {
    try {
      for (const p of await lag.measure()) gauge.set({ topic: p.topic, partition: String(p.partition) }, p.lag);
    } catch {
      // Kafka unreachable: the gauge keeps its last values; /readyz reports the outage.
    }
    return { contentType: registry.contentType, body: await registry.metrics() };
  };
  return {
    onBatch(outcome: BatchOutcome, topic: string): void {
      batches.inc({ topic });
      if (outcome.applied) events.inc({ topic, outcome: 'applied' }, outcome.applied - outcome.undecodable.length);
      if (outcome.skipped) events.inc({ topic, outcome: 'duplicate' }, outcome.skipped);
      if (outcome.undecodable.length) events.inc({ topic, outcome: 'undecodable' }, outcome.undecodable.length);
    },
    render,
  };
}
