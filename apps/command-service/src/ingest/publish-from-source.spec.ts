import { ProblemError } from '@hookline/service-kit';
import { finalRefusal } from './publish-from-source';

describe('a source\'s refusal', () => {
  it('is final for the publish rules (unknown type, schema, size, a reused key), with the field problems in its detail', () => {
    expect(finalRefusal(new ProblemError('validation', 'payload does not match', [{ pointer: '/payload/amount', detail: 'must be number' }])))
      .toEqual({ reason: 'validation', detail: 'payload does not match; /payload/amount: must be number' });
    expect(finalRefusal(new ProblemError('payload_too_large', 'too large'))).toMatchObject({ reason: 'payload_too_large' });
    expect(finalRefusal(new ProblemError('idempotency_conflict', 'reused'))).toMatchObject({ reason: 'idempotency_conflict' });
  });

  it('is not final while Kafka or Postgres is unavailable, on a rate limit, or when the answer says to retry', () => {
    for (const kind of ['unavailable', 'internal', 'rate_limited'] as const) expect(finalRefusal(new ProblemError(kind, 'x'))).toBeNull();
    expect(finalRefusal(new ProblemError('precondition_failed', 'still being processed', [], {}, { 'retry-after': '1' }))).toBeNull();
    expect(finalRefusal(new Error('connection reset'))).toBeNull();
  });
});
