import type { EndpointView } from '../shared/endpoint-view';
import type { SourceView } from '../shared/source-view';
import { AttemptView, DeliveryView, MessageView } from '../shared/views';

// REST views → proto messages: free-form JSON becomes text, nested response/error objects become flat fields.

const json = (v: unknown): string | undefined => (v === null || v === undefined ? undefined : JSON.stringify(v));
const opt = <T>(v: T | null): T | undefined => (v === null ? undefined : v);

export function grpcDelivery(d: DeliveryView) {
  return { ...d, next_attempt_at: opt(d.next_attempt_at), last_status_code: opt(d.last_status_code), last_error: opt(d.last_error) };
}

export function grpcMessage(m: MessageView) {
  return { ...m, payload: undefined, payload_json: json(m.payload), event_type_version: opt(m.event_type_version), trace_id: opt(m.trace_id),
    endpoint_ids: m.endpoint_ids ?? [],
    deliveries: m.deliveries.map(grpcDelivery) };
}

export function grpcAttempt(a: AttemptView) {
  return { id: a.id, delivery_id: a.delivery_id, message_id: a.message_id, endpoint_id: a.endpoint_id, event_type: a.event_type, attempt: a.attempt,
    trigger: a.trigger, url: a.url, request_headers_json: json(a.request_headers), response_status: a.response?.status,
    response_headers_json: json(a.response?.headers), response_body: a.response?.body, response_body_truncated: a.response?.body_truncated,
    latency_ms: a.latency_ms, error_class: a.error?.class, error_message: a.error?.message, succeeded: a.succeeded, status: a.status,
    next_attempt_at: opt(a.next_attempt_at), trace_id: opt(a.trace_id), started_at: a.started_at, created_at: a.created_at,
    request_body: a.request_body?.body, request_body_truncated: a.request_body?.body_truncated ?? false,
    kafka_record: a.kafka_record ?? undefined, amqp_publish: a.amqp_publish ?? undefined };
}

export function grpcEndpoint(e: EndpointView) {
  return {
    ...e, disabled_reason: opt(e.disabled_reason), disabled_detail: opt(e.disabled_detail), all_event_types: e.event_types === null,
    event_types: e.event_types ?? [], channels: e.channels ?? [], filter: undefined, filter_json: json(e.filter),
    rate_limit_per_second: opt(e.rate_limit_per_second), max_in_flight: opt(e.max_in_flight), retry_schedule_seconds: e.retry_schedule_seconds ?? [],
    auto_disable_after_hours: opt(e.auto_disable_after_hours), circuit_breaker: e.circuit_breaker ?? undefined, transformation: opt(e.transformation), secrets: undefined, secrets_json: json(e.secrets), auth: undefined, auth_json: json(e.auth),
    client_certificate: undefined, client_certificate_json: json(e.client_certificate),
  };
}

/**
 * A source: proto3 has no null, so a rule that is null (no idempotency rule, the whole body, no channels, no handshake,
 * no rate limit) is left unset or empty.
 */
export function grpcSource(s: SourceView) {
  return { ...s, idempotency: s.idempotency ?? undefined, payload_field: opt(s.payload_field), channels: s.channels ?? [], handshake: s.handshake ?? undefined,
    rate_limit: s.rate_limit ?? undefined };
}

/** A page with `next_cursor` empty (proto3 has no null) on the last page. */
export function grpcPage<T, U>(page: { data: T[]; next_cursor: string | null }, map: (t: T) => U) {
  return { data: page.data.map(map), next_cursor: page.next_cursor ?? '' };
}

export { json as grpcJson, opt as grpcOpt };
