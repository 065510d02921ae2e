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
});
