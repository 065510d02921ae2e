import {
  ApprovedEventTypesV1, AttemptErrorClass, AttemptTrigger, DeliveryStatus, EndpointEvent, EndpointId, EndpointSettingsV1, Envelope, HooklineEvent, MessageId,
  SourceId, SourceRequestRefusedV1, SourceSettingsV1, TenantId, deliveryIdOf, encodeEvent, envelope, newId,
} from '@hookline/contracts';
import { hashApiKey } from '@hookline/auth';

/** Builders of realistic events for tests (what the command service and dispatcher put on the topics). */
type Meta = { tenantId: TenantId; at?: Date; version?: number; aggregateId?: string };

function wrap(event: HooklineEvent, meta: Meta, source: 'command-service' | 'dispatcher' = 'command-service'): Envelope {
  return envelope(event, {
    tenantId: meta.tenantId, source, correlationId: newId('event'), occurredAt: meta.at, aggregateVersion: meta.version,
    aggregateId: meta.aggregateId, actor: source === 'command-service' ? { kind: 'admin', id: 'admin' } : { kind: 'system', id: source },
  });
}

export const fixtures = {
  tenantCreated(tenantId: TenantId, retentionDays = 0, at?: Date): Envelope {
    return wrap({ type: 'tenant.created.v1', data: { tenant_id: tenantId, name: `tenant ${tenantId}`, retention_days: retentionDays, metadata: {} } },
      { tenantId, at, version: 1, aggregateId: tenantId });
  },
  apiKeyCreated(tenantId: TenantId, secret: string, opts: { ipAllowlist?: string[]; rate?: number | null; portalUntil?: Date } = {}): Envelope {
    const keyId = newId('apiKey');
    const portal = opts.portalUntil ? { scope: 'portal' as const, expires_at: opts.portalUntil.toISOString() } : { scope: 'tenant' as const };
    return wrap({ type: 'api_key.created.v1', data: { key_id: keyId, tenant_id: tenantId, name: 'test key', ...portal,
      key_hash: hashApiKey(secret), key_prefix: secret.slice(0, 12), ip_allowlist: opts.ipAllowlist ?? [], rate_limit_per_second: opts.rate ?? null } },
    { tenantId, version: 1, aggregateId: keyId });
  },
  eventTypeCreated(tenantId: TenantId, name: string, opts: { requiresApproval?: boolean } = {}): Envelope {
    return wrap({ type: 'event_type.created.v1', data: { name, description: `${name} events`, requires_approval: opts.requiresApproval ?? false,
      schema: { type: 'object', properties: { amount: { type: 'number' } } } } }, { tenantId, version: 1, aggregateId: name });
  },
  endpointCreated(tenantId: TenantId, endpointId: EndpointId, settings: Partial<EndpointSettingsV1> & ApprovedEventTypesV1 = {}, at?: Date): Envelope {
    return wrap({ type: 'endpoint.created.v1', data: { endpoint_id: endpointId, status: 'enabled', url: 'https://example.com/hook',
      description: 'test', event_types: null, channels: null, filter: null, headers: {}, rate_limit_per_second: null, max_in_flight: null,
      retry_schedule_seconds: null, fifo: false, metadata: {}, ...settings, secrets: [{ secret_id: newId('secret'), kind: 'hmac', sealed: 'enc:v1:xxx',
        public_key: null, created_at: new Date().toISOString(), expires_at: null }] } },
    { tenantId, version: 1, aggregateId: endpointId, at });
  },
  endpointUpdated(tenantId: TenantId, endpointId: EndpointId, version: number, changes: Partial<EndpointSettingsV1>): Envelope {
    return wrap({ type: 'endpoint.updated.v1', data: { endpoint_id: endpointId, ...changes } }, { tenantId, version, aggregateId: endpointId });
  },
  /** Any endpoint event (an approval, a decline), as the command service appends it at `version` of its endpoint. */
  endpointEvent(tenantId: TenantId, version: number, event: EndpointEvent): Envelope {
    return wrap(event, { tenantId, version, aggregateId: event.data.endpoint_id });
  },
  endpointDeleted(tenantId: TenantId, endpointId: EndpointId, version: number): Envelope {
    return wrap({ type: 'endpoint.deleted.v1', data: { endpoint_id: endpointId } }, { tenantId, version, aggregateId: endpointId });
  },
  endpointDisabled(tenantId: TenantId, endpointId: EndpointId, version: number): Envelope {
    return wrap({ type: 'endpoint.disabled.v1', data: { endpoint_id: endpointId, reason: 'manual', detail: 'paused by test' } },
      { tenantId, version, aggregateId: endpointId });
  },
  messagePublished(tenantId: TenantId, opts: { messageId?: MessageId; eventType?: string; channels?: string[]; at?: Date; endpointIds?: EndpointId[]; tags?: string[] } = {}): Envelope {
    return wrap({ type: 'message.published.v1', data: { message_id: opts.messageId ?? newId('message'), event_type: opts.eventType ?? 'invoice.paid',
      event_type_version: 1, payload: { amount: 42 }, channels: opts.channels ?? [], idempotency_key: null, ordering_key: null,
      ...(opts.endpointIds ? { endpoint_ids: opts.endpointIds } : {}), ...(opts.tags ? { tags: opts.tags } : {}) } },
    { tenantId, at: opts.at });
  },
  attempted(tenantId: TenantId, messageId: MessageId, endpointId: EndpointId, attempt: number, status: DeliveryStatus,
    opts: { at?: Date; latencyMs?: number; httpStatus?: number; noAnswer?: AttemptErrorClass; trigger?: AttemptTrigger; eventType?: string;
      requestBody?: string; kafkaRecord?: { topic: string; partition: number; offset: string }; amqpPublish?: { exchange: string; routing_key: string } } = {}): Envelope {
    const ok = status === 'succeeded';
    const httpStatus = opts.httpStatus ?? (ok ? 200 : 503);
    // A broker destination's attempt has no HTTP response: acknowledged (kafkaRecord, amqpPublish) or failed (noAnswer).
    const response = opts.noAnswer || opts.kafkaRecord || opts.amqpPublish ? null
      : { status: httpStatus, headers: { 'content-type': 'text/plain' }, body: ok ? 'ok' : 'unavailable', body_truncated: false };
    const error = opts.noAnswer ? { class: opts.noAnswer, message: `${opts.noAnswer} failure` } : ok ? null : { class: 'http_status' as const, message: `HTTP ${httpStatus}` };
    return wrap({ type: 'delivery.attempted.v1', data: { attempt_id: newId('attempt'), delivery_id: deliveryIdOf(messageId, endpointId),
      message_id: messageId, endpoint_id: endpointId, event_type: opts.eventType ?? 'invoice.paid', attempt,
      trigger: opts.trigger ?? (attempt === 1 ? 'initial' : 'retry'),
      url: 'https://example.com/hook', request_headers: { 'webhook-id': messageId, 'webhook-signature': '***' },
      started_at: (opts.at ?? new Date()).toISOString(), latency_ms: opts.latencyMs ?? 42, response, error, succeeded: ok, status,
      next_attempt_at: status === 'retrying' ? new Date(Date.now() + 5000).toISOString() : null, trace_id: null,
      message_published_at: new Date().toISOString(),
      ...(opts.requestBody === undefined ? {} : { request_body: opts.requestBody, request_body_truncated: false }),
      ...(opts.kafkaRecord === undefined ? {} : { kafka_record: opts.kafkaRecord }),
      ...(opts.amqpPublish === undefined ? {} : { amqp_publish: opts.amqpPublish }) } }, { tenantId, at: opts.at }, 'dispatcher');
  },
  contentExpunged(tenantId: TenantId, messageId: MessageId, at?: Date): Envelope {
    return wrap({ type: 'message.content_expunged.v1', data: { message_id: messageId } }, { tenantId, at });
  },
  parked(tenantId: TenantId, messageId: MessageId, endpointId: EndpointId, at?: Date): Envelope {
    return wrap({ type: 'delivery.parked.v1', data: { delivery_id: deliveryIdOf(messageId, endpointId), message_id: messageId,
      endpoint_id: endpointId, event_type: 'invoice.paid', reason: 'rate_limited', next_attempt_at: new Date(Date.now() + 1000).toISOString(),
      message_published_at: new Date().toISOString() } }, { tenantId, at }, 'dispatcher');
  },
  deadLettered(tenantId: TenantId, messageId: MessageId, endpointId: EndpointId, attempts: number, at?: Date): Envelope {
    return wrap({ type: 'delivery.dead_lettered.v1', data: { delivery_id: deliveryIdOf(messageId, endpointId), message_id: messageId,
      endpoint_id: endpointId, event_type: 'invoice.paid', attempts, last_error: 'HTTP 503', message_published_at: new Date().toISOString(),
      payload: { amount: 42 }, channels: [], cause: 'exhausted' } }, { tenantId, at }, 'dispatcher');
  },
  dropped(tenantId: TenantId, messageId: MessageId, endpointId: EndpointId, attempts: number, at?: Date): Envelope {
    return wrap({ type: 'delivery.dropped.v1', data: { delivery_id: deliveryIdOf(messageId, endpointId), message_id: messageId,
      endpoint_id: endpointId, event_type: 'invoice.paid', attempts, reason: 'endpoint_deleted', message_published_at: new Date().toISOString() } },
    { tenantId, at }, 'dispatcher');
  },
  breakerChanged(tenantId: TenantId, endpointId: EndpointId, state: 'closed' | 'open' | 'half_open'): Envelope {
    return wrap({ type: 'endpoint.breaker_changed.v1', data: { endpoint_id: endpointId, state, failure_ratio: 0.9 } }, { tenantId }, 'dispatcher');
  },
  tenantDeleted(tenantId: TenantId, version: number): Envelope {
    return wrap({ type: 'tenant.deleted.v1', data: { tenant_id: tenantId } }, { tenantId, version, aggregateId: tenantId });
  },
  /** An HTTP source verified with a Standard Webhooks secret (sealed: a stand-in, nothing here opens it) unless `settings` says otherwise. */
  sourceCreated(tenantId: TenantId, sourceId: SourceId, settings: Partial<SourceSettingsV1> = {}, at?: Date): Envelope {
    return wrap({ type: 'source.created.v1', data: { source_id: sourceId, name: 'stripe', description: 'Stripe billing events',
      verification: { type: 'standard_webhooks', secret_sealed: 'enc:v1:source-secret', tolerance_seconds: 300 },
      event_type: { from: 'field', path: 'type' }, idempotency: { from: 'header', header: 'webhook-id' }, payload_field: null, channels: null,
      enabled: true, ...settings } }, { tenantId, version: 1, aggregateId: sourceId, at });
  },
  sourceUpdated(tenantId: TenantId, sourceId: SourceId, version: number, changes: Partial<SourceSettingsV1>, at?: Date): Envelope {
    return wrap({ type: 'source.updated.v1', data: { source_id: sourceId, ...changes } }, { tenantId, version, aggregateId: sourceId, at });
  },
  sourceDeleted(tenantId: TenantId, sourceId: SourceId, version: number): Envelope {
    return wrap({ type: 'source.deleted.v1', data: { source_id: sourceId } }, { tenantId, version, aggregateId: sourceId });
  },
  certificateWarning(tenantId: TenantId, endpointId: EndpointId, fingerprint: string, stage: 'expiring' | 'expired', at?: Date): Envelope {
    return wrap({ type: 'endpoint.client_certificate_expiring.v1', data: { endpoint_id: endpointId, fingerprint_sha256: fingerprint,
      not_after: '2027-01-01T00:00:00.000Z', stage, days_left: stage === 'expired' ? 0 : 10 } }, { tenantId, at }, 'dispatcher');
  },
  /** A request an HTTP source refused: a GitHub-style push whose signature did not verify, unless `data` says otherwise. */
  requestRefused(tenantId: TenantId, sourceId: SourceId, at: Date, data: Partial<SourceRequestRefusedV1['data']> = {}): Envelope {
    const body = '{"ref":"refs/heads/main"}';
    return wrap({ type: 'source.request_refused.v1', data: { source_id: sourceId, received_at: at.toISOString(), method: 'POST', status: 401,
      outcome: 'unauthenticated', reason: 'no_matching_signature', detail: 'signature did not verify',
      headers: { 'content-type': 'application/json', 'x-github-event': 'push', 'x-hub-signature-256': 'sha256=00ff' }, query: {},
      content_type: 'application/json', body_bytes: body.length, body_excerpt: body, body_truncated: false, not_recorded: 0, ...data } },
    { tenantId, at });
  },
};

/** A client certificate as endpoint events carry it (the key sealed; here a stand-in, since nothing here opens it). */
export function clientCertificate(fingerprint: string, notAfter = '2027-01-01T00:00:00.000Z') {
  return { cert_pem: '-----BEGIN CERTIFICATE-----', key_sealed: 'enc:v1:client-key', fingerprint_sha256: fingerprint, not_after: notAfter };
}

/** Kafka-record shape of an envelope at an offset, for calling the projector without a broker. */
export function asRecord(event: Envelope, offset: number | string) {
  return { offset: String(offset), value: encodeEvent(event), headers: {} };
}

/** The partition key the producers use: tenant for config/messages/operational, endpoint for deliveries/dead letters. */
export function keyOf(event: Envelope): string {
  const data = event.data as { endpoint_id?: string };
  return event.type.startsWith('delivery.') && data.endpoint_id ? data.endpoint_id : event.tenant_id;
}
