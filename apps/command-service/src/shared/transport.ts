import type { Metadata, ServerUnaryCall } from '@grpc/grpc-js';
import { ProblemError, FieldProblem } from '@hookline/service-kit';
import { plainToInstance } from 'class-transformer';
import { ValidationError, validate } from 'class-validator';
import type { Request } from 'express';
import { AuthContext } from '../auth/auth-context';
import { Authenticator } from '../auth/authenticator';
import { authenticateGrpc } from '../auth/grpc-auth';
import { RequestContext, correlationIdFrom, parseIfMatch } from './request-context';

/** The request context of a REST call (auth was set by the guard). */
export function httpContext(req: Request, auth: AuthContext): RequestContext {
  return {
    auth,
    correlationId: correlationIdFrom(req.headers['x-correlation-id']),
    expectedVersion: parseIfMatch(req.headers['if-match'] as string | undefined),
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
  return { auth, correlationId: correlationIdFrom(correlation), expectedVersion: expectedVersion ? expectedVersion : undefined };
}

function flatten(errors: ValidationError[], parent = ''): FieldProblem[] {
  return errors.flatMap((e) => [
    ...Object.values(e.constraints ?? {}).map((detail) => ({ pointer: `${parent}/${e.property}`, detail })),
    ...flatten(e.children ?? [], `${parent}/${e.property}`),
  ]);
}

/**
 * Validates a gRPC request with the same DTO class (and so the same rules) the REST adapter's pipe uses.
 * Unset proto3 fields arrive as defaults; `compact` drops them first.
 */
export async function validateDto<T extends object>(cls: new () => T, plain: Record<string, unknown>): Promise<T> {
  const instance = plainToInstance(cls, compact(plain));
  const errors = await validate(instance, { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true });
  if (errors.length) throw new ProblemError('validation', 'the request has invalid fields', flatten(errors));
  return instance;
}

/** Drops undefined, empty-string and empty-array fields (proto3 defaults for "not set"). */
export function compact(plain: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(plain).filter(([, v]) => v !== undefined && v !== null && v !== '' && !(Array.isArray(v) && v.length === 0)),
  );
}
