import { SharedDeadlines, deadlineSlackMs } from './shared-deadlines';

describe('SharedDeadlines', () => {
  let now = 0;
  const deadlines = () => new SharedDeadlines(() => now);

  beforeEach(() => {
    jest.useFakeTimers();
    now = 0;
  });
  afterEach(() => jest.useRealTimers());

  /** Moves the injected clock and the fake timers together. */
  const advance = (ms: number) => {
    now += ms;
    jest.advanceTimersByTime(ms);
  };

  it('gives the requests that start within the slack one signal, and later ones a new one', () => {
    const d = deadlines();
    const first = d.signal(15_000);
    advance(deadlineSlackMs(15_000) - 1);
    expect(d.signal(15_000)).toBe(first);
    advance(1);
    expect(d.signal(15_000)).not.toBe(first);
  });

  it('never aborts before the timeout of the last request that joined, and at most the slack after the first one', () => {
    const d = deadlines();
    const slack = deadlineSlackMs(15_000);
    const signal = d.signal(15_000);
    advance(slack - 1);
    expect(d.signal(15_000)).toBe(signal); // a request joining at the end of the window
    advance(15_000 - 1);
    expect(signal.aborted).toBe(false); // the late joiner is 1 ms short of its 15 s
    advance(1);
    expect(signal.aborted).toBe(false); // it has had its 15 s; the window closes 1 ms later
    advance(1);
    expect(signal.aborted).toBe(true); // 15 s + slack after the first request started
    expect(now).toBe(15_000 + slack);
    expect(signal.reason).toMatchObject({ name: 'TimeoutError' });
  });

  it('keeps different timeouts apart', () => {
    const d = deadlines();
    const short = d.signal(300);
    const long = d.signal(15_000);
    expect(short).not.toBe(long);
    advance(300 + deadlineSlackMs(300));
    expect([short.aborted, long.aborted]).toEqual([true, false]);
  });

  it('scales the slack with the timeout: a twentieth, at most 100 ms, at least 1 ms', () => {
    expect([deadlineSlackMs(15_000), deadlineSlackMs(400), deadlineSlackMs(10)]).toEqual([100, 20, 1]);
  });
});
