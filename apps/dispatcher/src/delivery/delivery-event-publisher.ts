import {
  DeliveryEvent, EndpointId, Envelope, HEADER, OperationalEvent, TenantId, TopicKey, encodeEvent, envelope, newId,
} from '@hookline/contracts';
import { BatchingProducer, OutgoingEvent } from '@hookline/kafka';
import { extractTraceContext, withProducerSpan } from '@hookline/observability';
import { context } from '@opentelemetry/api';
import { BreakerState } from '../domain/circuit-breaker';
import { CertificateWarning } from '../domain/certificate-expiry';
import { DeliveryAlert } from '../domain/delivery-alerts';
import { DeadLetteredDelivery, FinishedDelivery, InFlightDelivery, PendingDelivery, statusOf } from '../domain/delivery-lifecycle';
import { ParkReason } from '../retry-store/parked-row';
import type { DropReason } from '../retry-store/retry-store';
import { AttemptRecord } from './attempt-executor';

type PublicParkReason = Extract<DeliveryEvent, { type: 'delivery.parked.v1' }>['data']['reason'];

/**
 * Appends the dispatcher's events: attempts, parks and dead letters on the deliveries topic (key = endpoint id, so
 * one endpoint's history stays in order), dead letters also on the dead-letters topic, and operational events (key =
 * tenant id). Every promise resolves only once Kafka acknowledged the record. Each record is sent in a PRODUCER span
 * whose context travels in its headers: an attempt event continues the trace from the attempt span, the others from the
 * message's consumer span, so the query-service projection of each lands in the message's trace.
 */
export class DeliveryEventPublisher {
  constructor(
    private readonly producer: BatchingProducer,
    private readonly topics: Record<TopicKey, string>,
    /** Counters of what was announced (the metrics). */
    private readonly observe: { deadLettered?(cause: DeadLetteredDelivery['cause']): void; dropped?(): void } = {},
  ) {}

  attempted(delivery: InFlightDelivery, record: AttemptRecord, finished: FinishedDelivery): Promise<unknown> {
    const event: DeliveryEvent = {
      type: 'delivery.attempted.v1',
      data: {
        attempt_id: newId('attempt'), delivery_id: delivery.deliveryId, message_id: delivery.message.message_id,
        endpoint_id: delivery.endpointId, event_type: delivery.message.event_type, attempt: delivery.attempt,
        trigger: delivery.trigger, url: record.url, request_headers: record.requestHeaders,
        started_at: record.startedAt.toISOString(), latency_ms: record.latencyMs, response: record.response, error: record.error,
        succeeded: record.succeeded, status: statusOf(finished),
        next_attempt_at: finished.stage === 'retry_scheduled' ? finished.nextAttemptAt.toISOString() : null,
        trace_id: record.traceId, message_published_at: delivery.message.published_at,
      },
    };
    // Only for a transformed body, and assigned rather than spread into every attempt's event (the hot path).
    if (record.requestBody) Object.assign(event.data, { request_body: record.requestBody.body, request_body_truncated: record.requestBody.truncated });
    if (record.kafkaRecord) Object.assign(event.data, { kafka_record: record.kafkaRecord });
    if (record.amqpPublish) Object.assign(event.data, { amqp_publish: record.amqpPublish });
    return this.send(this.record('deliveries', delivery.endpointId, event, delivery), record.traceContext);
  }

  parked(delivery: PendingDelivery, reason: ParkReason, nextAttemptAt: Date): Promise<unknown> {
    const event: DeliveryEvent = {
      type: 'delivery.parked.v1',
      data: {
        delivery_id: delivery.deliveryId, message_id: delivery.message.message_id, endpoint_id: delivery.endpointId,
        event_type: delivery.message.event_type, reason: publicReason(reason), next_attempt_at: nextAttemptAt.toISOString(),
        message_published_at: delivery.message.published_at,
      },
    };
    return this.send(this.record('deliveries', delivery.endpointId, event, delivery), delivery.message.trace);
  }

  /** The dead letter on the deliveries and dead-letters topics; when retries ran out, attempts_exhausted as well. */
  deadLettered(delivery: DeadLetteredDelivery): Promise<unknown> {
    const attempts = delivery.attempt;
    const event: DeliveryEvent = {
      type: 'delivery.dead_lettered.v1',
      data: {
        delivery_id: delivery.deliveryId, message_id: delivery.message.message_id, endpoint_id: delivery.endpointId,
        event_type: delivery.message.event_type, attempts, last_error: delivery.lastError,
        message_published_at: delivery.message.published_at, payload: delivery.message.payload, channels: delivery.message.channels,
        cause: delivery.cause,
      },
    };
    const records = [
      this.record('deliveries', delivery.endpointId, event, delivery),
      this.record('deadLetters', delivery.endpointId, event, delivery),
    ];
    if (delivery.cause === 'exhausted') {
      const exhausted: OperationalEvent = {
        type: 'delivery.attempts_exhausted.v1',
        data: { delivery_id: delivery.deliveryId, message_id: delivery.message.message_id, endpoint_id: delivery.endpointId, attempts, last_error: delivery.lastError },
      };
      records.push(this.record('operational', delivery.tenantId, exhausted, delivery));
    }
    this.observe.deadLettered?.(delivery.cause);
    return Promise.all(records.map((r) => this.send(r, delivery.message.trace)));
  }

