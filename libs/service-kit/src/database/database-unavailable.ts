// SQLSTATE classes and codes that say the database, not the request, is the problem: the connection is gone
// (class 08), the server is shutting down or starting (57P01–57P03), or it has no connection to spare (53300).
const UNAVAILABLE_SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300']);
// node-postgres' own words when the socket went away or a pooled connection could not be had in time.
const UNAVAILABLE_MESSAGES = /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error)/;
const UNAVAILABLE_SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT']);
// TypeORM's words for a transaction that went on after its connection dropped: the pool had already let go of it,
// or the query runner was released when its connection died (then even the COMMIT or ROLLBACK fails with this).
const UNAVAILABLE_ERROR_NAMES = new Set(['QueryRunnerProviderAlreadyReleasedError', 'QueryRunnerAlreadyReleasedError']);

/**
 * Whether an error means Postgres could not be reached or dropped the connection (failover, restart, an operator's
 * pg_terminate_backend), as opposed to a bug or a constraint: such a request may be retried. TypeORM wraps driver
 * errors (QueryFailedError.driverError); both are looked at.
 */
export function isDatabaseUnavailable(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && typeof e === 'object' && depth < 3; e = (e as { driverError?: unknown }).driverError, depth++) {
    const { code, message, name } = e as { code?: unknown; message?: unknown; name?: unknown };
    if (typeof name === 'string' && UNAVAILABLE_ERROR_NAMES.has(name)) return true;
    if (typeof code === 'string' && (code.startsWith('08') || UNAVAILABLE_SQLSTATES.has(code) || UNAVAILABLE_SOCKET_CODES.has(code))) return true;
    if (typeof message === 'string' && UNAVAILABLE_MESSAGES.test(message)) return true;
  }
  return false;
}
