import { EventId, TenantId, newId } from './ids';

/** Who caused a change; the audit log shows it. */
export interface Actor {
  kind: 'api_key' | 'admin' | 'system';
  /** The API key id (`key_…`), or the service name for system actors. */
  id: string;
}

export type SourceService = 'command-service' | 'dispatcher' | 'query-service';

/**
 * The one envelope every event on every Hookline topic has. Payload fields are snake_case JSON, as is the
 * envelope, because downstream services in any language read these topics directly.
 */
export interface Envelope<T extends string = string, D = unknown> {
  id: EventId;
  /** Includes the schema version, e.g. `endpoint.created.v1`. */
  type: T;
  /** ISO 8601, UTC. */
  occurred_at: string;
  tenant_id: TenantId;
  /** Config aggregates only: the aggregate this event belongs to and the version it brings it to. */
  aggregate_id?: string;
  aggregate_version?: number;
  source: SourceService;
  correlation_id: string;
  causation_id: string | null;
  actor?: Actor;
  data: D;
}

export interface EnvelopeMeta {
  tenantId: TenantId;
  source: SourceService;
  correlationId: string;
  causationId?: string | null;
  actor?: Actor;
  aggregateId?: string;
  aggregateVersion?: number;
  occurredAt?: Date;
}

/** Wraps an event body (`{ type, data }`) in the envelope. */
export function envelope<E extends { type: string; data: unknown }>(event: E, meta: EnvelopeMeta): Envelope<E['type'], E['data']> {
  const env: Envelope<E['type'], E['data']> = {
    id: newId('event'),
    type: event.type,
    occurred_at: (meta.occurredAt ?? new Date()).toISOString(),
    tenant_id: meta.tenantId,
    source: meta.source,
    correlation_id: meta.correlationId,
    causation_id: meta.causationId ?? null,
    data: event.data,
  };
  if (meta.aggregateId !== undefined) env.aggregate_id = meta.aggregateId;
  if (meta.aggregateVersion !== undefined) env.aggregate_version = meta.aggregateVersion;
  if (meta.actor) env.actor = meta.actor;
  return env;
}

/** Kafka headers every producer sets, so consumers can route without parsing the JSON body. */
export const HEADER = {
  eventType: 'hookline-event-type',
  eventId: 'hookline-event-id',
  tenantId: 'hookline-tenant-id',
  contentType: 'content-type',
  traceparent: 'traceparent',
  tracestate: 'tracestate',
} as const;

/** The envelope with any type and data (for schema generation and untyped consumers). */
export type AnyEnvelope = Envelope<string, unknown>;
