import type { Metrics } from '@hookline/observability';
import { BatchOutcome } from '../projection/project-batch';
import { ProjectionLag } from './projection-lag';

const BATCH_SIZES = [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000];
const BATCH_SECONDS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * Projection metrics: events applied/skipped per topic, batch size and transaction duration per topic, and the lag per
 * topic-partition, measured when Prometheus scrapes (so it is never stale and costs nothing between scrapes). The lag is
 * exported twice: as the projection's own gauge, and as `kafka_consumer_lag` with the group label every consumer shares, so
 * one alert rule covers the dispatcher and the projector.
 */
export function projectionMetrics(metrics: Metrics, lag: ProjectionLag, group: string) {
  const events = metrics.counter('query_projected_events_total', 'Events read by the projector, by outcome', ['topic', 'outcome']);
  const batches = metrics.counter('query_projected_batches_total', 'Batch transactions committed by the projector', ['topic']);
  const batchSize = metrics.histogram('query_projection_batch_size', 'Records per projected batch', ['topic'], BATCH_SIZES);
  const batchSeconds = metrics.histogram('query_projection_batch_duration_seconds', 'Duration of one batch transaction', ['topic'], BATCH_SECONDS);
  const gauge = metrics.gauge('query_projection_lag', 'Records not yet projected, per topic partition', ['topic', 'partition']);
  const consumerLag = metrics.gauge('kafka_consumer_lag', 'Records a consumer group has not processed yet, per topic partition', ['group', 'topic', 'partition']);
  const registry = metrics.registry;
  // Measured at scrape time: collect() of a prom-client gauge would have to be declared at construction.
  const render = async () => {
    try {
      for (const p of await lag.measure()) {
        gauge.set({ topic: p.topic, partition: String(p.partition) }, p.lag);
        consumerLag.set({ group, topic: p.topic, partition: String(p.partition) }, p.lag);
      }
    } catch {
      // Kafka unreachable: the gauge keeps its last values; /readyz reports the outage.
    }
    return { contentType: registry.contentType, body: await registry.metrics() };
  };
  return {
    onBatch(outcome: BatchOutcome, topic: string, seconds: number): void {
      batches.inc({ topic });
      batchSize.observe({ topic }, outcome.applied + outcome.skipped);
      batchSeconds.observe({ topic }, seconds);
      if (outcome.applied) events.inc({ topic, outcome: 'applied' }, outcome.applied - outcome.undecodable.length);
      if (outcome.skipped) events.inc({ topic, outcome: 'duplicate' }, outcome.skipped);
      if (outcome.undecodable.length) events.inc({ topic, outcome: 'undecodable' }, outcome.undecodable.length);
    },
    render,
  };
}
