import { DeliveryId, DeliveryStatus, EndpointId, MessageId, TenantId } from '@hookline/contracts';
import { assertNever } from '@hookline/domain';
import { RetryDecision } from './retry-policy';

/** The message as a delivery needs it; kept whole in a parked row so a retry never needs the Kafka log. */
export interface DeliveryMessage {
  message_id: MessageId;
  event_type: string;
  event_type_version: number | null;
  payload: unknown;
  channels: string[];
  published_at: string;
  /** Envelope id and correlation id of the event that caused this delivery, for the events it leads to. */
  causation_id: string;
  correlation_id: string;
  /** W3C trace context of the publish, so the attempt span links to it. */
  trace: Record<string, string>;
}

/** How a delivery series started; later attempts of the series are 'retry'. */
export type DeliveryOrigin = 'initial' | 'resend' | 'recover';
export type AttemptTrigger = DeliveryOrigin | 'retry';

interface DeliveryCore {
  deliveryId: DeliveryId;
  tenantId: TenantId;
  endpointId: EndpointId;
  message: DeliveryMessage;
  origin: DeliveryOrigin;
  /** Number of the next (or current) attempt, 1-based. */
  attempt: number;
}

export interface PendingDelivery extends DeliveryCore {
  stage: 'pending';
}
export interface InFlightDelivery extends DeliveryCore {
  stage: 'in_flight';
  startedAt: Date;
  trigger: AttemptTrigger;
}
export interface SucceededDelivery extends DeliveryCore {
  stage: 'succeeded';
}
export interface RetryScheduledDelivery extends DeliveryCore {
  stage: 'retry_scheduled';
  nextAttemptAt: Date;
  lastError: string;
}
export interface DeadLetteredDelivery extends DeliveryCore {
  stage: 'dead_lettered';
  /** Retries ran out, the receiver answered 410 Gone, or the endpoint was disabled while the delivery waited. */
  cause: 'exhausted' | 'gone' | 'endpoint_disabled';
  lastError: string;
}

export type FinishedDelivery = SucceededDelivery | RetryScheduledDelivery | DeadLetteredDelivery;
export type Delivery = PendingDelivery | InFlightDelivery | FinishedDelivery;

export function pendingDelivery(core: Omit<DeliveryCore, 'attempt' | 'origin'> & Partial<Pick<DeliveryCore, 'attempt' | 'origin'>>): PendingDelivery {
  return { ...core, attempt: core.attempt ?? 1, origin: core.origin ?? 'initial', stage: 'pending' };
}

/** Pending → InFlight. */
export function startAttempt(delivery: PendingDelivery, now: Date): InFlightDelivery {
  const trigger: AttemptTrigger = delivery.attempt === 1 ? delivery.origin : 'retry';
  return { ...delivery, stage: 'in_flight', startedAt: now, trigger };
}

/** InFlight → Succeeded | RetryScheduled | DeadLettered, as the retry policy decided. */
export function finishAttempt(delivery: InFlightDelivery, decision: RetryDecision): FinishedDelivery {
  const { stage: _stage, startedAt: _startedAt, trigger: _trigger, ...core } = delivery;
  switch (decision.kind) {
    case 'succeeded':
      return { ...core, stage: 'succeeded' };
    case 'retry':
      return { ...core, stage: 'retry_scheduled', attempt: core.attempt + 1, nextAttemptAt: decision.at, lastError: decision.reason };
    case 'exhausted':
      return { ...core, stage: 'dead_lettered', cause: 'exhausted', lastError: decision.reason };
    case 'gone':
      return { ...core, stage: 'dead_lettered', cause: 'gone', lastError: decision.reason };
    default:
      return assertNever(decision);
  }
}

/** A waiting delivery whose endpoint was disabled meanwhile: kept as a dead letter, recoverable once re-enabled. */
export function deadLetterForDisabledEndpoint(delivery: PendingDelivery, reason: string): DeadLetteredDelivery {
  const { stage: _stage, ...core } = delivery;
  return { ...core, stage: 'dead_lettered', cause: 'endpoint_disabled', lastError: reason };
}

/** The public status a finished delivery reports in delivery.attempted.v1. */
export function statusOf(delivery: FinishedDelivery): DeliveryStatus {
  switch (delivery.stage) {
    case 'succeeded':
      return 'succeeded';
    case 'retry_scheduled':
      return 'retrying';
    case 'dead_lettered':
      return 'dead_lettered';
    default:
      return assertNever(delivery);
  }
}
