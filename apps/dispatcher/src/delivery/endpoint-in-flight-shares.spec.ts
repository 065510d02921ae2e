import { EndpointId } from '@hookline/contracts';
import { ShareLook } from '../retry-store/in-flight-share-store';
import { EndpointInFlightShares } from './endpoint-in-flight-shares';

const ep = 'ep_01J0000000000000000000000A' as EndpointId;
const quiet = { warn: () => undefined } as never;

/** Shares over a stand-in store whose looks the test answers one by one. */
function setUp() {
  const looks: Array<{ look: ShareLook; answer: (share: number) => Promise<void> }> = [];
  let inFlight = 0;
  const grown: EndpointId[] = [];
  const shares = new EndpointInFlightShares({
    instanceId: 'a', inFlightOf: () => inFlight, renewMs: 1000, validMs: 3000, leaseMs: 10_000, log: quiet,
    look: (look) => new Promise<number>((resolve) => {
      looks.push({ look, answer: async (share) => { resolve(share); await Promise.resolve(); await Promise.resolve(); } });
    }),
  });
  shares.onGrown((id) => grown.push(id));
  return { shares, looks, grown, setInFlight: (n: number) => void (inFlight = n) };
}

describe('EndpointInFlightShares', () => {
  beforeEach(() => jest.useFakeTimers({ now: 0 }));
  afterEach(() => jest.useRealTimers());

  it('asks for a share when an attempt is turned away, once per period, and lets waiting attempts go when it grows', async () => {
    const { shares, looks, grown } = setUp();
    expect(shares.allowance(ep, 2, 0)).toBe(0);
    expect(shares.allowance(ep, 2, 0)).toBe(0);
    expect(looks.map((l) => l.look)).toEqual([expect.objectContaining({ endpointId: ep, max: 2, wants: true, floor: 0 })]);
    await looks[0].answer(2);
    expect(grown).toEqual([ep]);
    expect(shares.allowance(ep, 2, 1)).toBe(2);
  });

  it('reports what it may still start while a look runs, and gives its share back in two looks once nothing is sent', async () => {
    const { shares, looks } = setUp();
    shares.start();
    shares.allowance(ep, 2, 0);
    await looks[0].answer(2);

    // Nothing in flight and nothing turned away: the next look wants nothing, but attempts may still start under the
    // share of 2 until it answers, so the row must still say 2.
    jest.advanceTimersByTime(1000);
    expect(looks[1].look).toMatchObject({ wants: false, floor: 2 });
    await looks[1].answer(0);
    expect(shares.allowance(ep, 2, 0)).toBe(0);
    expect(shares.size).toBe(1);
    // That allowance call turned an attempt away, so the endpoint is wanted again: a look that asks for a share.
    expect(looks[2].look).toMatchObject({ wants: true, floor: 0 });
    await looks[2].answer(0);

    jest.advanceTimersByTime(1000);
    expect(looks[3].look).toMatchObject({ wants: false, floor: 0 });
    await looks[3].answer(0);
    expect(shares.size).toBe(0);
    shares.stop();
  });

  it('keeps a share that covers attempts still in flight, however it shrinks', async () => {
    const { shares, looks, setInFlight } = setUp();
    shares.start();
    shares.allowance(ep, 4, 0);
    await looks[0].answer(4);
    setInFlight(3);
    jest.advanceTimersByTime(1000);
    expect(looks[1].look).toMatchObject({ wants: true, floor: 4 });
    await looks[1].answer(1);
    expect(shares.allowance(ep, 4, 3)).toBe(1);
    shares.stop();
  });

  it('starts nothing new once its share went unrenewed for validMs', async () => {
    const { shares, looks } = setUp();
    shares.allowance(ep, 2, 0);
    await looks[0].answer(2);
    expect(shares.allowance(ep, 2, 0)).toBe(2);
    jest.advanceTimersByTime(3000);
    expect(shares.allowance(ep, 2, 0)).toBe(0);
  });
});
