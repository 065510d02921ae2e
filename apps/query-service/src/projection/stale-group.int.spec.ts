import { createLogger } from '@hookline/observability';
import { TestDatabase, createTestDatabase } from '@hookline/testing';
import { startQueryService } from '../query-service';
import { TestStack } from '../testing/harness';
import { waitCaughtUp } from '../testing/wait-caught-up';
import { workload } from '../testing/workload';

/** Postgres owns the position: a consumer group that committed far ahead must not make a fresh database skip events. */
describe('projection position belongs to Postgres (real Kafka + Postgres)', () => {
  let stack: TestStack;
  let freshDb: TestDatabase;

  beforeAll(async () => {
    stack = await TestStack.create('stalegroup');
    freshDb = await createTestDatabase('stalegroupfresh');
  });
  afterAll(async () => {
    await freshDb?.drop();
    await stack?.close();
  });

  it('a new database with the same consumer group projects the whole log, not from the group commit', async () => {
    const load = workload(2, 150);
    await stack.publish(load.events);
    const group = { PROJECTOR_GROUP_ID: `${stack.prefix}shared-group` };
    const first = await stack.startService(group);
    await waitCaughtUp(first.service.lag);
    await first.service.stop(); // the group has now committed the end of every partition

    const config = { ...(await stack.config(group)), DATABASE_URL: freshDb.url };
    const second = await startQueryService(config, createLogger({ service: 'stale-group-test', level: 'warn' }));
    try {
      await waitCaughtUp(second.lag);
      const [row] = await second.models.read((em) => em.query(
        'SELECT (SELECT count(*) FROM messages)::int AS messages, (SELECT count(*) FROM attempts)::int AS attempts'));
      expect(row).toEqual({ messages: load.messages, attempts: load.attempts });
    } finally {
      await second.stop();
    }
  });
});
