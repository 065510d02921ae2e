import type { Metrics } from '@hookline/observability';
import type { PartitionLag } from '@hookline/kafka';
import { AttemptRecord } from '../delivery/attempt-executor';
import { ClientCloseReason, ClientPoolObserver } from '../delivery/broker/client-pool';
import { BreakerState } from '../domain/circuit-breaker';
import { AttemptTrigger, DeadLetteredDelivery, FinishedDelivery } from '../domain/delivery-lifecycle';
import { ParkedCount } from '../retry-store/retry-store';

// One HTTP attempt: bounded by DELIVERY_TIMEOUT_MS (15 s by default).
const ATTEMPT_SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15, 30];
// Accepted → delivered includes parks and retries: from milliseconds up to the last retry of the schedule, hours later.
const DELIVERY_SECONDS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 1800, 3600, 7200, 21600, 43200, 86400];

/** The broker destinations whose clients (Kafka producers, AMQP connections) a pool holds: the `protocol` label. */
export type BrokerProtocol = 'kafka' | 'amqp';
const BROKER_PROTOCOLS: readonly BrokerProtocol[] = ['kafka', 'amqp'];
const CLOSE_REASONS: readonly ClientCloseReason[] = ['idle', 'evicted', 'broken', 'retired', 'shutdown'];

/**
 * `2xx` … `5xx` for an attempt that got a response, `acknowledged` for a record a Kafka destination's cluster took or a
 * message an AMQP broker confirmed, and `error` for an attempt that got neither (refused, timed out, network, a
 * broker's refusal).
 */
export function statusClass(record: Pick<AttemptRecord, 'response' | 'succeeded'>): string {
  if (record.response) return `${Math.floor(record.response.status / 100)}xx`;
  // Only a broker destination's acknowledgement succeeds without an HTTP response.
  return record.succeeded ? 'acknowledged' : 'error';
}

/**
 * The dispatcher's own series. Labels are bounded: outcome, status class, trigger, cause, park reason, breaker state,
 * Kafka partition; the only endpoint ids are those of endpoints whose breaker is not closed, at most
 * METRICS_ENDPOINT_SERIES_LIMIT of them.
 */
