import { REMAINDER_ROTATION_MS, shareOf } from './in-flight-shares';

describe('shareOf (an endpoint max_in_flight held across instances)', () => {
  const at = 0;

  it('gives a lone instance the whole cap', () => {
    expect(shareOf({ max: 4, self: 'a', others: [], nowMs: at })).toBe(4);
  });

  it('splits the cap evenly among the instances sending to the endpoint, adding up to exactly the cap', () => {
    for (const [max, n] of [[4, 2], [5, 2], [4, 3], [7, 3], [2, 3]] as const) {
      const ids = Array.from({ length: n }, (_, i) => `i${i}`);
      const shares = ids.map((self) => shareOf({ max, self, others: ids.filter((o) => o !== self).map((instanceId) => ({ instanceId, held: 0 })), nowMs: at }));
      expect(shares.reduce((a, b) => a + b, 0)).toBe(max);
      expect(Math.max(...shares) - Math.min(...shares)).toBeLessThanOrEqual(1);
    }
  });

  it('never grants more than the others leave free, though the even split would allow it', () => {
    // b still holds 3 of 4 (attempts it started before a joined): a gets 1 now, its part once b gives the rest back.
    expect(shareOf({ max: 4, self: 'a', others: [{ instanceId: 'b', held: 3 }], nowMs: at })).toBe(1);
    expect(shareOf({ max: 4, self: 'a', others: [{ instanceId: 'b', held: 4 }], nowMs: at })).toBe(0);
    expect(shareOf({ max: 4, self: 'a', others: [{ instanceId: 'b', held: 2 }], nowMs: at })).toBe(2);
  });

  it('lets the remainder of an uneven split take turns, so a cap of 1 between two instances is not one instance\'s for good', () => {
    const holder = (nowMs: number) => ['a', 'b'].find((self) => shareOf({ max: 1, self, others: [{ instanceId: self === 'a' ? 'b' : 'a', held: 0 }], nowMs }) === 1);
    const holders = new Set([0, 1, 2, 3].map((k) => holder(k * REMAINDER_ROTATION_MS)));
    expect(holders).toEqual(new Set(['a', 'b']));
  });
});