  /**
   * delivery.dropped.v1: its endpoint was deleted, or its message's content expunged, while it waited in the retry
   * store; it is never attempted again.
   */
  dropped(delivery: PendingDelivery, reason: DropReason = 'endpoint_deleted'): Promise<unknown> {
    const event: DeliveryEvent = {
      type: 'delivery.dropped.v1',
      data: {
        delivery_id: delivery.deliveryId, message_id: delivery.message.message_id, endpoint_id: delivery.endpointId,
        event_type: delivery.message.event_type, attempts: delivery.attempt - 1, reason,
        message_published_at: delivery.message.published_at,
      },
    };
    this.observe.dropped?.();
    return this.send(this.record('deliveries', delivery.endpointId, event, delivery), delivery.message.trace);
  }

  /** delivery.attempts_failing.v1 or delivery.recovered.v1 after attempt number `attempt` (see domain/delivery-alerts.ts). */
  alert(alert: DeliveryAlert, attempt: number): Promise<unknown> {
    const d = alert.delivery;
    const about = { delivery_id: d.deliveryId, message_id: d.message.message_id, endpoint_id: d.endpointId, event_type: d.message.event_type };
    const event: OperationalEvent = alert.kind === 'recovered'
      ? { type: 'delivery.recovered.v1', data: { ...about, attempt } }
      : {
        type: 'delivery.attempts_failing.v1',
        data: { ...about, failed_attempts: attempt, last_error: alert.delivery.lastError, next_attempt_at: alert.delivery.nextAttemptAt.toISOString() },
      };
    return this.send(this.record('operational', d.tenantId, event, d), d.message.trace);
  }

  /** `trace`: the W3C headers of the attempt that decided it. */
  autoDisabled(
    tenantId: TenantId, endpointId: EndpointId, endpointVersion: number, reason: 'gone' | 'failing', detail: string, trace: Record<string, string>,
  ): Promise<unknown> {
    const event: OperationalEvent = {
      type: 'endpoint.auto_disabled.v1',
      data: { endpoint_id: endpointId, reason, detail, endpoint_version: endpointVersion },
    };
    return this.send(this.record('operational', tenantId, event, { tenantId }), trace);
  }

  certificateExpiring(warning: CertificateWarning): Promise<unknown> {
    const event: OperationalEvent = {
      type: 'endpoint.client_certificate_expiring.v1',
      data: { endpoint_id: warning.endpointId, fingerprint_sha256: warning.certificate.fingerprint_sha256, not_after: warning.certificate.not_after,
        stage: warning.stage, days_left: warning.daysLeft },
    };
    return this.send(this.record('operational', warning.tenantId, event, { tenantId: warning.tenantId }));
  }

  breakerChanged(tenantId: TenantId, endpointId: EndpointId, state: BreakerState, failureRatio: number): Promise<unknown> {
    const event: OperationalEvent = {
      type: 'endpoint.breaker_changed.v1',
      data: { endpoint_id: endpointId, state, failure_ratio: Math.round(failureRatio * 1000) / 1000 },
    };
    return this.send(this.record('operational', tenantId, event, { tenantId }));
  }

  /**
   * Appends `out` inside a PRODUCER span, a child of `parent` (W3C headers) or, without it, of the active span (the breaker's
   * transitions: the attempt that tripped it, where there is ambient context).
   */
  private send(out: OutgoingEvent, parent?: Record<string, string>): Promise<unknown> {
    const parentContext = parent?.['traceparent'] ? extractTraceContext(parent) : context.active();
    return withProducerSpan(`send ${out.topic}`, { topic: out.topic, key: out.key }, (traceHeaders) => {
      // Without a tracing SDK nothing is injected and the headers keep the message's own trace context. Every record
      // comes fresh from record(), so its own headers take the trace headers: no second copy per attempt event.
      out.headers = Object.assign(out.headers ?? {}, traceHeaders);
      return this.producer.append(out);
    }, parentContext);
  }

  private record(
    topic: TopicKey,
    key: string,
    event: DeliveryEvent | OperationalEvent,
    cause: { tenantId: TenantId; message?: PendingDelivery['message'] },
  ): OutgoingEvent {
    const env: Envelope = envelope(event, {
      tenantId: cause.tenantId,
      source: 'dispatcher',
      correlationId: cause.message?.correlation_id ?? newId('event'),
      causationId: cause.message?.causation_id ?? null,
    });
    return {
      topic: this.topics[topic],
      key,
      value: encodeEvent(env),
      // Assigned, not spread: see coreOf in domain/delivery-lifecycle.ts (one of these per attempt). send() adds the
      // producer span's trace headers to this same object.
      headers: Object.assign({
        [HEADER.eventType]: env.type, [HEADER.eventId]: env.id, [HEADER.tenantId]: env.tenant_id,
        [HEADER.contentType]: 'application/json',
      }, cause.message?.trace),
    };
  }
}

function publicReason(reason: ParkReason): PublicParkReason {
  switch (reason) {
    case 'rate_limited':
    case 'breaker_open':
    case 'in_flight_limit':
    case 'fifo_wait':
    case 'endpoint_disabled':
      return reason;
    case 'retry':
    case 'running_long':
      return 'in_flight_limit';
  }
}
