import { askAgainAt, burstOf, slotIntervalMs } from './send-slots';

describe('send slots (an endpoint rate limit shared by every instance)', () => {
  it('spaces the refused sends one interval apart from the next free slot', () => {
    expect(askAgainAt({ granted: 5, nextSlotMs: 1200 }, 5, 3)).toEqual([1200, 1400, 1600]);
    expect(askAgainAt({ granted: 0, nextSlotMs: 1000 }, 1, 2)).toEqual([1000, 2000]);
  });

  it('saves up a burst of one second of the rate, and at least one send', () => {
    expect([burstOf(5), burstOf(1)]).toEqual([5, 1]);
    expect(slotIntervalMs(4)).toBe(250);
  });
});
