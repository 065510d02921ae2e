import type { Metrics } from '@hookline/observability';

/**
 * Records read from every kind of source (Kafka topics, RabbitMQ queues) by source name and outcome (`published`,
 * `rejected`): one series name, so one dashboard panel and one alert rule cover them all.
 */
export function sourceRecordsCounter(metrics: Metrics) {
  return metrics.counter('command_source_records_total', 'Records read from Kafka and AMQP sources, by source and outcome (published, rejected)', ['source', 'outcome']);
}
