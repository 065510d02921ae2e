import { QueryFailedError, QueryRunnerAlreadyReleasedError, QueryRunnerProviderAlreadyReleasedError } from 'typeorm';
import { toProblemError } from '../http/problem-details.filter';
import { isDatabaseUnavailable } from './database-unavailable';

const pgError = (code: string, message: string) => Object.assign(new Error(message), { code });

describe('isDatabaseUnavailable', () => {
  it.each([
    ['a connection killed by the server (57P01)', new QueryFailedError('INSERT …', [], pgError('57P01', 'terminating connection due to administrator command'))],
    ['a server shutting down (57P02)', pgError('57P02', 'terminating connection because of crash of another server process')],
    ['a server starting up (57P03)', pgError('57P03', 'the database system is starting up')],
    ['no connection slot left (53300)', pgError('53300', 'sorry, too many clients already')],
    ['a connection exception (class 08)', pgError('08006', 'connection failure')],
    ['the socket gone', new Error('Connection terminated unexpectedly')],
    ['no pooled connection in time', new Error('timeout exceeded when trying to connect')],
    ['nothing listening', pgError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432')],
    ['a transaction going on after its connection dropped', new QueryRunnerProviderAlreadyReleasedError()],
    ['a COMMIT on a query runner released when its connection died', new QueryRunnerAlreadyReleasedError()],
  ])('is true for %s', (_what, err) => {
    expect(isDatabaseUnavailable(err)).toBe(true);
  });

  it.each([
    ['a unique violation', new QueryFailedError('INSERT …', [], pgError('23505', 'duplicate key value violates unique constraint'))],
    ['a syntax error', pgError('42601', 'syntax error at or near "SELEC"')],
    ['a bug', new TypeError("Cannot read properties of undefined (reading 'id')")],
    ['not an error at all', 'boom'],
  ])('is false for %s', (_what, err) => {
    expect(isDatabaseUnavailable(err)).toBe(false);
  });

  it('makes a 503 problem with Retry-After of it, and leaves everything else a 500', () => {
    const lost = toProblemError(new QueryFailedError('SELECT 1', [], pgError('57P01', 'terminating connection due to administrator command')));
    expect({ kind: lost.kind, headers: lost.headers }).toEqual({ kind: 'unavailable', headers: { 'retry-after': '1' } });
    expect(toProblemError(new TypeError('bug')).kind).toBe('internal');
  });
});
