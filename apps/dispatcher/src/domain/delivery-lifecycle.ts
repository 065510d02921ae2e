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
  /**
   * The message's ordering key (null: none), the record key of a Kafka destination. Absent in retry-store rows written
   * before it was kept, and in resends asked for before the request carried it: those are keyed by message id.
   */
  ordering_key?: string | null;
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
  return {
    deliveryId: core.deliveryId, tenantId: core.tenantId, endpointId: core.endpointId, message: core.message,
    origin: core.origin ?? 'initial', attempt: core.attempt ?? 1, stage: 'pending',
  };
}

/**
 * A delivery's core fields, copied one by one. Not with object spread or rest: on Node 20 (V8 11.3) objects built that
 * way survive young-generation collections although nothing uses them (a loop of `{ ...ctx, records }` kept a quarter
 * of what it allocated alive across scavenges, the same with Object.assign or a literal none), and every delivery
 * passes through here several times. The transitions below add their fields with Object.assign for the same reason.
 */
function coreOf(d: DeliveryCore): DeliveryCore {
  return { deliveryId: d.deliveryId, tenantId: d.tenantId, endpointId: d.endpointId, message: d.message, origin: d.origin, attempt: d.attempt };
}

/** Pending → InFlight. */
export function startAttempt(delivery: PendingDelivery, now: Date): InFlightDelivery {
  const trigger: AttemptTrigger = delivery.attempt === 1 ? delivery.origin : 'retry';
  return Object.assign(coreOf(delivery), { stage: 'in_flight' as const, startedAt: now, trigger });
}

/** InFlight → Succeeded | RetryScheduled | DeadLettered, as the retry policy decided. */
export function finishAttempt(delivery: InFlightDelivery, decision: RetryDecision): FinishedDelivery {
  const core = coreOf(delivery);
  switch (decision.kind) {
    case 'succeeded':
      return Object.assign(core, { stage: 'succeeded' as const });
    case 'retry':
      return Object.assign(core, { stage: 'retry_scheduled' as const, attempt: core.attempt + 1, nextAttemptAt: decision.at, lastError: decision.reason });
    case 'exhausted':
      return Object.assign(core, { stage: 'dead_lettered' as const, cause: 'exhausted' as const, lastError: decision.reason });
    case 'gone':
      return Object.assign(core, { stage: 'dead_lettered' as const, cause: 'gone' as const, lastError: decision.reason });
    default:
      return assertNever(decision);
  }
}

/** A waiting delivery whose endpoint was disabled meanwhile: kept as a dead letter, recoverable once re-enabled. */
export function deadLetterForDisabledEndpoint(delivery: PendingDelivery, reason: string): DeadLetteredDelivery {
  return Object.assign(coreOf(delivery), { stage: 'dead_lettered' as const, cause: 'endpoint_disabled' as const, lastError: reason });
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
