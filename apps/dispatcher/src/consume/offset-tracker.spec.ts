import { OffsetTracker } from './offset-tracker';

describe('offset tracker', () => {
  it('commits only up to the first message whose deliveries are not all finished or parked', () => {
    const tracker = new OffsetTracker();
    const p = tracker.partition('messages', 0);
    const m10 = p.register('10');
    const m11 = p.register('11');
    const m12 = p.register('12');
    m10.retain(); // one delivery
    m11.retain();
    m11.retain(); // two deliveries
    m12.retain();
    [m10, m11, m12].forEach((h) => h.release()); // processing done, deliveries running
    expect(tracker.pendingCommits()).toEqual([]);

    m12.release(); // the last message finishes first: nothing may be committed
    expect(tracker.pendingCommits()).toEqual([]);
    m10.release();
    expect(tracker.pendingCommits()).toEqual([{ topic: 'messages', partition: 0, offset: '11' }]);
    m11.release();
    expect(tracker.pendingCommits()).toEqual([{ topic: 'messages', partition: 0, offset: '11' }]);
    m11.release();
    expect(tracker.pendingCommits()).toEqual([{ topic: 'messages', partition: 0, offset: '13' }]);
    tracker.markCommitted(tracker.pendingCommits());
    expect(tracker.pendingCommits()).toEqual([]);
    expect(tracker.outstanding).toBe(0);
  });

  it('a message without deliveries is done once its processing hold is released; partitions are independent', () => {
    const tracker = new OffsetTracker();
    const a = tracker.partition('t', 0).register('5');
    const b = tracker.partition('t', 1).register('7');
    b.retain();
    a.release();
    b.release();
    expect(tracker.pendingCommits()).toEqual([{ topic: 't', partition: 0, offset: '6' }]);
  });

  it('names, per partition, the oldest message with work still held: where a restart must read from again', () => {
    const tracker = new OffsetTracker();
    const p0 = tracker.partition('t', 0);
    const [m3, m4, m5] = [p0.register('3'), p0.register('4'), p0.register('5')];
    m4.retain();
    [m3, m4, m5].forEach((h) => h.release());
    tracker.partition('t', 1).register('9').release();
    expect(tracker.firstOutstanding()).toEqual([{ topic: 't', partition: 0, offset: '4' }]);
    m4.release();
    expect(tracker.firstOutstanding()).toEqual([]);
  });

  it('refuses a release without a hold (a bug that would commit past unfinished work)', () => {
    const p = new OffsetTracker().partition('t', 0);
    const h = p.register('1');
    h.release();
    expect(() => h.release()).toThrow(/released more often/);
  });

  it('handles long runs without growing without bound', () => {
    const tracker = new OffsetTracker();
    const p = tracker.partition('t', 0);
    for (let i = 0; i < 5000; i++) p.register(String(i)).release();
    expect(tracker.pendingCommits()).toEqual([{ topic: 't', partition: 0, offset: '5000' }]);
    expect(p.outstanding).toBe(0);
  });

  it('a message held while thousands after it finish still holds the commit, and is released by its own hold', () => {
    const tracker = new OffsetTracker();
    const p = tracker.partition('t', 0);
    const holds = Array.from({ length: 4000 }, (_, i) => p.register(String(100 + i)));
    holds[2500].retain(); // one delivery of message 2600 still runs
    for (const h of holds) h.release();
    expect(tracker.pendingCommits()).toEqual([{ topic: 't', partition: 0, offset: '2600' }]);
    expect(p.outstanding).toBe(1500);
    const later = p.register('4100');
    holds[2500].release();
    expect(tracker.pendingCommits()).toEqual([{ topic: 't', partition: 0, offset: '4100' }]);
    expect(() => holds[0].release()).toThrow(/released more often/);
    later.release();
    expect(tracker.pendingCommits()).toEqual([{ topic: 't', partition: 0, offset: '4101' }]);
  });
});
