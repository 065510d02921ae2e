import { TestDatabase, createTestDatabase } from '@hookline/testing';
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
