import { CommandServiceHarness, eventually, startCommandServiceHarness } from '../../test/command-service.harness';
import { IdempotencyStore } from './idempotency-store';

/**
 * Appends that go wrong under an Idempotency-Key (publish, resend, recover): the producer gave up, or the caller was
 * answered 503 at its deadline while Kafka was still being tried. Against the service's real Postgres; the appends
 * are stand-ins, so each outcome can be chosen.
 */
describe('IdempotencyStore when an append fails or outlives its deadline (real Postgres)', () => {
  let h: CommandServiceHarness;
  let store: IdempotencyStore;
  let tenantId: string;

  beforeAll(async () => {
    h = await startCommandServiceHarness('idem-store');
    store = h.running.infra.idempotency;
    tenantId = (await h.tenantWithKey('appends')).tenantId;
  });
  afterAll(async () => {
    await h?.close();
  });

  const request = (key: string) => ({ scope: tenantId, key, asked: { payload: key } });

  it('lets the retry of a failed append append again under the first id, not a new one', async () => {
    const ids: string[] = [];
    await expect(
      store.once(request('failed-1'), 'msg_first', async (id) => {
        ids.push(id);
        throw new Error('the producer gave up');
      }),
    ).rejects.toThrow('the producer gave up');
    // The records of a failed produce may have landed all the same: the retry must carry the same id.
    const answer = await store.once(request('failed-1'), 'msg_second', async (id) => {
      ids.push(id);
      return { id };
    });
    expect(ids).toEqual(['msg_first', 'msg_first']);
    expect(answer).toEqual({ id: 'msg_first' });
    // And then it is an ordinary key: the next retry is answered without appending.
    let appendedAgain = false;
    expect(await store.once(request('failed-1'), 'msg_third', async () => ((appendedAgain = true), { id: 'x' }))).toEqual({ id: 'msg_first' });
    expect(appendedAgain).toBe(false);
  });

  it('keeps an acknowledgement that came after the caller was answered 503, and answers the retry with it', async () => {
    // The service's store with a 200 ms append deadline instead of its 10 s.
    const hurried = new IdempotencyStore(h.running.infra.ds, 24, 200);
    let acknowledge!: () => void;
    const first = await hurried
      .once(request('late-1'), 'msg_late', (id) => new Promise<{ id: string }>((resolve) => (acknowledge = () => resolve({ id }))))
      .catch((err: { kind?: string; status?: number }) => err);
    expect(first).toMatchObject({ kind: 'unavailable' });
    acknowledge();
    const answerKept = async () =>
      (await h.sql(`SELECT response FROM command.idempotency_keys WHERE tenant_id = $1 AND key = 'late-1'`, [tenantId])).rows[0]?.response != null;
    await eventually(answerKept, 'the late acknowledgement kept as the answer');
    let appendedAgain = false;
    const retried = await store.once(request('late-1'), 'msg_other', async () => ((appendedAgain = true), { id: 'msg_other' }));
    expect(retried).toEqual({ id: 'msg_late' });
    expect(appendedAgain).toBe(false);
  });

  it('tells a retry that comes while the first append is still being tried to wait, rather than append a second time', async () => {
    let finish!: () => void;
    const first = store.once(request('pending-1'), 'msg_pending', (id) => new Promise<{ id: string }>((resolve) => (finish = () => resolve({ id }))));
    await new Promise((r) => setTimeout(r, 50));
    await expect(store.once(request('pending-1'), 'msg_dup', async (id) => ({ id }))).rejects.toMatchObject({ kind: 'precondition_failed' });
    finish();
    expect(await first).toEqual({ id: 'msg_pending' });
  });
});
