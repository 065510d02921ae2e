import { ProblemError } from '@hookline/service-kit';
import type { NextFunction, Request, Response } from 'express';
import { INGEST_PATH } from '../../shared/json-content-type.middleware';

/** A provider's body over the ingest limit: never read into memory, so only its size is known. */
export interface OversizeBody {
  limitBytes: number;
  /** Its Content-Length when it declared one; else how much had arrived when it was cut off. */
  bodyBytes: number;
  declared: boolean;
}

/** What the body parser's 413 carries (raw-body): `length` when Content-Length said so, `received` when it ran over. */
interface BodyLimitError {
  type?: string;
  limit?: number;
  length?: number;
  received?: number;
}

const oversizeBodies = new WeakMap<Request, OversizeBody>();

/**
 * Express error middleware, right after /ingest's raw body parser: a body over its limit goes on to the route marked
 * as such, instead of ending as a bare 413 there, so the route finds the source first and refuses it for that source
 * (counted and recorded in its refusal log; an unknown source still answers 404). The parser has read the rest of the
 * body off the connection by then, so the parsers after it skip the request.
 */
export function markOversizeIngestBody(err: unknown, req: Request, _res: Response, next: NextFunction): void {
  const tooLarge = err as BodyLimitError | undefined;
  if (!INGEST_PATH.test(req.path) || tooLarge?.type !== 'entity.too.large' || tooLarge.limit === undefined) return next(err);
  const declared = tooLarge.length !== undefined;
  oversizeBodies.set(req, { limitBytes: tooLarge.limit, bodyBytes: tooLarge.length ?? tooLarge.received ?? tooLarge.limit + 1, declared });
  next();
}

/** The oversize body of a request markOversizeIngestBody let through; undefined for any other request. */
export function oversizeBodyOf(req: Request): OversizeBody | undefined {
  return oversizeBodies.get(req);
}

/** The 413 a provider gets for it, naming the limit (also as `limit_bytes`, for a sender to split or trim by). */
export function oversizeBodyProblem(body: OversizeBody): ProblemError {
  const size = body.declared ? `is ${body.bodyBytes} bytes` : `ran past ${body.bodyBytes} bytes`;
  return new ProblemError('payload_too_large', `the request body ${size}; an ingest URL takes at most ${body.limitBytes} bytes`, [], { limit_bytes: body.limitBytes });
}
