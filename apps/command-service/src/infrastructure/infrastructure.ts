import { ConfigOf, sealingKeyText } from '@hookline/config';
import { topicSpecs } from '@hookline/contracts';
import { BatchingProducer, createKafka, ensureTopics, topicReplication, waitForKafka } from '@hookline/kafka';
import { createAddressPolicy } from '@hookline/net-guard';
import { Logger, Metrics } from '@hookline/observability';
import { waitUntil } from '@hookline/service-kit';
import { parseSealingKeys } from '@hookline/signing';
import { Kafka } from 'kafkajs';
import { DataSource } from 'typeorm';
import { COMMAND_ENV } from '../config';
import { Authenticator } from '../auth/authenticator';
import { UrlPolicy } from '../shared/endpoint-checks';
import { AggregateStore } from './aggregates/aggregate-store';
import { ConfigCatalog } from './aggregates/config-catalog';
import { openCommandDatabase } from './database/database';
import { CommandIdempotency } from './idempotency/command-idempotency';
import { IdempotencyStore } from './idempotency/idempotency-store';
import { appendMetrics } from './kafka/append-metrics';
import { MessageAppender } from './kafka/message-appender';
import { MessageIndex } from './message-index/message-index';
import { OutboxRelay } from './outbox/outbox-relay';
import { SchemaRegistry } from './schemas/schema-registry';
import { EndpointSecrets } from './secrets/endpoint-secrets';
import { SourceRefusalLog } from '../ingest/http/source-refusal-log';

export type CommandConfig = ConfigOf<typeof COMMAND_ENV>;

/** Everything the command service holds open, created before Nest so start-up failures are one clear line. */
export interface CommandInfrastructure {
  config: CommandConfig;
  ds: DataSource;
  kafka: Kafka;
  producer: BatchingProducer;
  relay: OutboxRelay;
  store: AggregateStore;
  catalog: ConfigCatalog;
  appender: MessageAppender;
  refusals: SourceRefusalLog;
  idempotency: IdempotencyStore;
  schemas: SchemaRegistry;
  secrets: EndpointSecrets;
  authenticator: Authenticator;
  messageIndex: MessageIndex;
  urlPolicy: UrlPolicy;
  metrics: Metrics;
  logger: Logger;
}

const STARTUP_TIMEOUT_MS = 30_000;

export async function openInfrastructure(config: CommandConfig, logger: Logger, metrics: Metrics): Promise<CommandInfrastructure> {
  const sealingKeys = parseSealingKeys(sealingKeyText(config), config.SECRETS_ENCRYPTION_PREVIOUS_KEYS);
  let ds!: DataSource;
  await waitUntil(async () => (ds = await openCommandDatabase(config.DATABASE_URL)), STARTUP_TIMEOUT_MS, `Postgres at ${redactUrl(config.DATABASE_URL)}`);

  // kafkajs' own lines go through the service logger, so LOG_LEVEL and the JSON format apply to them too.
  const kafka = createKafka({ brokers: config.KAFKA_BROKERS, clientId: 'hookline-command-service', topicPrefix: config.KAFKA_TOPIC_PREFIX }, logger);
  await waitForKafka(config.KAFKA_BROKERS, STARTUP_TIMEOUT_MS);
  await ensureTopics(kafka, topicSpecs({ prefix: config.KAFKA_TOPIC_PREFIX }), topicReplication(config));
  const producer = new BatchingProducer(kafka, { lingerMs: config.APPEND_LINGER_MS, lingerWhenBusy: true, onAcknowledged: appendMetrics(metrics, config.METRICS_TENANT_SERIES_LIMIT) });
  await producer.connect();

  const relay = new OutboxRelay(ds, producer, (err) => logger.error({ err }, 'outbox relay failed; retrying'));
  const policy = createAddressPolicy({ allowCidrs: config.SSRF_ALLOW_CIDRS });
  return {
    config,
    ds,
    kafka,
    producer,
    relay,
    store: new AggregateStore(ds, relay, new CommandIdempotency(sealingKeys, config.IDEMPOTENCY_TTL_HOURS), config.KAFKA_TOPIC_PREFIX, config.APPEND_TIMEOUT_MS),
    catalog: new ConfigCatalog(ds),
    appender: new MessageAppender(producer, config.KAFKA_TOPIC_PREFIX, logger),
    refusals: new SourceRefusalLog(new MessageAppender(producer, config.KAFKA_TOPIC_PREFIX, logger, 'operational'), config.SOURCE_REFUSALS_RECORDED_PER_MINUTE, logger),
    idempotency: new IdempotencyStore(ds, config.IDEMPOTENCY_TTL_HOURS, config.APPEND_TIMEOUT_MS),
    schemas: new SchemaRegistry(),
    secrets: new EndpointSecrets(sealingKeys),
    authenticator: new Authenticator(ds, config.ADMIN_API_KEY, config.DEFAULT_RATE_LIMIT_PER_SECOND),
    messageIndex: new MessageIndex(ds),
    urlPolicy: { allowHttp: config.ALLOW_HTTP_ENDPOINTS, policy },
    metrics,
    logger,
  };
}

/** Hides a password in a connection URL for messages. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '<invalid URL>';
  }
}
