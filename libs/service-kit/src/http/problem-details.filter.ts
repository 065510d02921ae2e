import { ArgumentsHost, Catch, ExceptionFilter, HttpException } from '@nestjs/common';
import type { Request, Response } from 'express';
import { isDatabaseUnavailable } from '../database/database-unavailable';
import { ProblemError, toProblemDocument } from './problem';

interface BodyParserError {
  type?: string;
  status?: number;
  message?: string;
}

/** Maps any HTTP error to a problem kind, including the raw errors Express' body parser throws. */
export function toProblemError(exception: unknown): ProblemError {
  if (exception instanceof ProblemError) return exception;
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const response = exception.getResponse();
    const message = typeof response === 'string' ? response : ((response as { message?: string | string[] }).message ?? exception.message);
    const text = Array.isArray(message) ? message.join('; ') : String(message);
    if (status === 404) return new ProblemError('not_found', text);
    if (status === 413) return new ProblemError('payload_too_large', text);
    if (status === 415) return new ProblemError('unsupported_media_type', text);
    if (status === 401) return new ProblemError('unauthenticated', text);
    if (status === 403) return new ProblemError('forbidden', text);
    if (status === 429) return new ProblemError('rate_limited', text);
    if (status >= 400 && status < 500) return new ProblemError('validation', text);
    return new ProblemError('internal', 'internal error');
  }
  // A lost database connection is the service's trouble, and passing: 503 with Retry-After, not a 500 to report as a bug.
  // The request may or may not have taken effect (the connection can drop after a commit): retry with the same
  // Idempotency-Key where that matters.
  if (isDatabaseUnavailable(exception)) {
    return new ProblemError('unavailable', 'the database is unavailable (connection lost); retry shortly', [], {}, { 'retry-after': '1' });
  }
  const bp = exception as BodyParserError;
  if (bp && bp.type === 'entity.too.large') return new ProblemError('payload_too_large', 'request body is larger than the configured limit');
  if (bp && bp.type === 'entity.parse.failed') return new ProblemError('validation', 'request body is not valid JSON', [{ pointer: '', detail: 'malformed JSON' }]);
  if (bp && typeof bp.status === 'number' && bp.status >= 400 && bp.status < 500) return new ProblemError('validation', bp.message ?? 'bad request');
  return new ProblemError('internal', 'internal error');
}

/** Every REST error leaves as `application/problem+json` (RFC 9457), never as an HTML page or a stack trace. */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  constructor(private readonly onInternal: (err: unknown, req: Request) => void = () => undefined) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const res = ctx.getResponse<Response>();
    const req = ctx.getRequest<Request>();
    const problem = toProblemError(exception);
    if (problem.kind === 'internal') this.onInternal(exception, req);
    const doc = toProblemDocument(problem, req.originalUrl);
    for (const [k, v] of Object.entries(problem.headers)) res.setHeader(k, v);
    res.status(doc.status).type('application/problem+json').send(JSON.stringify(doc));
  }
}
