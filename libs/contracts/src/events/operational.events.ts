import { DeliveryId, EndpointId, MessageId } from '../ids';

export interface EndpointAutoDisabledV1 {
  type: 'endpoint.auto_disabled.v1';
  data: {
    endpoint_id: EndpointId;
    reason: 'gone' | 'failing';
    detail: string;
    /**
     * The endpoint's version the dispatcher decided on. The disable applies only while the endpoint is still at it: a
     * later change (a re-enable above all) wins, also when this event is read again after it. Absent in events written
     * before this field existed, which apply unconditionally.
     */
    endpoint_version?: number;
  };
}
export interface DeliveryAttemptsExhaustedV1 {
  type: 'delivery.attempts_exhausted.v1';
  data: { delivery_id: DeliveryId; message_id: MessageId; endpoint_id: EndpointId; attempts: number; last_error: string };
}
/**
 * A delivery has failed this many attempts in a row and will be tried again (raised once per delivery series, at the
 * dispatcher's ALERT_FAILING_AFTER_ATTEMPTS): a heads-up while there is still time, before attempts_exhausted.
 */
export interface DeliveryAttemptsFailingV1 {
  type: 'delivery.attempts_failing.v1';
  data: {
    delivery_id: DeliveryId;
    message_id: MessageId;
    endpoint_id: EndpointId;
    event_type: string;
    failed_attempts: number;
    last_error: string;
    next_attempt_at: string;
  };
}
/** A delivery reported by delivery.attempts_failing.v1 succeeded after all. */
export interface DeliveryRecoveredV1 {
  type: 'delivery.recovered.v1';
  data: {
    delivery_id: DeliveryId;
    message_id: MessageId;
    endpoint_id: EndpointId;
    event_type: string;
    /** The attempt that succeeded (1-based within the delivery series). */
    attempt: number;
  };
}
export interface EndpointBreakerChangedV1 {
  type: 'endpoint.breaker_changed.v1';
  data: { endpoint_id: EndpointId; state: 'closed' | 'open' | 'half_open'; failure_ratio: number };
}

/**
 * An endpoint's client certificate (mutual TLS) expires soon (`stage: expiring`, raised once the time left falls
 * below the dispatcher's warning period) or has expired (`stage: expired`: the endpoint will refuse the handshakes).
 * Raised once per certificate and stage; a replaced certificate starts over.
 */
export interface EndpointClientCertificateExpiringV1 {
  type: 'endpoint.client_certificate_expiring.v1';
  data: {
    endpoint_id: EndpointId;
    fingerprint_sha256: string;
    not_after: string;
    stage: 'expiring' | 'expired';
    /** Whole days left when it was raised, towards zero: 0 in the last day before and the first day after expiry, then negative. */
    days_left: number;
  };
}

/** Every event on the operational topic. */
export type OperationalEvent = EndpointAutoDisabledV1 | DeliveryAttemptsExhaustedV1 | DeliveryAttemptsFailingV1 | DeliveryRecoveredV1
  | EndpointBreakerChangedV1 | EndpointClientCertificateExpiringV1;
