import { waitFor } from '@hookline/testing';
import { dispatcherSuite } from './support/dispatcher-suite';

jest.setTimeout(60_000);

describe('retention of dead rows in the retry store (real Postgres)', () => {
  const { h } = dispatcherSuite('retention', { DEAD_ROW_RETENTION_DAYS: '30', DEAD_ROW_PURGE_INTERVAL_MS: '200' });

  // Rows as the dispatcher writes them, aged by hand: `days` since their last change.
  const insert = (prefix: string, count: number, state: 'dead' | 'scheduled', days: number) =>
    h.pg.query(
      `INSERT INTO dispatcher.parked_deliveries
         (delivery_id, tenant_id, endpoint_id, message_id, message, published_at, origin, attempt, next_attempt_at, state, created_at, updated_at)
       SELECT $1 || n, 'ten_retention', 'ep_retention', 'msg_' || n, '{"payload":{}}'::jsonb, now() - make_interval(days => $3),
              'initial', 8, now() + interval '1 day', $2, now() - make_interval(days => $3), now() - make_interval(days => $3)
       FROM generate_series(1, $4) AS n`,
      [prefix, state, days, count],
    );
  const count = async (prefix: string) =>
    Number((await h.pg.query(`SELECT count(*) FROM dispatcher.parked_deliveries WHERE delivery_id LIKE $1 || '%'`, [prefix])).rows[0].count);

  it('removes dead rows older than DEAD_ROW_RETENTION_DAYS, in batches, and keeps recent dead rows and every scheduled row', async () => {
    await insert('dl_old_dead_', 1500, 'dead', 40);
    await insert('dl_new_dead_', 5, 'dead', 1);
    await insert('dl_old_sched_', 5, 'scheduled', 40);

    await waitFor(async () => (await count('dl_old_dead_')) === 0, 20_000, 'old dead rows purged');
    expect(await count('dl_new_dead_')).toBe(5);
    expect(await count('dl_old_sched_')).toBe(5);
  });
});

describe('retention of the notes of expunged messages (real Postgres)', () => {
  const { h } = dispatcherSuite('retention-expunged', { DEAD_ROW_RETENTION_DAYS: '30', DEAD_ROW_PURGE_INTERVAL_MS: '200' });

  it('forgets expunged messages noted before the dead-row retention, and keeps the recent ones', async () => {
    await h.pg.query(`INSERT INTO dispatcher.expunged_messages (message_id, tenant_id, expunged_at)
      VALUES ('msg_old_expunge', 'ten_retention', now() - interval '40 days'), ('msg_new_expunge', 'ten_retention', now() - interval '1 day')`);
    const noted = async () => (await h.pg.query(`SELECT message_id FROM dispatcher.expunged_messages WHERE tenant_id = 'ten_retention'`)).rows
      .map((r: { message_id: string }) => r.message_id);
    await waitFor(async () => !(await noted()).includes('msg_old_expunge'), 20_000, 'old note purged');
    expect(await noted()).toEqual(['msg_new_expunge']);
  });
});