export function dispatcherMetrics(metrics: Metrics, endpointSeriesLimit: number) {
  const attempts = metrics.counter('dispatcher_attempts_total', 'Delivery attempts by result and trigger', ['result', 'trigger'] as const);
  const deliveries = metrics.counter(
    'dispatcher_deliveries_total',
    'Attempts by the delivery outcome they led to (succeeded, retry_scheduled, dead_lettered) and response status class',
    ['outcome', 'status_class'] as const,
  );
  // Why attempts fail (http_status, timeout, ssrf_refused, transformation, …): a rise of one class says where to look.
  const attemptErrors = metrics.counter('dispatcher_attempt_errors_total', 'Failed attempts by error class', ['error_class'] as const);
  const retries = metrics.counter('dispatcher_retries_total', 'Retries scheduled after a failed attempt, by status class', ['status_class'] as const);
  const deadLetters = metrics.counter('dispatcher_dead_letters_total', 'Deliveries dead-lettered, by cause', ['cause'] as const);
  const attemptSeconds = metrics.histogram(
    'dispatcher_attempt_duration_seconds', 'Duration of one HTTP attempt, by status class', ['status_class'] as const, ATTEMPT_SECONDS,
  );
  const deliveredSeconds = metrics.histogram(
    'dispatcher_delivery_latency_seconds', 'Time from the message being accepted (published_at) to its successful delivery', [], DELIVERY_SECONDS,
  );
  const parkedRows = metrics.gauge('dispatcher_parked_deliveries', 'Deliveries in the retry store (queue depth), by state and park reason', ['state', 'reason'] as const);
  const breakerEndpoints = metrics.gauge('dispatcher_breaker_endpoints', 'Endpoints seen by this instance, by circuit breaker state', ['state'] as const);
  const endpointBreaker = metrics.gauge(
    'dispatcher_endpoint_breaker_state',
    'Endpoints whose circuit breaker is open or half-open (1), per endpoint; closed ones have no series',
    ['endpoint', 'state'] as const,
  );
  const consumerLag = metrics.gauge('kafka_consumer_lag', 'Records a consumer group has not committed yet, per topic partition', ['group', 'topic', 'partition'] as const);
  const brokerClients = metrics.gauge('dispatcher_broker_clients', 'Open Kafka producers and AMQP connections of broker destinations, by protocol', ['protocol'] as const);
  const brokerOpened = metrics.counter('dispatcher_broker_clients_opened_total', 'Broker destination clients opened, by protocol', ['protocol'] as const);
  const brokerClosed = metrics.counter(
    'dispatcher_broker_clients_closed_total',
    'Broker destination clients closed, by protocol and reason (idle, evicted to make room, broken, retired: no endpoint uses it, shutdown)',
    ['protocol', 'reason'] as const,
  );
  const brokerRefused = metrics.counter(
    'dispatcher_broker_clients_refused_total',
    'Attempts failed because every broker destination client the pool may hold was in use (KAFKA_DESTINATION_MAX_PRODUCERS, AMQP_DESTINATION_MAX_CONNECTIONS)',
    ['protocol'] as const,
  );
  // Every series from the start: a rate sees the first event, and the alert on refusals has a series to look at.
  for (const protocol of BROKER_PROTOCOLS) {
    brokerClients.set({ protocol }, 0);
    brokerOpened.inc({ protocol }, 0);
    brokerRefused.inc({ protocol }, 0);
    for (const reason of CLOSE_REASONS) brokerClosed.inc({ protocol, reason }, 0);
  }

  return {
    parked: metrics.counter('dispatcher_parked_total', 'Deliveries parked in the retry store, by reason', ['reason'] as const),
    inFlight: metrics.gauge('dispatcher_fast_path_in_flight', 'Fast-path deliveries holding Kafka offsets: attempts running and deliveries waiting for a slot'),
    deadRowsPurged: metrics.counter('dispatcher_dead_rows_purged_total', 'Dead-lettered deliveries removed from the retry store by retention'),
    dropped: metrics.counter('dispatcher_dropped_total', 'delivery.dropped.v1 appended: deliveries whose endpoint was deleted, or whose message\'s content was expunged, while they waited in the retry store'),
    waiting: metrics.gauge('dispatcher_waiting_deliveries', 'Deliveries waiting in memory for a free in-flight slot of their endpoint'),
    outstanding: metrics.gauge('dispatcher_uncommitted_messages', 'Consumed messages whose offsets are not committable yet'),

    attempted(record: AttemptRecord, finished: FinishedDelivery, trigger: AttemptTrigger): void {
      const status_class = statusClass(record);
      attempts.inc({ result: record.succeeded ? 'succeeded' : 'failed', trigger });
      if (record.error) attemptErrors.inc({ error_class: record.error.class });
      deliveries.inc({ outcome: finished.stage, status_class });
      attemptSeconds.observe({ status_class }, record.latencyMs / 1000);
      if (finished.stage === 'retry_scheduled') retries.inc({ status_class });
      if (finished.stage === 'succeeded') {
        const acceptedAt = Date.parse(finished.message.published_at);
        if (Number.isFinite(acceptedAt)) deliveredSeconds.observe(Math.max(0, Date.now() - acceptedAt) / 1000);
      }
    },

    deadLettered(cause: DeadLetteredDelivery['cause']): void {
      deadLetters.inc({ cause });
    },

    setParked(counts: ParkedCount[]): void {
      parkedRows.reset();
      for (const c of counts) parkedRows.set({ state: c.state, reason: c.reason }, c.count);
    },

    setBreakers(states: ReadonlyArray<readonly [string, BreakerState]>): void {
      const perState: Record<BreakerState, number> = { closed: 0, open: 0, half_open: 0 };
      endpointBreaker.reset();
      let series = 0;
      for (const [endpoint, state] of states) {
        perState[state] += 1;
        if (state !== 'closed' && series < endpointSeriesLimit) {
          endpointBreaker.set({ endpoint, state }, 1);
          series += 1;
        }
      }
      for (const [state, count] of Object.entries(perState)) breakerEndpoints.set({ state }, count);
    },

    setConsumerLag(group: string, lag: PartitionLag[]): void {
      for (const p of lag) consumerLag.set({ group, topic: p.topic, partition: String(p.partition) }, p.lag);
    },

    /** The observer of the client pool of one protocol's broker destinations (see ClientPool). */
    brokerClientPool(protocol: BrokerProtocol): ClientPoolObserver {
      return {
        opened: () => {
          brokerOpened.inc({ protocol });
          brokerClients.inc({ protocol });
        },
        closed: (reason) => {
          brokerClosed.inc({ protocol, reason });
          brokerClients.dec({ protocol });
        },
        refused: () => brokerRefused.inc({ protocol }),
      };
    },
  };
}

export type DispatcherMetrics = ReturnType<typeof dispatcherMetrics>;
