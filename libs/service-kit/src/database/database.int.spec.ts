import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { ensureDatabase } from './database';

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
