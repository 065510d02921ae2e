import { DeliveryId, EndpointId, MessageId, SourceId } from '../ids';

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

/**
 * Added in 2026-12 (a new event of the operational topic, v1): an HTTP source refused a request (a signature that did
 * not verify, a body that is not JSON, an event type it cannot read…), so a tenant can see why a provider's webhooks
 * never became messages without the command service's logs. Written by the command service that answered, sampled: at
 * most SOURCE_REFUSALS_RECORDED_PER_MINUTE per source and instance, the ones left out counted in the next one's
 * `not_recorded`. Credentials never appear: the values of `authorization`, `proxy-authorization`, `cookie`, the
 * source's API-key header and Meta's `hub.verify_token` are replaced by `[redacted]`.
 */
export interface SourceRequestRefusedV1 {
  type: 'source.request_refused.v1';
  data: {
    source_id: SourceId;
    /** When the request arrived (the event's occurred_at is when it was refused, a few milliseconds later at most). */
    received_at: string;
    method: string;
    /** The HTTP status the provider got: 401, 403, 405, 409, 413, 415, 422, 429, 400 or 503. */
    status: number;
    /**
     * What kind of refusal: `unauthenticated`, `forbidden`, `method_not_allowed`, `not_json`, `rejected`, `unverifiable`;
     * since 2026-12 also `rate_limited` (over the source's `rate_limit`) and `too_large` (a body over the ingest limit).
     */
    outcome: string;
    /** Why, as a code (`no_matching_signature`, `timestamp_out_of_tolerance`, `malformed_json`, `unknown_event_type`…). */
    reason: string;
    /** The problem's detail as the provider got it. */
    detail: string;
    /** Lower-case names, at most 64 headers of at most 512 characters each. */
    headers: Record<string, string>;
    /** The query string's parameters (Graph's and Meta's handshakes use them). */
    query: Record<string, string>;
    content_type: string | null;
    /**
     * The body's size. For a body over the ingest limit (`too_large`), the size it declared (Content-Length) or, sent
     * in chunks, how much had arrived when it was cut off; its excerpt is then empty: none of it is kept.
     */
    body_bytes: number;
    /** The body's first 2 KiB as UTF-8 (what a signature mismatch is usually about). */
    body_excerpt: string;
    body_truncated: boolean;
    /** Refusals of this source that this instance did not record since the last one it did (the sampling). */
    not_recorded: number;
  };
}

/** Every event on the operational topic. */
export type OperationalEvent = EndpointAutoDisabledV1 | DeliveryAttemptsExhaustedV1 | DeliveryAttemptsFailingV1 | DeliveryRecoveredV1
  | EndpointBreakerChangedV1 | EndpointClientCertificateExpiringV1 | SourceRequestRefusedV1;

/** Every event type of the operational topic (for consumers that route by type; the compiler keeps it complete). */
export const OPERATIONAL_EVENT_TYPES = [
  'endpoint.auto_disabled.v1', 'delivery.attempts_exhausted.v1', 'delivery.attempts_failing.v1', 'delivery.recovered.v1',
  'endpoint.breaker_changed.v1', 'endpoint.client_certificate_expiring.v1', 'source.request_refused.v1',
] as const satisfies ReadonlyArray<OperationalEvent['type']>;
// Fails to compile when an operational event type is missing from the list above.
type Missing = Exclude<OperationalEvent['type'], (typeof OPERATIONAL_EVENT_TYPES)[number]>;
const complete: [Missing] extends [never] ? true : Missing = true;
void complete;

