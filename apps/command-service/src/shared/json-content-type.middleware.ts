import { ProblemError } from '@hookline/service-kit';
import type { NextFunction, Request, Response } from 'express';

const JSON_MEDIA_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;

/** Whether a Content-Type names JSON (`application/json`, `application/…+json`, with parameters or not). */
export const isJsonMediaType = (type: string): boolean => JSON_MEDIA_TYPE.test(type);

/** Where providers' webhooks arrive: their bodies are kept raw (signatures are over the bytes) and checked by the route. */
export const INGEST_PATH = /^\/ingest\//;

/**
 * A request with a body must say it is JSON. Otherwise the JSON parser skips it and the client was told which fields
 * are missing from a body it did send (`name must be a string`), instead of 415 naming the Content-Type to use.
 */
export function requireJsonContentType(req: Request, _res: Response, next: NextFunction): void {
  if (INGEST_PATH.test(req.path)) return next();
  const hasBody = req.headers['transfer-encoding'] !== undefined || (req.headers['content-length'] !== undefined && req.headers['content-length'] !== '0');
  const type = req.headers['content-type'];
  if (!hasBody || (type && JSON_MEDIA_TYPE.test(type))) return next();
  next(new ProblemError('unsupported_media_type', `request bodies must be JSON sent with Content-Type: application/json (got ${type ? `"${type.slice(0, 100)}"` : 'no Content-Type'})`));
}
