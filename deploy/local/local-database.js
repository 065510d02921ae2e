// `npm start`'s database belongs to one Kafka log. Everything in it is derived from that log (the write model, the
// read models, the message index) or only means something next to it (projection offsets, parked retries). Kept
// across a new log (a fresh clone or a deleted .cache formats a new local broker), it is silently wrong: the query
// service's stored offsets run ahead of the new log, so it skips the new records as already projected. So the
// database carries the id of the Kafka cluster it was built from, as a comment, and starts over under another one.
'use strict';

const { Client } = require('pg');

const MARK_PREFIX = 'hookline: built from the log of Kafka cluster ';

/**
 * Makes sure the database of `databaseUrl` was built from the log of Kafka cluster `clusterId`: creates it (marked)
 * when missing, keeps it when its mark names that cluster, and drops and recreates it otherwise (another cluster's
 * mark, or none: a database from before the mark). The services then rebuild it from the log. Resolves with what it
 * did: 'kept', 'created' or 'replaced'.
 */
async function bindDatabaseToLog(databaseUrl, clusterId, { say = () => {} } = {}) {
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.slice(1));
  url.pathname = '/postgres';
  const client = new Client({ connectionString: url.toString(), connectionTimeoutMillis: 5000 });
  client.on('error', () => {});
  await client.connect();
  try {
    const mark = `${MARK_PREFIX}${clusterId}`;
    const { rows } = await client.query(`SELECT shobj_description(oid, 'pg_database') AS mark FROM pg_database WHERE datname = $1`, [name]);
    if (rows.length && rows[0].mark === mark) return 'kept';
    const database = client.escapeIdentifier(name);
    if (rows.length) {
      const was = rows[0].mark?.startsWith(MARK_PREFIX) ? `the log of Kafka cluster ${rows[0].mark.slice(MARK_PREFIX.length)}` : 'an unrecorded Kafka log';
      say(`Database ${name} was built from ${was}; starting it over, so the services rebuild it from this log (cluster ${clusterId})`);
      await client.query(`DROP DATABASE ${database} WITH (FORCE)`);
    }
    await client.query(`CREATE DATABASE ${database}`);
    await client.query(`COMMENT ON DATABASE ${database} IS ${client.escapeLiteral(mark)}`);
    return rows.length ? 'replaced' : 'created';
  } finally {
    await client.end().catch(() => {});
  }
}

module.exports = { bindDatabaseToLog };
