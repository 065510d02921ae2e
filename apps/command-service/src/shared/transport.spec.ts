import { Metadata } from '@grpc/grpc-js';
import { injectTraceHeaders } from '@hookline/observability';
import { propagation, trace } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import type { Request } from 'express';
import { AuthContext } from '../auth/auth-context';
import { Authenticator } from '../auth/authenticator';
import { commandMeta } from './request-context';
import { grpcContext, httpContext } from './transport';

// Without an exporter the command service keeps no ambient context (no context manager, no instrumentation opens a span
// for the request): the caller's trace reaches the events it appends only through RequestContext.trace.
describe('the request trace a command carries to its events, without ambient context', () => {
  const auth: AuthContext = { keyId: 'key_test', scope: 'admin', tenantId: null, expiresAt: null };
  const authenticator = { authenticate: async () => auth } as unknown as Authenticator;
  const traceId = '0af7651916cd43dd8448eb211c80319c';
  const traceparent = `00-${traceId}-b7ad6b7169203331-01`;

  beforeAll(() => propagation.setGlobalPropagator(new W3CTraceContextPropagator()));
  afterAll(() => propagation.disable());

  it("REST: continues the caller's traceparent into the events' trace headers", () => {
    const req = { headers: { traceparent, 'x-correlation-id': 'corr-1' } } as unknown as Request;
    const ctx = httpContext(req, auth);

    expect(trace.getSpanContext(ctx.trace)?.traceId).toBe(traceId);
    expect(commandMeta(ctx).traceHeaders).toEqual({ traceparent });
  });

  it("gRPC: continues the caller's traceparent metadata the same way", async () => {
    const metadata = new Metadata();
    metadata.set('authorization', 'Bearer hk_test');
    metadata.set('traceparent', traceparent);
    metadata.set('tracestate', 'vendor=1');
    const ctx = await grpcContext(authenticator, metadata, undefined);

    expect(injectTraceHeaders({}, ctx.trace)).toEqual({ traceparent, tracestate: 'vendor=1' });
  });

  it('starts no trace of its own for a caller that sent none (the producer span then opens a new one)', async () => {
    const rest = httpContext({ headers: {} } as unknown as Request, auth);
    const grpc = await grpcContext(authenticator, new Metadata(), undefined);

    expect(trace.getSpan(rest.trace)).toBeUndefined();
    expect(trace.getSpan(grpc.trace)).toBeUndefined();
    expect(commandMeta(rest).traceHeaders).toEqual({});
  });
});
