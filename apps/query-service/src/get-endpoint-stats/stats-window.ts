/**
 * The buckets of an endpoint's delivery statistics: whole UTC hours or days, so a chart's bars line up however the
 * window was asked for, and every bucket of the window listed (a quiet hour is a zero, not a gap in the series).
 */
export type StatsInterval = 'hour' | 'day';

const STEP_MS: Record<StatsInterval, number> = { hour: 3_600_000, day: 86_400_000 };
/** The longest window of each interval: a week of hours or 90 days, at most a few hundred bars. */
export const MAX_BUCKETS: Record<StatsInterval, number> = { hour: 7 * 24, day: 90 };
/** Without `since`: the last day by the hour, the last 30 days by the day. */
const DEFAULT_BUCKETS: Record<StatsInterval, number> = { hour: 24, day: 30 };

export interface StatsWindow {
  interval: StatsInterval;
  /** The first bucket's start (inclusive). */
  since: Date;
  /** The last bucket's end (exclusive). */
  until: Date;
  /** Each bucket's start, oldest first. */
  starts: Date[];
}

export type StatsWindowResult = { ok: true; window: StatsWindow } | { ok: false; pointer: string; detail: string };

/**
 * The window of whole buckets covering [since, until): `since` rounds down, `until` up to a bucket boundary.
 * `until` defaults to now, `since` to a day (hours) or 30 days (days) before it.
 */
export function statsWindow(interval: StatsInterval, now: Date, since?: string, until?: string): StatsWindowResult {
  const step = STEP_MS[interval];
  const end = Math.ceil((until ? Date.parse(until) : now.getTime()) / step) * step;
  const start = since ? Math.floor(Date.parse(since) / step) * step : end - DEFAULT_BUCKETS[interval] * step;
  if (start >= end) return { ok: false, pointer: '/since', detail: 'since must be before until' };
  const buckets = (end - start) / step;
  if (buckets > MAX_BUCKETS[interval]) {
    return { ok: false, pointer: '/since', detail: `a window by the ${interval} spans at most ${MAX_BUCKETS[interval]} ${interval}s (asked: ${buckets})` };
  }
  const starts = Array.from({ length: buckets }, (_, i) => new Date(start + i * step));
  return { ok: true, window: { interval, since: new Date(start), until: new Date(end), starts } };
}
