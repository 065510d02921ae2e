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

  it("judges the minimum volume and the ratio together with the other instances' windows", () => {
    const b = new CircuitBreaker(settings); // minimum volume 4, ratio 0.5
    expect(b.ownWindow(1000)).toBeNull(); // nothing failed anywhere: nothing to tell the others
    b.record(false, false, 1000);
    b.record(false, false, 1001);
    expect(b.ownWindow(1002)).toEqual({ ok: 0, failed: 2 });
    // Two more failures elsewhere make four: it opens on the others' report alone.
    expect(b.countOthers({ ok: 0, failed: 2 }, 1002)).toEqual({ from: 'closed', to: 'open', failureRatio: 1 });
    expect(b.ownWindow(1003)).toBeNull(); // an open breaker reports nothing

    // Successes elsewhere keep the ratio under the threshold, and this instance's successes are reported once others failed.
    const c = new CircuitBreaker(settings);
    c.record(true, false, 1000);
    expect(c.countOthers({ ok: 0, failed: 1 }, 1001)).toBeNull();
    expect(c.ownWindow(1001)).toEqual({ ok: 1, failed: 0 });
    expect(c.countOthers({ ok: 6, failed: 1 }, 1002)).toBeNull();
    c.record(false, false, 1003);
    c.record(false, false, 1004);
    expect(c.current).toBe('closed'); // 3 failed of 10
  });
});
