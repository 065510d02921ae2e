import { AttemptId, DeliveryId, EndpointId, MessageId } from '../ids';

/** The values of AttemptErrorClass, for filters and checks that need them at run time. */
export const ATTEMPT_ERROR_CLASSES = [
  'http_status', 'timeout', 'connect', 'dns', 'ssrf_refused', 'redirect', 'tls', 'network', 'endpoint_unavailable', 'auth_token',
  'transformation', 'broker_refused', 'unroutable',
] as const;
/**
 * Why an attempt failed, in classes a user can act on. `auth_token`: the endpoint's OAuth 2.0 token endpoint refused,
 * failed or could not be reached, so nothing was sent to the endpoint. `transformation`: the endpoint's transformation
 * failed (an error, no result, too slow, too much memory), so nothing was sent either. `broker_refused` (added in
 * 2026-12 within v1): a Kafka destination's cluster answered but did not take the record (unknown topic, not
 * authorised, record too large, no leader…), its Kafka error named in the message, or refused the endpoint's SASL
 * credentials or mechanism (the message then says `SASL authentication failed`); what `http_status` is to an https
 * endpoint. An AMQP destination's broker refusing (no such exchange or virtual host, access refused, a wrong login, a
 * negative publisher confirm) is `broker_refused` too. `unroutable` (added in 2026-12 within v1): an AMQP destination's
 * broker took the message but no queue is bound to receive it (a mandatory publish returned), so nobody got it: bind a
 * queue to the exchange for the routing key.
 */
export type AttemptErrorClass = (typeof ATTEMPT_ERROR_CLASSES)[number];

/** The values of AttemptTrigger. */
export const ATTEMPT_TRIGGERS = ['initial', 'retry', 'resend', 'recover'] as const;
/** Why this attempt happened: first try, scheduled retry, manual resend or recovery. */
export type AttemptTrigger = (typeof ATTEMPT_TRIGGERS)[number];

export interface AttemptResponseV1 {
  status: number;
  headers: Record<string, string>;
  /** The first 4 KB of the response body. */
  body: string;
  body_truncated: boolean;
}

export type DeliveryStatus = 'pending' | 'succeeded' | 'retrying' | 'dead_lettered' | 'dropped';

export interface DeliveryAttemptedV1 {
  type: 'delivery.attempted.v1';
  data: {
    attempt_id: AttemptId;
    delivery_id: DeliveryId;
    message_id: MessageId;
    endpoint_id: EndpointId;
    event_type: string;
    /** 1 for the first attempt. */
    attempt: number;
    trigger: AttemptTrigger;
    url: string;
    /** Request headers as sent, with signatures and secret custom headers masked. */
    request_headers: Record<string, string>;
    /**
     * Added in 2026-12 within v1, present only when the endpoint's transformation made the body (the standard body follows
     * from the message): the body sent, its first 4 KB, and whether it was cut there.
     */
    request_body?: string;
    request_body_truncated?: boolean;
    /**
     * Added in 2026-12 within v1, present only when a Kafka destination's cluster acknowledged the record (an endpoint
     * whose URL is kafka+tls:// or kafka://): where it was written. `response` is null for such an attempt, which
     * gets no HTTP answer.
     */
    kafka_record?: { topic: string; partition: number; offset: string };
    /**
     * Added in 2026-12 within v1, present only when an AMQP destination's broker confirmed the message (an endpoint whose
     * URL is amqps:// or amqp://): the exchange it was published to and the routing key it carried (the URL's
     * routing_key, else the event type). The broker, port and vhost are in `url`. `response` is null for such an
     * attempt, which gets no HTTP answer.
     */
    amqp_publish?: { exchange: string; routing_key: string };
    started_at: string;
    latency_ms: number;
    response: AttemptResponseV1 | null;
    error: { class: AttemptErrorClass; message: string } | null;
    succeeded: boolean;
    /** What the delivery is after this attempt. */
    status: DeliveryStatus;
    next_attempt_at: string | null;
    trace_id: string | null;
    message_published_at: string;
  };
}

/** A delivery that could not go now (rate limit, breaker open, FIFO head busy) was parked durably. */
export interface DeliveryParkedV1 {
  type: 'delivery.parked.v1';
  data: {
    delivery_id: DeliveryId;
    message_id: MessageId;
    endpoint_id: EndpointId;
    event_type: string;
    reason: 'rate_limited' | 'breaker_open' | 'in_flight_limit' | 'fifo_wait' | 'endpoint_disabled';
    next_attempt_at: string;
    message_published_at: string;
  };
}

export interface DeliveryDeadLetteredV1 {
  type: 'delivery.dead_lettered.v1';
  data: {
    delivery_id: DeliveryId;
    message_id: MessageId;
    endpoint_id: EndpointId;
    event_type: string;
    attempts: number;
    last_error: string;
    message_published_at: string;
    /** Full message so a downstream consumer can redrive it without the original. */
    payload: unknown;
    channels: string[];
    /**
     * Added in 2026-12 within v1, absent in events written before: why it was dead-lettered. `exhausted`: its attempts
     * ran out (a redrive may succeed once the endpoint is fixed); `gone`: the endpoint answered 410 Gone (it asked for no
     * more); `endpoint_disabled`: the endpoint was disabled while the delivery waited.
     */
    cause?: 'exhausted' | 'gone' | 'endpoint_disabled';
  };
}

/**
 * A delivery that will never be attempted again because its endpoint was deleted, or its message's content expunged,
 * while it waited in the retry store (for a retry, or for its turn). Nothing is sent for it after this event. A delivery already dead-lettered keeps that
 * status and gets no such event.
 */
export interface DeliveryDroppedV1 {
  type: 'delivery.dropped.v1';
  data: {
    delivery_id: DeliveryId;
    message_id: MessageId;
    endpoint_id: EndpointId;
    event_type: string;
    /** Attempts of its latest series (a resend or recover starts one) made before it was dropped; 0: none. */
    attempts: number;
    /** `content_expunged` added in 2026-12 within v1: the message's content was expunged (message.content_expunged.v1). */
    reason: 'endpoint_deleted' | 'content_expunged';
    message_published_at: string;
  };
}

/** Every event on the deliveries topic. */
export type DeliveryEvent = DeliveryAttemptedV1 | DeliveryParkedV1 | DeliveryDeadLetteredV1 | DeliveryDroppedV1;
