import type { Logger, Metrics } from '@hookline/observability';
import { PeriodicJob } from '@hookline/service-kit';
import type { PublishMessageHandler } from '../../commands/publish-message/publish-message.handler';
import { sourceRecordsCounter } from '../source-metrics';
import { AmqpSourceConsumer } from './amqp-source-consumer';
import { AMQP_SOURCE_TIMING, type AmqpSource, type AmqpSourceTiming } from './amqp-sources';

export interface AmqpSourcesDeps {
  publisher: Pick<PublishMessageHandler, 'execute'>;
  metrics: Metrics;
  log: Logger;
  /** Over AMQP_SOURCE_TIMING (tests shorten the waits). */
  timing?: Partial<AmqpSourceTiming>;
}

/**
 * Consumes every configured AMQP source (AMQP_SOURCES) and publishes each message as a message of the source's
 * tenant, through the same rules as POST /messages (event type, JSON Schema, size); see AmqpSourceConsumer for
 * acknowledgements, retries and reconnects. Resolves once every source consumes; a source that cannot (broker
 * unreachable or refusing, no such queue) stops the start, after closing those already started.
 */
export async function startAmqpSources(sources: AmqpSource[], deps: AmqpSourcesDeps): Promise<{ stop(): Promise<void> }> {
  // Declared even without sources, so /metrics always names the series the alert rules and dashboards query.
  const records = sourceRecordsCounter(deps.metrics);
  const connected = deps.metrics.gauge('amqp_source_connected', 'Whether an AMQP source is connected and consuming (1), or reconnecting (0)', ['source']);
  // The queue's ready messages are what the source has yet to take, as a Kafka consumer's lag is (kafka_consumer_lag).
  const depth = deps.metrics.gauge('amqp_source_queue_messages', 'Messages ready in an AMQP source\'s queue, not yet handed to a consumer', ['source', 'queue']);
  if (sources.length === 0) return { stop: async () => undefined };
  const timing = { ...AMQP_SOURCE_TIMING, ...deps.timing };
  const consumers: Array<{ source: AmqpSource; consumer: AmqpSourceConsumer }> = [];
  const depthJob = new PeriodicJob(async () => {
    await Promise.all(consumers.map(async ({ source, consumer }) => {
      // Disconnected, or the check failed: the gauge keeps its last value until the queue answers again.
      const ready = await consumer.queueDepth().catch(() => undefined);
      if (ready !== undefined) depth.set({ source: source.name, queue: source.queue }, ready);
    }));
  }, timing.depthIntervalMs);
  const stop = async () => {
    await depthJob.stop();
    await Promise.all(consumers.map(({ consumer }) => consumer.stop()));
  };
  try {
    for (const source of sources) {
      const consumer = new AmqpSourceConsumer(source, { publisher: deps.publisher, log: deps.log, records, connected, timing });
      await consumer.start();
      consumers.push({ source, consumer });
    }
  } catch (err) {
    await stop().catch(() => undefined);
    throw err;
  }
  depthJob.start(true);
  return { stop };
}
