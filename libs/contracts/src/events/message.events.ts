import { EndpointId, MessageId } from '../ids';

export interface MessagePublishedV1 {
  type: 'message.published.v1';
  data: {
    message_id: MessageId;
    event_type: string;
    /** The event-type schema version the payload was validated against (null: type has no schema). */
    event_type_version: number | null;
    payload: unknown;
    channels: string[];
    idempotency_key: string | null;
    /** Deliveries to FIFO endpoints keep the order of messages with the same ordering key. */
    ordering_key: string | null;
    /**
     * Added in 2026-11 within v1, absent unless set: the message goes only to these of the endpoints that would
     * receive it (enabled, subscribed, channel and payload filter), e.g. a message meant for one customer's endpoint.
     */
    endpoint_ids?: EndpointId[];
    /**
     * Added in 2026-12 within v1, absent unless set: labels the publisher gave the message (at most 10), to find it
     * and its like again (`GET /v1/messages?tag=`). They do not choose endpoints (channels do) and are not sent.
     */
    tags?: string[];
  };
}

/** Resend one message to one endpoint: a new attempt with the same webhook-id. */
export interface MessageResendRequestedV1 {
  type: 'message.resend_requested.v1';
  data: {
    message_id: MessageId;
    endpoint_id: EndpointId;
    event_type: string;
    event_type_version: number | null;
    payload: unknown;
    channels: string[];
    /** When the message was first published; the webhook timestamp stays honest about the message's age. */
    published_at: string;
    /**
     * Added in 2026-12 within v1, present when the message has one: its ordering key, so a resend to a Kafka
     * destination carries the record key the first delivery did.
     */
    ordering_key?: string;
  };
}

/** Retry every failed or dead-lettered delivery of an endpoint whose message was published in [since, until). */
export interface EndpointRecoveryRequestedV1 {
  type: 'endpoint.recovery_requested.v1';
  data: { endpoint_id: EndpointId; since: string; until: string };
}

/**
 * Added in 2026-12: the message's content (its payload) is erased wherever Hookline keeps it outside this log: the
 * query service's messages and dead letters, the command service's index (it can no longer be resent or replayed),
 * the dispatcher's retry store (its pending and dead-lettered deliveries are dropped: delivery.dropped.v1 with
 * reason `content_expunged`). Keyed like the message (by its ordering key when it had one), so a consumer reads it
 * after the message. The log itself keeps the payload until its retention deletes the segment.
 */
export interface MessageContentExpungedV1 {
  type: 'message.content_expunged.v1';
  data: { message_id: MessageId };
}

/** Every event on the messages topic. */
export type MessageTopicEvent = MessagePublishedV1 | MessageResendRequestedV1 | EndpointRecoveryRequestedV1 | MessageContentExpungedV1;
