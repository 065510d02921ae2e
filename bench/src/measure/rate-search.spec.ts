import { SearchOptions, SearchStep, StepDelivery, backlogAt, bestRate, evaluateStep, nextRate } from './rate-search';

/** Deliveries offered at `rate`/s from 0 to `seconds`, each taking `latency(i)` ms, or never arriving when it returns null. */
function load(rate: number, seconds: number, latency: (scheduledAt: number) => number | null): StepDelivery[] {
  const out: StepDelivery[] = [];
  for (let i = 0; i < rate * seconds; i++) {
    const scheduledAt = (i * 1000) / rate;
    const l = latency(scheduledAt);
    out.push({ scheduledAt, arrivedAt: l === null ? null : scheduledAt + l });
  }
  return out;
}

describe('evaluateStep', () => {
  it('finds a steady latency sustainable and measures the delivered rate', () => {
    const deliveries = load(200, 10, () => 30);
    const v = evaluateStep({ offeredPerSecond: 200, startAt: 0, endAt: 10_000, deliveries, publishes: 2000, failedPublishes: 0 });
    expect(v.sustainable).toBe(true);
    expect(v.deliveredPerSecond).toBeCloseTo(200, -1);
    expect(v.backlogAtEnd - v.backlogAtMid).toBeLessThanOrEqual(1);
  });

  it('finds a growing backlog unsustainable (capacity 80 % of the offered rate)', () => {
    // Served at 160/s: the i-th delivery finishes at i / 160 s.
    const deliveries = load(200, 10, (t) => (t * 200) / 160 - t + 5);
    const v = evaluateStep({ offeredPerSecond: 200, startAt: 0, endAt: 10_000, deliveries, publishes: 2000, failedPublishes: 0 });
    expect(v.sustainable).toBe(false);
    expect(v.reasons[0]).toMatch(/backlog grew/);
    expect(v.deliveredPerSecond).toBeCloseTo(160, -1);
  });

  it('tolerates a small, bounded jitter in latency', () => {
    const deliveries = load(200, 10, (t) => 20 + ((t / 7) % 150));
    expect(evaluateStep({ offeredPerSecond: 200, startAt: 0, endAt: 10_000, deliveries, publishes: 2000, failedPublishes: 0 }).sustainable).toBe(true);
  });

  it('finds a flat but long backlog (every delivery 3 s late) unsustainable', () => {
    const v = evaluateStep({ offeredPerSecond: 200, startAt: 0, endAt: 10_000, deliveries: load(200, 10, () => 3000), publishes: 2000, failedPublishes: 0 });
    expect(v.sustainable).toBe(false);
    expect(v.reasons[0]).toMatch(/still waiting at the end/);
  });

  it('counts deliveries that never arrive as backlog', () => {
    const deliveries = load(200, 10, (t) => (t > 5000 ? null : 10));
    expect(evaluateStep({ offeredPerSecond: 200, startAt: 0, endAt: 10_000, deliveries, publishes: 2000, failedPublishes: 0 }).sustainable).toBe(false);
  });

  it('fails a step whose publishes were refused', () => {
    const v = evaluateStep({ offeredPerSecond: 200, startAt: 0, endAt: 10_000, deliveries: load(200, 10, () => 5), publishes: 2000, failedPublishes: 50 });
    expect(v.sustainable).toBe(false);
    expect(v.reasons[0]).toMatch(/50 of 2000 publishes failed/);
  });

  it('backlogAt counts scheduled minus arrived', () => {
    const d = [{ scheduledAt: 0, arrivedAt: 5 }, { scheduledAt: 1, arrivedAt: null }, { scheduledAt: 10, arrivedAt: 11 }];
    expect(backlogAt(d, 2)).toBe(2);
    expect(backlogAt(d, 6)).toBe(1);
    expect(backlogAt(d, 12)).toBe(1);
  });
});

describe('nextRate', () => {
  const opts: SearchOptions = { startRate: 100, growth: 2, precision: 0.1, maxSteps: 8, minRate: 10 };
  const run = (capacity: number): SearchStep[] => {
    const steps: SearchStep[] = [];
    for (let r = nextRate(steps, opts); r !== null; r = nextRate(steps, opts)) steps.push({ rate: r, sustainable: r <= capacity });
    return steps;
  };

  it('starts at the start rate and grows while steps pass', () => {
    expect(nextRate([], opts)).toBe(100);
    expect(nextRate([{ rate: 100, sustainable: true }], opts)).toBe(200);
  });

  it('bisects between the best pass and the lowest failure', () => {
    expect(nextRate([{ rate: 100, sustainable: true }, { rate: 200, sustainable: false }], opts)).toBe(150);
  });

  it('converges to within the precision of the capacity', () => {
    const steps = run(530);
    const best = bestRate(steps) as number;
    expect(best).toBeLessThanOrEqual(530);
    expect(best).toBeGreaterThan(530 * 0.85);
    expect(steps.length).toBeLessThanOrEqual(8);
  });

  it('steps down when even the start rate fails, and gives up below the minimum', () => {
    expect(nextRate([{ rate: 100, sustainable: false }], opts)).toBe(50);
    expect(nextRate([{ rate: 15, sustainable: false }], opts)).toBeNull();
    expect(bestRate(run(5))).toBeNull();
  });

  it('steps down to 90 % of what a failing first step served', () => {
    expect(nextRate([{ rate: 200, sustainable: false, capacityHint: 120 }], opts)).toBe(108);
    // …but always below the failed rate
    expect(nextRate([{ rate: 200, sustainable: false, capacityHint: 400 }], opts)).toBe(182);
  });

  it('stops after maxSteps', () => {
    expect(run(1e9).length).toBe(8);
  });
});
