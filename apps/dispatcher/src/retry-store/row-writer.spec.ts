import { DeliveryId, EndpointId, MessageId, TenantId } from '@hookline/contracts';
import { ParkedRow } from './parked-row';
import { RetryStore } from './retry-store';
import { RowWriter } from './row-writer';

const row = (n: number): ParkedRow => ({
  deliveryId: `dlv_${n}` as DeliveryId, tenantId: 'tnt_1' as TenantId, endpointId: 'ep_1' as EndpointId, origin: 'initial', attempt: 2,
  message: { message_id: `msg_${n}` as MessageId, event_type: 't', event_type_version: null, payload: {}, channels: [], published_at: '', causation_id: '', correlation_id: '', trace: {} },
  nextAttemptAt: new Date(0), state: 'scheduled', parkReason: 'retry', fifo: false, lastError: null, leaseOwner: null, leaseUntil: null,
});

const connectionKilled = () => Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' });

/** A store whose inserts fail with `failures` (one per call) before they succeed; records what was written. */
function flakyStore(failures: Error[]) {
  const inserted: string[][] = [];
  let calls = 0;
  let firstCall: () => void = () => undefined;
  const called = new Promise<void>((resolve) => (firstCall = resolve));
  const store = {
    insertParked: async (rows: ParkedRow[]) => {
      calls += 1;
      firstCall();
      const failure = failures.shift();
      if (failure) throw failure;
      inserted.push(rows.map((r) => r.deliveryId));
    },
    settle: async () => undefined,
    remove: async () => undefined,
  } as unknown as RetryStore;
  return { store, inserted, calls: () => calls, called };
}

describe('row writer', () => {
  it('writes a batch again when Postgres dropped the connection, and keeps later batches behind it', async () => {
    const { store, inserted, calls, called } = flakyStore([connectionKilled(), connectionKilled()]);
    const writer = new RowWriter(store, 0, [5, 5, 5]);
    const first = writer.park(row(1));
    await called; // the first batch is in Postgres (and about to be retried): the next park waits for a batch of its own
    const second = writer.park(row(2));
    await expect(Promise.all([first, second])).resolves.toEqual([undefined, undefined]);
    expect(calls()).toBe(4);
    expect(inserted).toEqual([['dlv_1'], ['dlv_2']]);
  });

  it('gives up after its last pause, and at once on an error that is not about the connection', async () => {
    const down = flakyStore([connectionKilled(), connectionKilled(), connectionKilled(), connectionKilled()]);
    await expect(new RowWriter(down.store, 0, [5, 5, 5]).park(row(1))).rejects.toMatchObject({ code: '57P01' });
    expect(down.calls()).toBe(4);

    const bug = flakyStore([Object.assign(new Error('null value in column "message" violates not-null constraint'), { code: '23502' })]);
    await expect(new RowWriter(bug.store, 0, [5, 5, 5]).park(row(1))).rejects.toMatchObject({ code: '23502' });
    expect(bug.calls()).toBe(1);
  });
});
