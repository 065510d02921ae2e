import { EndpointId } from '@hookline/contracts';
import { TestDatabase, createTestDatabase } from '@hookline/testing';
import { DataSource } from 'typeorm';
import { openRetryDatabase } from './open-retry-database';
import { SendSlotStore } from './send-slot-store';

jest.setTimeout(60_000);

describe('SendSlotStore (real Postgres): one rate limit for every instance', () => {
  let db: TestDatabase;
  const sources: DataSource[] = [];

  beforeAll(async () => {
    db = await createTestDatabase('sendslots');
    // Two pools stand for two dispatcher instances.
    sources.push(await openRetryDatabase(db.url, 4), await openRetryDatabase(db.url, 4));
  });
  afterAll(async () => {
    await Promise.all(sources.map((s) => s.destroy()));
    await db?.drop();
  });

  it('grants a burst, then nothing until the next slot is due, and keeps the state across instances', async () => {
    const [a, b] = sources.map((s) => new SendSlotStore(s));
    const ep = 'ep_burst' as EndpointId;
    const first = await a.take(ep, 5, 8);
    expect(first.granted).toBe(5);
    const second = await b.take(ep, 5, 3);
    expect(second.granted).toBe(0);
    expect(second.nextSlotMs).toBeCloseTo(first.nextSlotMs);
    expect(first.nextSlotMs - first.nowMs).toBeGreaterThan(150);
    await new Promise((r) => setTimeout(r, first.nextSlotMs - second.nowMs + 20));
    expect((await b.take(ep, 5, 3)).granted).toBe(1);
  });

  it('saves up no more than one burst while idle, and grants one at a time at 1/s', async () => {
    const store = new SendSlotStore(sources[0]);
    const ep = 'ep_idle' as EndpointId;
    expect((await store.take(ep, 5, 5)).granted).toBe(5);
    await new Promise((r) => setTimeout(r, 1500)); // idle for more than a second's worth of slots
    expect((await store.take(ep, 5, 100)).granted).toBe(5);

    const slow = 'ep_slow' as EndpointId;
    const first = await store.take(slow, 1, 3);
    expect(first.granted).toBe(1);
    expect(first.nextSlotMs - first.nowMs).toBeGreaterThan(900);
    expect((await store.take(slow, 1, 1)).granted).toBe(0);
  });

  it('never grants more than the rate plus a burst, however two instances race for slots', async () => {
    const stores = sources.map((s) => new SendSlotStore(s));
    const ep = 'ep_race' as EndpointId;
    const rate = 20;
    const grants: number[] = [];
    const started = Date.now();
    // Both instances ask as fast as their pools let them, three asks at a time each, for 1.5 s.
    await Promise.all(stores.flatMap((store) => Array.from({ length: 3 }, async () => {
      while (Date.now() - started < 1500) {
        const g = await store.take(ep, rate, 2);
        for (let i = 0; i < g.granted; i++) grants.push(g.nowMs);
      }
    })));
    const elapsedS = (Math.max(...grants) - Math.min(...grants)) / 1000;
    // A burst of `rate`, then `rate` per second: each asker alone would have had that much.
    expect(grants.length).toBeLessThanOrEqual(rate + Math.ceil(elapsedS * rate) + 1);
    expect(grants.length).toBeGreaterThanOrEqual(rate + Math.floor(elapsedS * rate) - 2);
  });
});
