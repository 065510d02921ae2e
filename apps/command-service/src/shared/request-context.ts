import { randomUUID } from 'node:crypto';
import type { Context } from '@opentelemetry/api';
import { Envelope, TenantId, envelope } from '@hookline/contracts';
import { injectTraceHeaders } from '@hookline/observability';
import { ProblemError } from '@hookline/service-kit';
import { AuthContext, actorOf } from '../auth/auth-context';
import { CommandMeta } from '../infrastructure/aggregates/aggregate-store';
import { IdempotentRequest } from '../infrastructure/idempotency/idempotency-key';

/** What every command handler gets besides its input: the caller and request metadata. */
export interface RequestContext {
  auth: AuthContext;
  correlationId: string;
  /** From If-Match (REST) or expected_version (gRPC); undefined = don't check. */
  expectedVersion?: number;
  /**
   * The trace the request continues (see requestTraceContext), passed on explicitly to the events it appends: without
   * an exporter the service keeps no ambient context, so nothing else would carry it.
   */
  trace: Context;
  /** From Idempotency-Key (REST header or gRPC metadata); undefined = carry the command out every time. */
  idempotency?: IdempotentRequest;
  /** Marks the answer as the first request's (REST: `Idempotent-Replayed: true`; gRPC: the same reply metadata). */
  markReplayed?: () => void;
}

/** Parses `If-Match: "3"` / `3` / `W/"3"`; a malformed value is a 400 naming the header. */
export function parseIfMatch(value: string | undefined): number | undefined {
  if (value === undefined || value === '' || value === '*') return undefined;
  const m = /^(?:W\/)?"?(\d{1,9})"?$/.exec(value.trim());
  if (!m) throw new ProblemError('validation', 'If-Match must be the resource version, e.g. "3"', [{ pointer: 'If-Match', detail: 'not a version' }]);
  return Number(m[1]);
}

/** A correlation id from the caller (X-Correlation-Id / metadata) or a new one. */
export function correlationIdFrom(value: unknown): string {
  return typeof value === 'string' && /^[\w.:-]{1,128}$/.test(value) ? value : randomUUID();
}

/** Store metadata for a command, carrying the request's trace into the events' Kafka headers. */
export function commandMeta(ctx: RequestContext): CommandMeta {
  return {
    actor: actorOf(ctx.auth),
    correlationId: ctx.correlationId,
    expectedVersion: ctx.expectedVersion,
    traceHeaders: injectTraceHeaders({}, ctx.trace),
    idempotency: ctx.idempotency,
  };
}

/**
 * An event a request appends straight to the messages topic (no aggregate): the tenant's, with the request's
 * correlation id and caller as its actor.
 */
export function requestEnvelope<E extends { type: string; data: unknown }>(ctx: RequestContext, tenantId: TenantId, event: E): Envelope<E['type'], E['data']> {
  return envelope(event, { tenantId, source: 'command-service', correlationId: ctx.correlationId, actor: actorOf(ctx.auth) });
}
