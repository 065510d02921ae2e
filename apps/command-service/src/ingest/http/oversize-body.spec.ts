import type { Request } from 'express';
import { markOversizeIngestBody, oversizeBodyOf, oversizeBodyProblem } from './oversize-body';

const request = (path: string) => ({ path }) as Request;
// As raw-body reports a body over its limit: `length` from Content-Length, or `received` once a chunked body ran over.
const tooLarge = (fields: Record<string, number>) => Object.assign(new Error('request entity too large'), { type: 'entity.too.large', status: 413, ...fields });

describe('a provider\'s body over the ingest limit', () => {
  it('goes on to the ingest route marked with its declared size and the limit', () => {
    const req = request('/ingest/src_1');
    const next = jest.fn();
    markOversizeIngestBody(tooLarge({ limit: 1000, length: 5000, expected: 5000 }), req, {} as never, next);
    expect(next).toHaveBeenCalledWith();
    expect(oversizeBodyOf(req)).toEqual({ limitBytes: 1000, bodyBytes: 5000, declared: true });
  });

  it('is marked with what had arrived when a body without a length ran over', () => {
    const req = request('/ingest/src_1');
    markOversizeIngestBody(tooLarge({ limit: 1000, received: 1024 }), req, {} as never, jest.fn());
    expect(oversizeBodyOf(req)).toEqual({ limitBytes: 1000, bodyBytes: 1024, declared: false });
  });

  it('leaves any other error, and the same error on another route, to the error handlers', () => {
    const other = request('/v1/tenants');
    const next = jest.fn();
    const error = tooLarge({ limit: 1000, length: 5000 });
    markOversizeIngestBody(error, other, {} as never, next);
    expect(next).toHaveBeenCalledWith(error);
    expect(oversizeBodyOf(other)).toBeUndefined();
    const broken = Object.assign(new Error('aborted'), { type: 'request.aborted' });
    markOversizeIngestBody(broken, request('/ingest/src_1'), {} as never, next);
    expect(next).toHaveBeenLastCalledWith(broken);
  });

  it('is answered 413 naming the limit', () => {
    const declared = oversizeBodyProblem({ limitBytes: 1000, bodyBytes: 5000, declared: true });
    expect({ kind: declared.kind, message: declared.message, extensions: declared.extensions }).toEqual({
      kind: 'payload_too_large', message: 'the request body is 5000 bytes; an ingest URL takes at most 1000 bytes', extensions: { limit_bytes: 1000 },
    });
    expect(oversizeBodyProblem({ limitBytes: 1000, bodyBytes: 1024, declared: false }).message)
      .toBe('the request body ran past 1024 bytes; an ingest URL takes at most 1000 bytes');
  });
});
