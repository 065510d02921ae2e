import { AttemptEntity, DeliveryEntity, MessageEntity } from '../database/read-model/entities';

// The API's shapes of read-model rows (snake_case, like the events): one place, shared by REST and gRPC.

export interface DeliveryView {
  delivery_id: string;
  endpoint_id: string;
  status: string;
  attempt_count: number;
  next_attempt_at: string | null;
  last_status_code: number | null;
  last_error: string | null;
  updated_at: string;
}

export interface MessageView {
  id: string;
  event_type: string;
  event_type_version: number | null;
  payload: unknown;
  /** True once the payload is gone: purged by retention, or expunged. */
  payload_purged: boolean;
  /** True when it went because the content was expunged. */
  payload_expunged: boolean;
  channels: string[];
  /** The endpoints the message was aimed at; null: every subscribed endpoint. */
  endpoint_ids: string[] | null;
  /** The publisher's labels. */
  tags: string[];
  created_at: string;
  trace_id: string | null;
  deliveries: DeliveryView[];
}

const iso = (d: Date | null): string | null => (d ? new Date(d).toISOString() : null);

export function deliveryView(d: DeliveryEntity): DeliveryView {
  return { delivery_id: d.delivery_id, endpoint_id: d.endpoint_id, status: d.status, attempt_count: d.attempt_count,
    next_attempt_at: iso(d.next_attempt_at), last_status_code: d.last_status_code, last_error: d.last_error, updated_at: iso(d.updated_at)! };
}

export function messageView(m: MessageEntity, deliveries: DeliveryEntity[]): MessageView {
  return { id: m.message_id, event_type: m.event_type, event_type_version: m.event_type_version, payload: m.payload ?? null,
    payload_purged: m.payload_purged_at !== null, payload_expunged: m.payload_expunged_at !== null, channels: m.channels, endpoint_ids: m.endpoint_ids, tags: m.tags, created_at: iso(m.created_at)!, trace_id: m.trace_id,
    deliveries: deliveries.filter((d) => d.message_id === m.message_id).map(deliveryView) };
}

export function attemptView(a: AttemptEntity) {
  return { id: a.attempt_id, delivery_id: a.delivery_id, message_id: a.message_id, endpoint_id: a.endpoint_id, event_type: a.event_type,
    attempt: a.attempt, trigger: a.trigger, url: a.url, request_headers: a.request_headers,
    // Null when the standard body was sent (it follows from the message): only a transformation's body is kept.
    request_body: a.request_body === null ? null : { body: a.request_body, body_truncated: a.request_body_truncated },
    // Only for a Kafka destination: where its cluster wrote the record (such an attempt has no HTTP response).
    kafka_record: a.kafka_record ?? null,
    // Only for an AMQP destination: the exchange and routing key its broker took the message with.
    amqp_publish: a.amqp_publish ?? null,
    response: a.response_status === null ? null
      : { status: a.response_status, headers: a.response_headers ?? {}, body: a.response_body ?? '', body_truncated: a.response_body_truncated },
    latency_ms: a.latency_ms, error: a.error_class ? { class: a.error_class, message: a.error_message ?? '' } : null, succeeded: a.succeeded,
    status: a.status, next_attempt_at: iso(a.next_attempt_at), trace_id: a.trace_id, started_at: iso(a.started_at)!, created_at: iso(a.created_at)! };
}
export type AttemptView = ReturnType<typeof attemptView>;
export { iso };
