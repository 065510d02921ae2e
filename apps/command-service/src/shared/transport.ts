import { Metadata, type ServerUnaryCall } from '@grpc/grpc-js';
import { requestTraceContext } from '@hookline/observability';
import { ProblemError, validateDto as validatePlain } from '@hookline/service-kit';
import type { Request } from 'express';
import { AuthContext } from '../auth/auth-context';
import type { EndpointAuthInput } from './endpoint-auth';
import { Authenticator } from '../auth/authenticator';
import { authenticateGrpc } from '../auth/grpc-auth';
import { IdempotentRequest, checkIdempotencyKey } from '../infrastructure/idempotency/idempotency-key';
import { RequestContext, correlationIdFrom, parseIfMatch } from './request-context';

/** The request context of a REST call (auth was set by the guard). */
export function httpContext(req: Request, auth: AuthContext): RequestContext {
  const markReplayed = () => req.res?.setHeader('idempotent-replayed', 'true');
  return {
    auth,
    correlationId: correlationIdFrom(req.headers['x-correlation-id']),
    expectedVersion: parseIfMatch(req.headers['if-match'] as string | undefined),
    trace: requestTraceContext(req.headers),
    idempotency: idempotentRequest(auth, req.headers['idempotency-key'], () => ({ op: `${req.method} ${req.baseUrl}${req.route?.path ?? req.path}`, params: req.params, body: req.body }), markReplayed),
    markReplayed,
  };
}

/** The request context of a gRPC call: authenticated here, since guards don't see gRPC metadata the same way. */
export async function grpcContext(
  authenticator: Authenticator,
  metadata: Metadata,
  call: ServerUnaryCall<unknown, unknown> | undefined,
  expectedVersion?: number,
): Promise<RequestContext> {
  const auth = await authenticateGrpc(authenticator, metadata, call);
  const correlation = metadata.get('x-correlation-id')[0];
  const markReplayed = () => {
    const replayed = new Metadata();
    replayed.set('idempotent-replayed', 'true');
    call?.sendMetadata(replayed);
  };
  return {
    auth, correlationId: correlationIdFrom(correlation), expectedVersion: expectedVersion ? expectedVersion : undefined,
    trace: requestTraceContext(traceMetadata(metadata)),
    idempotency: idempotentRequest(auth, metadata.get('idempotency-key')[0], () => ({ op: call?.getPath(), body: call?.request }), markReplayed),
    markReplayed,
  };
}

/**
 * The Idempotency-Key of a request, if it has one. Keys are the caller's tenant's (or, for an admin key's commands
 * without a tenant, the admins'), so no caller can replay another tenant's answer.
 */
function idempotentRequest(auth: AuthContext, key: unknown, asked: () => unknown, onReplay?: () => void): IdempotentRequest | undefined {
  if (key === undefined) return undefined;
  // A binary gRPC value is no key: checked as an empty one, it is refused as malformed.
  return { scope: auth.tenantId ?? '', key: checkIdempotencyKey(typeof key === 'string' ? key : ''), asked: asked(), onReplay };
}

/** The W3C trace entries of gRPC metadata (text values; a binary `-bin` entry is never a trace header). */
function traceMetadata(metadata: Metadata): Record<string, string | undefined> {
  const text = (key: string) => {
    const value = metadata.get(key)[0];
    return typeof value === 'string' ? value : undefined;
  };
  return { traceparent: text('traceparent'), tracestate: text('tracestate') };
}

/**
 * Validates a gRPC request with the same DTO class (and so the same rules) the REST adapter's pipe uses.
 * Unset proto3 fields arrive as defaults; `compact` drops them first.
 */
export function validateDto<T extends object>(cls: new () => T, plain: Record<string, unknown>): Promise<T> {
  return validatePlain(cls, compact(plain));
}

/** Drops undefined, empty-string and empty-array fields (proto3 defaults for "not set"). */
export function compact(plain: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(plain).filter(([, v]) => v !== undefined && v !== null && v !== '' && !(Array.isArray(v) && v.length === 0)),
  );
}

/**
 * An endpoint's auth from the gRPC `OAuth2ClientCredentials`, `KafkaSasl` or `AmqpPlain` message (unset = undefined;
 * more than one set is refused). Empty strings are proto3's "not set": they are dropped, so the REST rules (required
 * fields, defaults) judge what is left.
 */
export function endpointAuthFromGrpc(
  oauth2: Record<string, unknown> | null | undefined,
  kafkaSasl?: Record<string, unknown> | null,
  amqpPlain?: Record<string, unknown> | null,
): EndpointAuthInput | undefined {
  const given = [['oauth2', oauth2], ['kafka_sasl', kafkaSasl], ['amqp_plain', amqpPlain]].filter(([, value]) => value);
  if (given.length > 1) {
    const names = given.map(([name]) => name);
    throw new ProblemError('validation', `${names.join(' and ')} exclude each other`, [{ pointer: `/${names[1]}`, detail: 'set at most one of oauth2, kafka_sasl and amqp_plain' }]);
  }
  if (kafkaSasl) return { type: 'kafka_sasl', ...compact(kafkaSasl) } as EndpointAuthInput;
  if (amqpPlain) return { type: 'amqp_plain', ...compact(amqpPlain) } as EndpointAuthInput;
  if (!oauth2) return undefined;
  return { type: 'oauth2_client_credentials', ...compact(oauth2) } as EndpointAuthInput;
}
