import { EndpointId, TenantId, topicNames, topicSpecs } from '@hookline/contracts';
import { BatchingProducer, consumerLag, createKafka, ensureTopics, topicReplication, waitForKafka } from '@hookline/kafka';
import { createAddressPolicy, createGuardedAgent, createGuardedSocketFactory, createVettedAddressResolver } from '@hookline/net-guard';
import type { Logger, Metrics } from '@hookline/observability';
import type { ReadinessCheck } from '@hookline/service-kit';
import { parseSealingKeys } from '@hookline/signing';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { rootCertificates } from 'node:tls';
import { sealingKeyText } from '@hookline/config';
import { DispatcherConfig } from '../config';
import { CertificateExpiryWatch } from '../certificate-watch/certificate-expiry-watch';
import { ConfigView } from '../config-view/config-view';
import { SigningSecrets } from '../config-view/signing-secrets';
import { FastPath } from '../consume/fast-path';
import { InFlightLimit } from '../consume/in-flight-limit';
import { MessageConsumer } from '../consume/message-consumer';
import { MessageHandler } from '../consume/message-handler';
import { TransformationRunner } from '@hookline/transform';
import { AmqpConnections } from '../delivery/amqp/amqp-connections';
import { AmqpDestinations } from '../delivery/amqp/amqp-destinations';
import { AttemptExecutor } from '../delivery/attempt-executor';
import { AttemptRunner } from '../delivery/attempt-runner';
import { DroppedDeliveries } from '../delivery/dropped-deliveries';
import { DeliveryEventPublisher } from '../delivery/delivery-event-publisher';
import { EndpointGate } from '../delivery/endpoint-gate';
import { EndpointAgents } from '../delivery/endpoint-agents';
import { KafkaDestinations } from '../delivery/kafka/kafka-destinations';
import { KafkaProducers } from '../delivery/kafka/kafka-producers';
import { EndpointHealth } from '../delivery/endpoint-health';
import { EndpointRateLimit } from '../delivery/endpoint-rate-limit';
import { EndpointInFlightShares } from '../delivery/endpoint-in-flight-shares';
import { SharedBreakers } from '../delivery/shared-breakers';
import { BreakerTransition } from '../domain/circuit-breaker';
import { EndpointTokens } from '../delivery/oauth2/endpoint-tokens';
import { DeadRowRetention } from '../retry-store/dead-row-retention';
import { EndpointHealthStore } from '../retry-store/endpoint-health-store';
import { EndpointRows } from '../retry-store/endpoint-rows';
import { openRetryDatabase } from '../retry-store/open-retry-database';
import { RetryStore } from '../retry-store/retry-store';
import { RowWriter } from '../retry-store/row-writer';
import { SendSlotStore } from '../retry-store/send-slot-store';
import { InFlightShareStore } from '../retry-store/in-flight-share-store';
import { BreakerStore } from '../retry-store/breaker-store';
import { RetryWorker } from '../retry-worker/retry-worker';
import { DISPATCHER_VERSION } from '../version';
import { dispatcherMetrics } from './dispatcher-metrics';
import { releaseEndpointState } from './release-endpoint-state';
import { scrapeRefresh } from './scrape-refresh';

/** Margin of a lease over the attempt timeout: the attempt's event append and row write happen inside it too. */
const LEASE_MARGIN_MS = 30_000;
/** Retry store counts and consumer lag are measured on a scrape, at most this often. */
const SCRAPE_GAUGES_MIN_INTERVAL_MS = 5000;
const SCRAPE_GAUGES_TIMEOUT_MS = 2000;

export interface DispatcherRuntime {
  readinessChecks: ReadinessCheck[];
  /** Brings the gauges measured at scrape time up to date (retry store depth, breaker states, consumer lag). */
  refreshMetrics(): Promise<void>;
  /** Graceful stop: stop consuming, finish or park in-flight work, commit, disconnect. */
  stop(): Promise<void>;
}

