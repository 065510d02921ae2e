import { askAgainAt, decideSendSlots } from './send-slots';

describe('send slots (an endpoint rate limit shared by every instance)', () => {
  const t0 = 1_000_000;

  it('given an endpoint that never sent, when 8 sends are wanted at 5/s, then a burst of 5 goes and the other 3 ask again one interval apart', () => {
    const d = decideSendSlots({ nextSlotMs: null }, t0, 5, 8);
    expect(d.granted).toBe(5);
    // The five slots were t0-800 … t0; the next is one interval after the last.
    expect(d.nextSlotMs).toBeCloseTo(t0 + 200);
    expect(askAgainAt(d, 5, 3).map((t) => t - t0)).toEqual([200, 400, 600]);
  });

  it('given a spent burst, when asked again before the next slot, then nothing is granted and the state stays', () => {
    const spent = decideSendSlots({ nextSlotMs: null }, t0, 5, 5);
    const again = decideSendSlots(spent, t0 + 100, 5, 3);
    expect(again.granted).toBe(0);
    expect(again.nextSlotMs).toBeCloseTo(spent.nextSlotMs);
  });

  it('given a busy endpoint, when asked every 50 ms, then it grants the rate and no more', () => {
    let state = { nextSlotMs: decideSendSlots({ nextSlotMs: null }, t0, 10, 10).nextSlotMs };
    let sent = 0;
    for (let t = t0 + 50; t <= t0 + 5000; t += 50) {
      const d = decideSendSlots(state, t, 10, 4);
      sent += d.granted;
      state = { nextSlotMs: d.nextSlotMs };
    }
    expect(sent).toBe(50);
  });

  it('given an endpoint idle for a minute, when many sends are wanted, then only one burst goes, not a minute of saved slots', () => {
    const spent = decideSendSlots({ nextSlotMs: null }, t0, 5, 5);
    expect(decideSendSlots(spent, t0 + 60_000, 5, 100).granted).toBe(5);
  });

  it('counts any second: never more than rate + burst sends, however the asks fall', () => {
    let state: { nextSlotMs: number | null } = { nextSlotMs: null };
    const sends: number[] = [];
    for (let t = t0; t < t0 + 10_000; t += 37) {
      const d = decideSendSlots(state, t, 7, 3);
      for (let i = 0; i < d.granted; i++) sends.push(t);
      state = d;
    }
    for (const start of sends) expect(sends.filter((s) => s >= start && s < start + 1000).length).toBeLessThanOrEqual(7 + 7);
  });

  it('works for a rate of 1/s: one at a time, a second apart', () => {
    const first = decideSendSlots({ nextSlotMs: null }, t0, 1, 3);
    expect(first.granted).toBe(1);
    expect(decideSendSlots(first, t0 + 999, 1, 1).granted).toBe(0);
    expect(decideSendSlots(first, t0 + 1000, 1, 1).granted).toBe(1);
  });
});
