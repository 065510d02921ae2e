// The mark npm start puts on its default database, and what happens to a database built from another Kafka log.
import { Client } from 'pg';
import { bindDatabaseToLog } from './local-database';

const SERVER = process.env.DATABASE_URL ? new URL(process.env.DATABASE_URL) : new URL('postgres://postgres@127.0.0.1:5432/postgres');
const NAME = `hookline_local_db_test_${process.pid}`;
const dbUrl = (name: string) => Object.assign(new URL(SERVER.toString()), { pathname: `/${name}` }).toString();

async function onServer<T>(name: string, work: (c: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: dbUrl(name) });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

const tableCount = () => onServer(NAME, async (c) => (await c.query(`SELECT count(*)::int AS n FROM pg_tables WHERE tablename = 'built_from_the_log'`)).rows[0].n);

describe("npm start's database belongs to one Kafka log (real Postgres)", () => {
  afterAll(() => onServer('postgres', (c) => c.query(`DROP DATABASE IF EXISTS "${NAME}" WITH (FORCE)`)));

  it('is created for a log, kept for the same log, and started over for another log or an unrecorded one', async () => {
    const said: string[] = [];
    const say = (m: string) => said.push(m);
    expect(await bindDatabaseToLog(dbUrl(NAME), 'clusterA', { say })).toBe('created');
    await onServer(NAME, (c) => c.query('CREATE TABLE built_from_the_log (id int)'));

    expect(await bindDatabaseToLog(dbUrl(NAME), 'clusterA', { say })).toBe('kept');
    expect(await tableCount()).toBe(1);
    expect(said).toEqual([]);

    // A new local broker (fresh clone, deleted .cache): what was built from the old log goes.
    expect(await bindDatabaseToLog(dbUrl(NAME), 'clusterB', { say })).toBe('replaced');
    expect(await tableCount()).toBe(0);
    expect(said).toEqual([expect.stringContaining('built from the log of Kafka cluster clusterA')]);

    // A database from before the mark existed: its log is unknown, so it is started over too.
    await onServer('postgres', (c) => c.query(`COMMENT ON DATABASE "${NAME}" IS NULL`));
    await onServer(NAME, (c) => c.query('CREATE TABLE built_from_the_log (id int)'));
    expect(await bindDatabaseToLog(dbUrl(NAME), 'clusterB', { say })).toBe('replaced');
    expect(await tableCount()).toBe(0);
    expect(said[1]).toContain('an unrecorded Kafka log');
    expect(await bindDatabaseToLog(dbUrl(NAME), 'clusterB', { say })).toBe('kept');
  });

  it('starts over a database that still has connections open', async () => {
    await bindDatabaseToLog(dbUrl(NAME), 'clusterC');
    const open = new Client({ connectionString: dbUrl(NAME) });
    open.on('error', () => undefined);
    await open.connect();
    try {
      expect(await bindDatabaseToLog(dbUrl(NAME), 'clusterD')).toBe('replaced');
    } finally {
      await open.end().catch(() => undefined);
    }
  });
});
