import { ProblemError } from '@hookline/service-kit';
import { askedWindow, countedBuckets, statsSeries } from './stats-buckets';

const NOW = new Date('2026-12-02T10:20:30.000Z');

describe('the buckets of delivery statistics', () => {
  it('lists every bucket of the window, a row by its start in epoch seconds, a quiet bucket with zeros', () => {
    const { window, stepSeconds } = askedWindow({ since: '2026-12-02T07:00:00Z' }, NOW);
    expect(stepSeconds).toBe(3600);
    const rows = [{ bucket: String(Date.parse('2026-12-02T08:00:00Z') / 1000), attempts: '5', succeeded: '3', extra: 'kept' }];
    const buckets = countedBuckets(window, rows);
    expect(buckets.map(({ bucket }) => bucket)).toEqual([
      { start: '2026-12-02T07:00:00.000Z', attempts: 0, succeeded: 0, failed: 0 },
      { start: '2026-12-02T08:00:00.000Z', attempts: 5, succeeded: 3, failed: 2 },
      { start: '2026-12-02T09:00:00.000Z', attempts: 0, succeeded: 0, failed: 0 },
      { start: '2026-12-02T10:00:00.000Z', attempts: 0, succeeded: 0, failed: 0 },
    ]);
    expect(buckets[1].row?.extra).toBe('kept');
    expect(statsSeries(window, buckets.map(({ bucket }) => bucket))).toMatchObject({ interval: 'hour', since: '2026-12-02T07:00:00.000Z',
      until: '2026-12-02T11:00:00.000Z', totals: { attempts: 5, succeeded: 3, failed: 2 } });
  });

  it('refuses a window it cannot chart as a validation problem naming since', () => {
    let refused: unknown;
    try {
      askedWindow({ interval: 'day', since: '2026-01-01T00:00:00Z' }, NOW);
    } catch (err) {
      refused = err;
    }
    expect(refused).toBeInstanceOf(ProblemError);
    expect(refused).toMatchObject({ kind: 'validation', errors: [{ pointer: '/since', detail: expect.stringMatching(/at most 90 days/) }] });
  });
});
