import { TestDatabase, createTestDatabase } from '@hookline/testing';
import type { QueryRunner } from 'typeorm';
import { UnwrapMetadata1000000000003 } from './read-model/migrations/0003-unwrap-metadata';
import { ReadModels } from './read-models';

describe('ReadModels.write (real Postgres)', () => {
  let db: TestDatabase;
  let models: ReadModels;

  beforeAll(async () => {
    db = await createTestDatabase('readmodels');
    models = await ReadModels.open({ url: db.url, poolSize: 2 });
    await models.prepareGeneration(2, true);
  });
  afterAll(async () => {
    await models.close();
    await db.drop();
  });

  const settings = (generation: number | 'active') => models.write(generation, async (em, target) => {
    const [row] = await em.query(`SELECT current_setting('search_path') AS search_path, current_setting('synchronous_commit') AS sync,
      current_setting('transaction_isolation') AS isolation`);
    return { target, ...row };
  });

  it('writes the active generation with synchronous commits', async () => {
    expect(await settings('active')).toEqual({ target: 1, search_path: 'query_g1', sync: 'on', isolation: 'read committed' });
  });

  it('writes a generation being rebuilt without waiting for each commit\'s WAL flush, and only inside that transaction', async () => {
    expect(await settings(2)).toEqual({ target: 2, search_path: 'query_g2', sync: 'off', isolation: 'read committed' });
    // SET LOCAL: the pooled connection goes back as it was, so a later write of the active generation is durable again.
    expect(await settings('active')).toMatchObject({ sync: 'on', search_path: 'query_g1' });
  });

  it('rolls a failed rebuild transaction back, like any other', async () => {
    await expect(models.write(2, async (em) => {
      await em.query(`INSERT INTO projection_offsets (consumer, topic, partition, "offset") VALUES ('t', 'x', 0, 5)`);
      throw new Error('boom');
    })).rejects.toThrow('boom');
    const rows = await models.dataSource.query('SELECT * FROM query_g2.projection_offsets');
    expect(rows).toEqual([]);
  });
});

describe('read-model migration 0003 (real Postgres)', () => {
  let db: TestDatabase;
  let models: ReadModels;

  beforeAll(async () => {
    db = await createTestDatabase('unwrapmeta');
    models = await ReadModels.open({ url: db.url, poolSize: 2 });
  });
  afterAll(async () => {
    await models.close();
    await db.drop();
  });

  it('turns tenant and endpoint metadata that older versions stored as JSON text back into objects, and leaves objects alone', async () => {
    const q = models.dataSource.createQueryRunner();
    try {
      await q.query(`INSERT INTO query_g1.tenants VALUES ('tnt_a', 'a', NULL, to_jsonb('{"plan":"pro"}'::text), 'active', 1, now(), now()),
        ('tnt_b', 'b', NULL, '{"plan":"free"}'::jsonb, 'active', 1, now(), now())`);
      await q.query(`INSERT INTO query_g1.endpoints (endpoint_id, tenant_id, url, description, status, fifo, metadata, version, created_at, updated_at)
        VALUES ('ep_a', 'tnt_a', 'https://a', '', 'enabled', false, to_jsonb('{"team":"billing"}'::text), 1, now(), now())`);
      // The migration as TypeORM runs it on generation 1: inside a transaction, told its schema by the DataSource options.
      const runner = { connection: { options: { schema: 'query_g1' } }, query: (sql: string) => q.query(sql) } as unknown as QueryRunner;
      await q.startTransaction();
      await new UnwrapMetadata1000000000003().up(runner);
      await q.commitTransaction();
    } finally {
      await q.release();
    }
    const tenants = await models.dataSource.query('SELECT tenant_id, metadata FROM query_g1.tenants ORDER BY tenant_id');
    expect(tenants).toEqual([{ tenant_id: 'tnt_a', metadata: { plan: 'pro' } }, { tenant_id: 'tnt_b', metadata: { plan: 'free' } }]);
    expect(await models.dataSource.query('SELECT metadata FROM query_g1.endpoints')).toEqual([{ metadata: { team: 'billing' } }]);
  });
});
