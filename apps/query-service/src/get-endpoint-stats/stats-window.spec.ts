import { statsWindow } from './stats-window';

const NOW = new Date('2026-12-02T10:20:30.000Z');

describe('the buckets of endpoint statistics', () => {
  it('covers the last day by whole UTC hours by default, up to the hour now is in', () => {
    const result = statsWindow('hour', NOW);
    if (!result.ok) throw new Error(result.detail);
    expect(result.window.since.toISOString()).toBe('2026-12-01T11:00:00.000Z');
    expect(result.window.until.toISOString()).toBe('2026-12-02T11:00:00.000Z');
    expect(result.window.starts).toHaveLength(24);
    expect(result.window.starts[23].toISOString()).toBe('2026-12-02T10:00:00.000Z');
  });

  it('rounds an asked window out to whole buckets, days by UTC midnight', () => {
    const result = statsWindow('day', NOW, '2026-11-03T17:00:00Z', '2026-11-05T00:00:00Z');
    if (!result.ok) throw new Error(result.detail);
    expect(result.window.starts.map((d) => d.toISOString())).toEqual(['2026-11-03T00:00:00.000Z', '2026-11-04T00:00:00.000Z']);
    expect(result.window.until.toISOString()).toBe('2026-11-05T00:00:00.000Z');
  });

  it('refuses a window that ends before it starts, or spans more buckets than a chart needs, naming since', () => {
    expect(statsWindow('hour', NOW, '2026-12-02T09:00:00Z', '2026-12-02T09:00:00Z')).toEqual({ ok: false, pointer: '/since', detail: 'since must be before until' });
    expect(statsWindow('hour', NOW, '2026-11-25T11:00:00Z')).toEqual({ ok: true, window: expect.objectContaining({ starts: expect.any(Array) }) });
    expect(statsWindow('hour', NOW, '2026-11-25T10:59:00Z')).toMatchObject({ ok: false, pointer: '/since', detail: expect.stringMatching(/at most 168 hours \(asked: 169\)/) });
    expect(statsWindow('day', NOW, '2026-01-01T00:00:00Z')).toMatchObject({ ok: false, detail: expect.stringMatching(/at most 90 days/) });
  });
});
