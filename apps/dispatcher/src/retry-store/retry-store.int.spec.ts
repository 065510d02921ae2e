import { DeliveryId, EndpointId, MessageId, TenantId, deliveryIdOf, newId } from '@hookline/contracts';
import { TestDatabase, createTestDatabase } from '@hookline/testing';
import { DataSource } from 'typeorm';
import { pendingDelivery } from '../domain/delivery-lifecycle';
import { openRetryDatabase } from './open-retry-database';
import { ParkedRow, rowOf } from './parked-row';
import { RetryStore } from './retry-store';

jest.setTimeout(60_000);

/**
 * A resend or recover that finds an attempt running on a row waits for that attempt to let go of it; every way a
 * row is let go (the attempt's outcome, put back unattempted, released at shutdown, a lapsed lease) starts the new
 * series then. The dispatcher-level behaviour is in test/resend-and-recover.int.spec.ts.
 */
describe('RetryStore (real Postgres): resend and recover of a row an attempt holds', () => {
  let db: TestDatabase;
  let source: DataSource;
  let store: RetryStore;
  const tenantId = newId('tenant') as TenantId;
  const endpointId = newId('endpoint') as EndpointId;

  beforeAll(async () => {
    db = await createTestDatabase('retry_store');
    source = await openRetryDatabase(db.url, 4);
    store = new RetryStore(source);
  });
  afterAll(async () => {
    await source?.destroy();
    await db?.drop();
  });

  function delivery(attempt: number) {
    const messageId = newId('message') as MessageId;
    return pendingDelivery({
      deliveryId: deliveryIdOf(messageId, endpointId) as DeliveryId, tenantId, endpointId, attempt, origin: 'initial',
      message: {
        message_id: messageId, event_type: 'x', event_type_version: null, payload: { n: 1 }, channels: [],
        published_at: new Date().toISOString(), causation_id: 'evt', correlation_id: 'cor', trace: {},
      },
    });
  }

  /** A row the retry worker of `owner` claimed (attempt 3 of its series), its lease standing for `leaseMs`. */
  async function heldRow(owner: string, leaseMs = 60_000): Promise<ParkedRow> {
    const row = rowOf(delivery(3), { nextAttemptAt: new Date(Date.now() - 1000), parkReason: 'retry' });
    await store.insertParked([row]);
    await source.query(`UPDATE dispatcher.parked_deliveries SET lease_owner = $2, lease_until = now() + ($3::int * interval '1 millisecond') WHERE delivery_id = $1`, [row.deliveryId, owner, leaseMs]);
    return row;
  }

  async function rowState(deliveryId: string): Promise<Record<string, unknown> | undefined> {
    const rows = await source.query(
      `SELECT state, attempt, origin, restart_as, lease_owner, next_attempt_at <= now() AS due FROM dispatcher.parked_deliveries WHERE delivery_id = $1`,
      [deliveryId],
    );
    return rows[0];
  }

  const recoverAll = () => store.requeueForRecovery(tenantId, endpointId, new Date(Date.now() - 60_000), new Date(Date.now() + 60_000));
  const forget = () => source.query(`DELETE FROM dispatcher.parked_deliveries`);
  afterEach(forget);

  it('recover: a free row starts again at once, a held one only when its attempt settles', async () => {
    const free = rowOf(delivery(4), { state: 'dead', nextAttemptAt: new Date(Date.now() + 60_000) });
    await store.insertParked([free]);
    const held = await heldRow('worker-a');

    expect(await recoverAll()).toBe(2);
    expect(await rowState(free.deliveryId)).toMatchObject({ state: 'scheduled', attempt: 1, origin: 'recover', restart_as: null, due: true });
    expect(await rowState(held.deliveryId)).toMatchObject({ attempt: 3, origin: 'initial', restart_as: 'recover', lease_owner: 'worker-a' });
    expect(await store.claim('worker-b', 10, 60_000)).toHaveLength(1); // the free row only

    // The held attempt failed, its last: it would be dead, but the recover's series starts now.
    await store.settle([rowOf({ ...held, attempt: 4 }, { state: 'dead', nextAttemptAt: new Date(), lastError: 'HTTP 500' })]);
    expect(await rowState(held.deliveryId)).toMatchObject({ state: 'scheduled', attempt: 1, origin: 'recover', restart_as: null, lease_owner: null, due: true });
  });

  it('a held attempt that succeeds ends a recover (delivered) but not a resend (one more send was asked for)', async () => {
    const recovered = await heldRow('worker-a');
    const resent = await heldRow('worker-a');
    await recoverAll();
    await store.scheduleResend(rowOf({ ...resent, origin: 'resend', attempt: 1 }, { nextAttemptAt: new Date() }));
    // The resend noted first stands when a recover comes after it.
    await recoverAll();
    expect(await rowState(resent.deliveryId)).toMatchObject({ restart_as: 'resend', attempt: 3, lease_owner: 'worker-a' });

    await store.remove([recovered.deliveryId, resent.deliveryId]);
    expect(await rowState(recovered.deliveryId)).toBeUndefined();
    expect(await rowState(resent.deliveryId)).toMatchObject({ state: 'scheduled', attempt: 1, origin: 'resend', restart_as: null, lease_owner: null, due: true });
  });

  it('a held row put back unattempted, released at shutdown, or left by a dead instance starts the new series', async () => {
    const deferred = await heldRow('worker-a');
    const released = await heldRow('worker-a');
    await recoverAll();
    const lapsing = await heldRow('worker-dead', 300);
    await store.scheduleResend(rowOf({ ...lapsing, origin: 'resend', attempt: 1 }, { nextAttemptAt: new Date() }));

    await store.defer(deferred.deliveryId, new Date(Date.now() + 60_000), 'rate_limited');
    expect(await rowState(deferred.deliveryId)).toMatchObject({ attempt: 1, origin: 'recover', restart_as: null, lease_owner: null, due: false });
    expect(await store.releaseLeases('worker-a')).toBe(1);
    expect(await rowState(released.deliveryId)).toMatchObject({ attempt: 1, origin: 'recover', restart_as: null, due: true });

    expect((await store.claim('worker-b', 10, 60_000)).map((c) => c.delivery.deliveryId)).toEqual([released.deliveryId]);
    await new Promise((r) => setTimeout(r, 400)); // worker-dead's lease lapses
    const [claimed] = await store.claim('worker-b', 10, 60_000);
    expect(claimed.delivery).toMatchObject({ deliveryId: lapsing.deliveryId, attempt: 1, origin: 'resend' });
    expect(await rowState(lapsing.deliveryId)).toMatchObject({ restart_as: null, lease_owner: 'worker-b' });
  });
});
