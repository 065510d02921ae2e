// One question before the test run: does Postgres answer at DATABASE_URL? Answered in one line either way, because a
// refused connection buried in the 40th failing test says much less.
'use strict';

const { Client } = require('pg');
const { SetupError } = require('./setup-error');

const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

// Never print a password that came in through the URL.
function redact(url) {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparseable DATABASE_URL)';
  }
}

/** Resolves with the server version, or rejects with a one-line SetupError saying what to do. */
async function checkPostgres(url = DEFAULT_DATABASE_URL, { timeoutMs = 5000 } = {}) {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: timeoutMs });
  // A connection that fails after connecting (e.g. the server shuts down) must not crash the process unhandled.
  client.on('error', () => {});
  try {
    await client.connect();
    const { rows } = await client.query('SHOW server_version');
    return rows[0].server_version;
  } catch (err) {
    const reason = err.code ? `${err.code}: ${err.message}` : err.message;
    throw new SetupError(
      `Postgres is not reachable at ${redact(url)} (${reason}). Start it (e.g. pg_ctlcluster <version> main start) ` +
        'or point DATABASE_URL at a running server.',
    );
  } finally {
    await client.end().catch(() => {});
  }
}

module.exports = { checkPostgres, DEFAULT_DATABASE_URL, redact };
