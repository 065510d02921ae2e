import { status as GrpcStatus } from '@grpc/grpc-js';
import { DomainError, DomainErrorCode } from '@hookline/domain';

/** One field-level problem: RFC 9457 extension member `errors`, each with a JSON pointer into the request. */
export interface FieldProblem {
  pointer: string;
  detail: string;
}

/** An RFC 9457 problem document. */
export interface ProblemDocument {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  errors?: FieldProblem[];
  [extension: string]: unknown;
}

/**
 * A failure any layer can throw; the HTTP filter renders it as problem+json and the gRPC adapter as a status.
 * The `kind` decides both codes, in one table below.
 */
export class ProblemError extends Error {
  constructor(
    readonly kind: ProblemKind,
    message: string,
    readonly errors: FieldProblem[] = [],
    readonly extensions: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'ProblemError';
  }
}

export type ProblemKind =
  | DomainErrorCode
  | 'validation'
  | 'unauthenticated'
  | 'forbidden'
  | 'rate_limited'
  | 'payload_too_large'
  | 'idempotency_conflict'
  | 'unknown_reference'
  | 'transformation_failed'
  | 'unsupported_media_type'
  | 'method_not_allowed'
  | 'unavailable'
  | 'internal';

const TABLE: Record<ProblemKind, { http: number; grpc: GrpcStatus; title: string }> = {
  not_found: { http: 404, grpc: GrpcStatus.NOT_FOUND, title: 'Not found' },
  already_exists: { http: 409, grpc: GrpcStatus.ALREADY_EXISTS, title: 'Already exists' },
  version_conflict: { http: 409, grpc: GrpcStatus.FAILED_PRECONDITION, title: 'Version conflict' },
  precondition_failed: { http: 409, grpc: GrpcStatus.FAILED_PRECONDITION, title: 'Precondition failed' },
  invalid: { http: 400, grpc: GrpcStatus.INVALID_ARGUMENT, title: 'Invalid request' },
  incompatible_schema: { http: 409, grpc: GrpcStatus.FAILED_PRECONDITION, title: 'Incompatible schema' },
  validation: { http: 400, grpc: GrpcStatus.INVALID_ARGUMENT, title: 'Invalid request' },
  unauthenticated: { http: 401, grpc: GrpcStatus.UNAUTHENTICATED, title: 'Unauthenticated' },
  forbidden: { http: 403, grpc: GrpcStatus.PERMISSION_DENIED, title: 'Forbidden' },
  rate_limited: { http: 429, grpc: GrpcStatus.RESOURCE_EXHAUSTED, title: 'Too many requests' },
  payload_too_large: { http: 413, grpc: GrpcStatus.RESOURCE_EXHAUSTED, title: 'Payload too large' },
  idempotency_conflict: { http: 422, grpc: GrpcStatus.FAILED_PRECONDITION, title: 'Idempotency key reused' },
  unknown_reference: { http: 422, grpc: GrpcStatus.FAILED_PRECONDITION, title: 'Unknown reference' },
  // Well-formed, but the expression gives no body for the message it was tried on (an error, no result, a deadline).
  transformation_failed: { http: 422, grpc: GrpcStatus.FAILED_PRECONDITION, title: 'Transformation failed' },
  unsupported_media_type: { http: 415, grpc: GrpcStatus.INVALID_ARGUMENT, title: 'Unsupported media type' },
  // Set `allow` in the error's headers (RFC 9110 requires it with a 405).
  method_not_allowed: { http: 405, grpc: GrpcStatus.UNIMPLEMENTED, title: 'Method not allowed' },
  unavailable: { http: 503, grpc: GrpcStatus.UNAVAILABLE, title: 'Service unavailable' },
  internal: { http: 500, grpc: GrpcStatus.INTERNAL, title: 'Internal error' },
};

/** HTTP status of a problem kind. */
export const httpStatusOf = (kind: ProblemKind): number => TABLE[kind].http;
/** gRPC status code of a problem kind. */
export const grpcStatusOf = (kind: ProblemKind): GrpcStatus => TABLE[kind].grpc;

/** Turns a refused domain decision into a ProblemError. */
export function problemFromDomain(error: DomainError): ProblemError {
  const errors: FieldProblem[] = error.field ? [{ pointer: error.field, detail: error.message }] : [];
  for (const d of error.details ?? []) {
    const m = /^(\/[^:]*):\s*(.*)$/.exec(d);
    errors.push(m ? { pointer: `${error.field ?? ''}${m[1] === '/' ? '' : m[1]}`, detail: m[2] } : { pointer: error.field ?? '', detail: d });
  }
  return new ProblemError(error.code, error.message, errors);
}

/** Renders a ProblemError as an RFC 9457 document. */
export function toProblemDocument(err: ProblemError, instance?: string): ProblemDocument {
  const row = TABLE[err.kind];
  const doc: ProblemDocument = {
    type: `https://hookline.dev/problems/${err.kind.replace(/_/g, '-')}`,
    title: row.title,
    status: row.http,
    detail: err.message,
    ...err.extensions,
  };
  if (instance) doc.instance = instance;
  if (err.errors.length) doc.errors = err.errors;
  return doc;
}
