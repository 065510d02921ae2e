import { randomBytes } from 'node:crypto';
import type { EventEmitter } from 'node:events';
import { Client } from 'pg';
import { ensureDatabase, openDatabase } from './database';

const server = process.env.TEST_DATABASE_SERVER_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

function urlFor(name: string): string {
  const url = new URL(server);
  url.pathname = `/${name}`;
  return url.toString();
}

async function adminQuery(sql: string, params: unknown[] = []): Promise<number> {
  const admin = new URL(server);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    return (await client.query(sql, params)).rowCount ?? 0;
  } finally {
    await client.end();
  }
}

describe('ensureDatabase', () => {
  const name = `hookline_test_ensure_${randomBytes(4).toString('hex')}`;
  afterAll(() => adminQuery(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));

  // On a fresh machine `npm start` starts the three services at once and each creates the shared database: the losers
  // of that race must go on, not stop with "duplicate key value violates unique constraint".
  it('creates a missing database once when several services ask for it at the same moment', async () => {
    const results = await Promise.allSettled(Array.from({ length: 6 }, () => ensureDatabase(urlFor(name))));
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    expect(await adminQuery('SELECT 1 FROM pg_database WHERE datname = $1', [name])).toBe(1);
    await expect(ensureDatabase(urlFor(name))).resolves.toBeUndefined();
  });
});

describe('openDatabase', () => {
  const name = `hookline_test_guard_${randomBytes(4).toString('hex')}`;
  afterAll(() => adminQuery(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));

  // The window the guard closes: the pool stops listening to a client as it hands it out, and TypeORM starts only a
  // promise later. A "terminating connection" arriving then, with the end of the connection's start-up, is an
  // 'error' with no listener, which throws out of the socket handler and ends the process.
  it("keeps an 'error' on a client the pool has just handed out from crashing the process", async () => {
    const ds = await openDatabase({ url: urlFor(name), schema: 'guarded', entities: [], migrations: [], poolSize: 4 });
    const pool = (ds.driver as unknown as { master: { connect(): Promise<EventEmitter & { release(err?: Error): void }> } }).master;
    try {
      const fresh = await pool.connect();
      expect(() => fresh.emit('error', Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }))).not.toThrow();
      fresh.release(new Error('connection lost'));
      expect(await ds.query('SELECT 1 AS one')).toEqual([{ one: 1 }]);
    } finally {
      await ds.destroy();
    }
  });
});