/** Wires the dispatcher together and starts it; resolves once the config view caught up and consuming started. */
export async function startDispatcher(config: DispatcherConfig, log: Logger, metrics: Metrics): Promise<DispatcherRuntime> {
  const topics = topicNames(config.KAFKA_TOPIC_PREFIX);
  const instanceId = config.INSTANCE_ID || `${hostname()}-${process.pid}`;
  const sealingKeys = parseSealingKeys(sealingKeyText(config), config.SECRETS_ENCRYPTION_PREVIOUS_KEYS);
  const series = dispatcherMetrics(metrics, config.METRICS_ENDPOINT_SERIES_LIMIT);
  await waitForKafka(config.KAFKA_BROKERS);
  const kafka = createKafka({ brokers: config.KAFKA_BROKERS, clientId: 'hookline-dispatcher', topicPrefix: config.KAFKA_TOPIC_PREFIX }, log);
  const leaseMs = config.DELIVERY_TIMEOUT_MS + LEASE_MARGIN_MS;

  // Idempotent, like the other services: whichever starts first provisions the topics.
  await ensureTopics(kafka, topicSpecs({ prefix: config.KAFKA_TOPIC_PREFIX }), topicReplication(config));
  const db = await openRetryDatabase(config.DATABASE_URL);
  const store = new RetryStore(db);
  const writer = new RowWriter(store);
  const health = new EndpointHealth(new EndpointHealthStore(db), config.AUTO_DISABLE_AFTER_HOURS * 3600_000);
  await health.load();
  // Attempt events are appended after the webhook went out: a linger here delays only the read models, and under a
  // steady load it turns one produce request per delivery into one per several.
  const producer = new BatchingProducer(kafka, { lingerMs: config.EVENT_LINGER_MS });
  await producer.connect();
  const admin = kafka.admin();
  await admin.connect();
  const events = new DeliveryEventPublisher(producer, topics, { deadLettered: (cause) => series.deadLettered(cause), dropped: () => series.dropped.inc() });

  const configView = new ConfigView({
    kafka, topic: topics.config, groupId: `hookline-dispatcher-config-${instanceId}-${Date.now().toString(36)}`,
    syncIntervalMs: 500, sessionTimeoutMs: config.KAFKA_SESSION_TIMEOUT_MS, log,
  });
  await configView.start(60_000);
  log.info({ endpoints: configView.endpoints.size }, 'config view caught up');

  // The longest an attempt runs: an OAuth token fetch and the POST, each up to DELIVERY_TIMEOUT_MS, plus a margin.
  const longestAttemptMs = 2 * config.DELIVERY_TIMEOUT_MS + 5000;
  // A share may be used for three renewal periods without a successful renewal; its row stands long enough after that
  // for attempts started just before to end.
  const shareValidMs = 3 * config.IN_FLIGHT_SHARE_RENEW_MS;
  const shareStore = new InFlightShareStore(db);
  const shares = new EndpointInFlightShares({
    instanceId, look: (look) => shareStore.look(look), inFlightOf: (endpointId) => gate.inFlight(endpointId),
    renewMs: config.IN_FLIGHT_SHARE_RENEW_MS, validMs: shareValidMs, leaseMs: shareValidMs + longestAttemptMs, log,
  });
  const announceBreaker = (tenantId: TenantId, endpointId: EndpointId, t: BreakerTransition) => {
    log.warn({ endpoint_id: endpointId, from: t.from, to: t.to, failure_ratio: t.failureRatio }, 'circuit breaker changed');
    events.breakerChanged(tenantId, endpointId, t.to, t.failureRatio).catch((err) => log.error({ err: err.message }, 'breaker event not appended'));
  };
  const breaker = {
    windowMs: config.BREAKER_WINDOW_SECONDS * 1000, minVolume: config.BREAKER_MIN_VOLUME,
    failureRatio: config.BREAKER_FAILURE_RATIO, openMs: config.BREAKER_OPEN_SECONDS * 1000,
  };
  // A probe claim stands as long as its attempt may run.
  const breakers = new SharedBreakers({
    instanceId, store: new BreakerStore(db), probeLeaseMs: longestAttemptMs,
    syncMs: config.BREAKER_SYNC_MS, announce: announceBreaker, log,
  });
  const gate: EndpointGate = new EndpointGate(
    {
      endpointMaxInFlight: config.ENDPOINT_MAX_IN_FLIGHT,
      inFlightRecheckMs: config.PARKED_RECHECK_MS,
      breaker,
    },
    announceBreaker,
    shares,
    breakers,
  );
  shares.start();
  breakers.start();
  const policy = createAddressPolicy({ allowCidrs: config.SSRF_ALLOW_CIDRS });
  const ca = config.DELIVERY_EXTRA_CA_FILE ? [...rootCertificates, readExtraCa(config.DELIVERY_EXTRA_CA_FILE)] : undefined;
  const agentOptions = {
    policy,
    connectTimeoutMs: config.CONNECT_TIMEOUT_MS,
    // Several endpoints often share one origin (a customer's host with one path per event family): a pool no bigger than
    // one endpoint's cap would queue the others' attempts behind it inside undici.
    connectionsPerOrigin: Math.max(64, config.ENDPOINT_MAX_IN_FLIGHT),
    ...(ca ? { ca } : {}),
    ...(config.DELIVERY_PROXY_URL ? { proxyUrl: config.DELIVERY_PROXY_URL } : {}),
  };
  const agent = createGuardedAgent(agentOptions);
  const secrets = new SigningSecrets(sealingKeys);
  const agents = new EndpointAgents({
    shared: agent, open: (sealed) => secrets.open(sealed),
    withClientCertificate: (clientCertificate) => createGuardedAgent({ ...agentOptions, clientCertificate }),
  });
  const userAgent = config.USER_AGENT || `Hookline/${DISPATCHER_VERSION}`;
  const tokens = new EndpointTokens({ agent, open: (sealed) => secrets.open(sealed), timeoutMs: config.DELIVERY_TIMEOUT_MS, userAgent });
  const transformations = new TransformationRunner({ threads: config.TRANSFORMATION_THREADS, timeoutMs: config.TRANSFORMATION_TIMEOUT_MS,
    maxMemoryMb: config.TRANSFORMATION_MAX_MEMORY_MB, maxResultBytes: config.TRANSFORMATION_MAX_BODY_BYTES });
  const kafkaProducers = new KafkaProducers({
    socketFactory: createGuardedSocketFactory({ policy, lookupTimeoutMs: config.CONNECT_TIMEOUT_MS }), clientId: userAgent,
    connectTimeoutMs: config.CONNECT_TIMEOUT_MS, idleMs: config.KAFKA_DESTINATION_IDLE_MS, maxProducers: config.KAFKA_DESTINATION_MAX_PRODUCERS,
    open: (sealed) => secrets.open(sealed), observer: series.brokerClientPool('kafka'), ...(ca ? { ca } : {}),
  });
  // Kafka connections cannot go through the HTTP CONNECT proxy yet: going around it would leave from addresses the
  // customer did not allow-list (or that the network does not let out at all), so they fail instead, saying why.
  const kafkaDestinations = new KafkaDestinations({
    producers: kafkaProducers, timeoutMs: config.DELIVERY_TIMEOUT_MS,
    ...(config.DELIVERY_PROXY_URL ? { unavailable: 'Kafka destinations cannot be reached through DELIVERY_PROXY_URL (not supported yet)' } : {}),
  });
  const amqpConnections = new AmqpConnections({
    resolve: createVettedAddressResolver({ policy, lookupTimeoutMs: config.CONNECT_TIMEOUT_MS }), clientName: userAgent,
    connectTimeoutMs: config.CONNECT_TIMEOUT_MS, idleMs: config.AMQP_DESTINATION_IDLE_MS, maxConnections: config.AMQP_DESTINATION_MAX_CONNECTIONS,
    open: (sealed) => secrets.open(sealed), observer: series.brokerClientPool('amqp'), ...(ca ? { ca } : {}),
  });
  // Like Kafka's: going around the proxy would leave from addresses the customer did not allow-list.
  const amqpDestinations = new AmqpDestinations({
    connections: amqpConnections, timeoutMs: config.DELIVERY_TIMEOUT_MS,
    ...(config.DELIVERY_PROXY_URL ? { unavailable: 'AMQP destinations cannot be reached through DELIVERY_PROXY_URL (not supported yet)' } : {}),
  });
  const executor = new AttemptExecutor({
    agents, secrets, tokens, transformations, kafka: kafkaDestinations, amqp: amqpDestinations, timeoutMs: config.DELIVERY_TIMEOUT_MS, userAgent, maxResponseBytes: 4096,
  });
  const endpointRows = new EndpointRows(db);
  const droppedDeliveries = new DroppedDeliveries({ store, events, settleMs: longestAttemptMs, log });
  configView.endpoints.onChange(releaseEndpointState({ gate, agents, tokens, secrets, amqp: amqpConnections, health, rows: endpointRows, deliveries: droppedDeliveries, log }));
  // Endpoints deleted while no dispatcher ran: the replay above happened before anyone listened.
  const exists = (id: EndpointId) => configView.endpoints.get(id) !== undefined;
  const forgotten = (await health.forgetAllBut(exists)) + (await endpointRows.forgetAllBut(exists)) + (await droppedDeliveries.dropAllBut(exists));
  if (forgotten > 0) log.info({ endpoints: forgotten }, 'forgot the rows of endpoints deleted meanwhile');
  const slots = new SendSlotStore(db);
  const rateLimit = new EndpointRateLimit((endpointId, rate, wanted) => slots.take(endpointId, rate, wanted));
  const runner = new AttemptRunner({
    executor, gate, events, endpoints: configView.endpoints, health, random: Math.random, log,
    alertFailingAfter: config.ALERT_FAILING_AFTER_ATTEMPTS,
    retry: {
      scheduleSeconds: config.RETRY_SCHEDULE_SECONDS, jitter: config.RETRY_JITTER,
      minDelayAfterThrottleSeconds: config.MIN_DELAY_AFTER_THROTTLE_SECONDS, retryAfterMaxSeconds: config.RETRY_AFTER_MAX_SECONDS,
    },
    onAttempt: (record, finished, trigger) => series.attempted(record, finished, trigger),
  });
  const retryWorker = new RetryWorker({
    store, writer, endpoints: configView.endpoints, gate, rateLimit, runner, events, instanceId, leaseMs, log,
    pollIntervalMs: config.RETRY_POLL_INTERVAL_MS, claimBatch: config.RETRY_CLAIM_BATCH, concurrency: config.RETRY_CONCURRENCY,
  });
  const inFlight = new InFlightLimit(config.GLOBAL_MAX_IN_FLIGHT);
  let consumer: MessageConsumer | null = null;
  const onStuck = (err: unknown) => consumer?.markStuck(err);
  const fastPath = new FastPath({
    gate, rateLimit, runner, writer, events, inFlight, parkAfterMs: config.PARK_AFTER_MS, inFlightRecheckMs: config.PARKED_RECHECK_MS, leaseMs, instanceId, log, onStuck,
    onParked: () => retryWorker.wake(), onPark: (reason) => series.parked.inc({ reason }),
  });
  const handler = new MessageHandler({ endpoints: configView.endpoints, fastPath, store, drops: droppedDeliveries, log, onStuck, onRequeued: () => retryWorker.wake() });
  consumer = new MessageConsumer({
    kafka, topic: topics.messages, groupId: config.CONSUMER_GROUP_ID, sessionTimeoutMs: config.KAFKA_SESSION_TIMEOUT_MS,
    commitIntervalMs: config.COMMIT_INTERVAL_MS, handler, inFlight, log,
    configFreshAt: (ts, timeoutMs) => configView.awaitFreshness(ts, timeoutMs),
  });
  const retention = new DeadRowRetention(store, {
    retentionDays: config.DEAD_ROW_RETENTION_DAYS, intervalMs: config.DEAD_ROW_PURGE_INTERVAL_MS, log,
    onPurged: (rows) => series.deadRowsPurged.inc(rows),
  });
  const certificateWatch = new CertificateExpiryWatch({
    db, endpoints: () => configView.endpoints.withClientCertificates(), publish: (warning) => events.certificateExpiring(warning),
    warnDays: config.CLIENT_CERT_WARN_DAYS, intervalMs: config.CLIENT_CERT_CHECK_INTERVAL_MS, log,
  });
  retryWorker.start();
  retention.start();
  certificateWatch.start();
  await consumer.start();
  const gauges = setInterval(() => {
    series.inFlight.set(inFlight.current);
    series.waiting.set(fastPath.waitingCount);
    series.outstanding.set(consumer?.outstanding ?? 0);
  }, 1000);
  gauges.unref();
  const refreshMetrics = scrapeRefresh(
    async () => {
      series.setBreakers(gate.breakerStates());
      const [parked, lag] = await Promise.all([store.countByState(), consumerLag(kafka, config.CONSUMER_GROUP_ID, [topics.messages])]);
      series.setParked(parked);
      series.setConsumerLag(config.CONSUMER_GROUP_ID, lag);
    },
    {
      minIntervalMs: SCRAPE_GAUGES_MIN_INTERVAL_MS, timeoutMs: SCRAPE_GAUGES_TIMEOUT_MS,
      onError: (err) => log.warn({ err: (err as Error).message }, 'metrics: could not measure the retry store or consumer lag'),
    },
  );

  const readinessChecks: ReadinessCheck[] = [
    { name: 'postgres', check: async () => void (await db.query('SELECT 1')) },
    { name: 'kafka', check: async () => void (await admin.describeCluster()) },
    { name: 'config_view', check: async () => { if (!configView.ready) throw new Error('config topic not caught up yet'); } },
  ];

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      const budget = Math.max(1000, config.SHUTDOWN_TIMEOUT_MS - 2000);
      clearInterval(gauges);
      await consumer!.stop(async () => {
        if (!(await fastPath.parkAllRunning(budget / 2))) log.warn('some in-flight deliveries could not be parked; they will be redelivered');
      });
      log.info('consumer stopped and offsets committed');
      await Promise.all([fastPath.waitIdle(budget / 4), retryWorker.stop(budget / 4), retention.stop(), certificateWatch.stop(), droppedDeliveries.stop()]);
      await writer.flush().catch(() => undefined);
      const released = await store.releaseLeases(instanceId).catch(() => 0);
      if (released > 0) log.info({ released }, 'attempts still running at shutdown were handed back to the retry store');
      // destroy, not close: close would wait for attempts that were just handed back.
      await Promise.all([agent.destroy(), agents.destroy(), kafkaProducers.destroy(), amqpConnections.destroy(), transformations.close()]);
      // No attempt of this instance runs any more: what it held of endpoints' caps is free for the other instances.
      shares.stop();
      await shareStore.releaseAll(instanceId).catch(() => undefined);
      await breakers.stop();
      await configView.stop();
      await producer.disconnect();
      await admin.disconnect();
      await db.destroy();
      log.info('dispatcher stopped');
    })());
  return { readinessChecks, refreshMetrics, stop };
}

/** The extra trust anchors, read once at start-up; a file that cannot be read stops the start with its name. */
function readExtraCa(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new Error(`DELIVERY_EXTRA_CA_FILE: cannot read ${file}: ${(err as Error).message}`);
  }
}
