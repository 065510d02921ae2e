import { CircuitBreaker } from './circuit-breaker';

const settings = { windowMs: 10_000, minVolume: 4, failureRatio: 0.5, openMs: 1_000 };

describe('circuit breaker', () => {
  it('stays closed below the minimum volume, however bad the ratio', () => {
    const b = new CircuitBreaker(settings);
    for (let i = 0; i < 3; i++) expect(b.record(false, false, 1000 + i)).toBeNull();
    expect(b.current).toBe('closed');
  });

  it('opens when the failure ratio reaches the threshold, then rejects until the open period ends', () => {
    const b = new CircuitBreaker(settings);
    b.record(true, false, 1000);
    b.record(true, false, 1001);
    b.record(false, false, 1002);
    expect(b.record(false, false, 1003)).toEqual({ from: 'closed', to: 'open', failureRatio: 0.5 });
    expect(b.admit(1500).admission).toEqual({ allowed: false, retryAt: 2003 });
  });

  it('half-open lets exactly one probe through; its success closes the breaker', () => {
    const b = new CircuitBreaker(settings);
    for (let i = 0; i < 4; i++) b.record(false, false, 1000);
    const first = b.admit(2100);
    expect(first.admission).toEqual({ allowed: true, probe: true });
    expect(first.transition).toMatchObject({ from: 'open', to: 'half_open' });
    expect(b.admit(2101).admission.allowed).toBe(false);
    expect(b.record(false, false, 2102)).toBeNull(); // not the probe: ignored
    expect(b.record(true, true, 2103)).toMatchObject({ from: 'half_open', to: 'closed' });
    expect(b.admit(2104).admission).toEqual({ allowed: true, probe: false });
  });

  it('a failed probe opens the breaker again', () => {
    const b = new CircuitBreaker(settings);
    for (let i = 0; i < 4; i++) b.record(false, false, 1000);
    b.admit(2100);
    expect(b.record(false, true, 2200)).toMatchObject({ to: 'open' });
    expect(b.admit(2300).admission).toEqual({ allowed: false, retryAt: 3200 });
  });

  it('forgets outcomes older than the window', () => {
    const b = new CircuitBreaker(settings);
    for (let i = 0; i < 3; i++) b.record(false, false, 1000);
    expect(b.record(false, false, 50_000)).toBeNull();
    expect(b.current).toBe('closed');
  });

  it("follows another instance's open and close without a transition of its own, while its own probe still decides", () => {
    const b = new CircuitBreaker(settings);
    b.followOpen(5000);
    expect(b.current).toBe('open');
    expect(b.admit(4000).admission).toEqual({ allowed: false, retryAt: 5000 });
    expect(b.probeDue(4999)).toBe(false);
    expect(b.probeDue(5000)).toBe(true);
    b.followClosed();
    expect(b.admit(5001)).toEqual({ admission: { allowed: true, probe: false }, transition: null });
    // Closed by another instance, the window starts afresh: three failures are under the minimum volume again.
    for (let i = 0; i < 3; i++) expect(b.record(false, false, 5002)).toBeNull();

    b.record(false, false, 5003);
    expect(b.admit(6003).admission).toEqual({ allowed: true, probe: true });
    b.followOpen(9000);
    b.followClosed();
    expect(b.current).toBe('half_open'); // its probe is out: only its result moves it
    expect(b.record(true, true, 6100)).toMatchObject({ from: 'half_open', to: 'closed' });
  });
});
