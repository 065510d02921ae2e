import { EndpointId } from '@hookline/contracts';
import { SendSlotGrant } from '../retry-store/send-slot-store';
import { EndpointRateLimit, RateAnswer } from './endpoint-rate-limit';

const ep = 'ep_1' as EndpointId;
const other = 'ep_2' as EndpointId;

/** A store whose grants the test releases by hand, recording what was asked of it. */
function fakeStore(granted: number) {
  const calls: Array<{ endpointId: EndpointId; wanted: number; release: (grant?: Partial<SendSlotGrant>) => void; fail: (err: Error) => void }> = [];
  const take = (endpointId: EndpointId, _rate: number, wanted: number) =>
    new Promise<SendSlotGrant>((resolve, reject) => {
      calls.push({
        endpointId, wanted,
        release: (g = {}) => resolve({ granted: Math.min(granted, wanted), nextSlotMs: 10_000, nowMs: 9_000, ...g }),
        fail: reject,
      });
    });
  return { calls, take };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('EndpointRateLimit', () => {
  it('answers the asks of one turn of the event loop with one grant: the first go, the rest ask again one interval apart', async () => {
    const store = fakeStore(2);
    const limit = new EndpointRateLimit(store.take);
    const answers = Promise.all([1, 2, 3, 4].map(() => limit.ask(ep, 10)));
    await tick();
    expect(store.calls.map((c) => [c.endpointId, c.wanted])).toEqual([[ep, 4]]);
    store.calls[0].release();
    expect(await answers).toEqual<RateAnswer[]>([
      { go: true }, { go: true }, { go: false, askAgainAt: new Date(10_000) }, { go: false, askAgainAt: new Date(10_100) },
    ]);
  });

  it('keeps endpoints apart, and asks made while a grant is decided wait for one next grant', async () => {
    const store = fakeStore(5);
    const limit = new EndpointRateLimit(store.take);
    const first = limit.ask(ep, 5);
    const elsewhere = limit.ask(other, 5);
    await tick();
    expect(store.calls.map((c) => c.endpointId)).toEqual([ep, other]);
    const later = [limit.ask(ep, 5), limit.ask(ep, 5)];
    await tick();
    expect(store.calls).toHaveLength(2); // nothing more while ep's grant is open
    store.calls[0].release();
    store.calls[1].release();
    expect(await first).toEqual({ go: true });
    expect(await elsewhere).toEqual({ go: true });
    await tick();
    expect(store.calls.map((c) => [c.endpointId, c.wanted])).toEqual([[ep, 1], [other, 1], [ep, 2]]);
    store.calls[2].release();
    expect(await Promise.all(later)).toEqual([{ go: true }, { go: true }]);
  });

  it('fails the asks of a grant that could not be decided (Postgres down), and decides the next asks afresh', async () => {
    const store = fakeStore(1);
    const limit = new EndpointRateLimit(store.take);
    const lost = limit.ask(ep, 5);
    await tick();
    store.calls[0].fail(new Error('Connection terminated'));
    await expect(lost).rejects.toThrow('Connection terminated');
    const next = limit.ask(ep, 5);
    await tick();
    store.calls[1].release();
    expect(await next).toEqual({ go: true });
  });
});
