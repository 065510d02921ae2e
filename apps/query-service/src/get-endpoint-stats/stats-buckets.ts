import { ProblemError } from '@hookline/service-kit';
import { StatsInterval, StatsWindow, statsWindow } from './stats-window';
import type { StatsWindowRequest } from './stats-window.request.dto';

// What the statistics queries (an endpoint's, the tenant's) share: the window asked for, how attempts fall into its
// buckets, and the counts of each bucket.

/** Attempts, and how many of them succeeded or failed, of a bucket or a whole window. */
export interface StatsCounts {
  attempts: number;
  succeeded: number;
  failed: number;
}

export interface CountedBucket extends StatsCounts {
  start: string;
}

/** A row of a statistics query: its bucket (epoch seconds of its start) and counts, as Postgres returns them (text). */
export interface CountedRow {
  bucket: string;
  attempts: string;
  succeeded: string;
}

const STEP_SECONDS: Record<StatsInterval, number> = { hour: 3600, day: 86_400 };

/**
 * The bucket of an attempt's `created_at` (its start, in epoch seconds), with the bucket size as parameter `$step`. By
 * epoch arithmetic rather than date_trunc: the same on any server time zone and Postgres version.
 */
export const bucketOf = (createdAt: string, step: string) => `(floor(extract(epoch FROM ${createdAt}) / ${step}) * ${step})::bigint`;

/** The window `request` asks for, in whole buckets; a window that is empty or too long is a validation problem naming since. */
export function askedWindow(request: StatsWindowRequest, now: Date): { window: StatsWindow; stepSeconds: number } {
  const interval = request.interval ?? 'hour';
  const asked = statsWindow(interval, now, request.since, request.until);
  if (!asked.ok) throw new ProblemError('validation', asked.detail, [{ pointer: asked.pointer, detail: asked.detail }]);
  return { window: asked.window, stepSeconds: STEP_SECONDS[interval] };
}

/** Every bucket of the window, oldest first, with its counts and its row (none for a quiet bucket, whose counts are zeros). */
export function countedBuckets<R extends CountedRow>(window: StatsWindow, rows: R[]): Array<{ bucket: CountedBucket; row?: R }> {
  const byStart = new Map(rows.map((r) => [Number(r.bucket) * 1000, r]));
  return window.starts.map((start) => {
    const row = byStart.get(start.getTime());
    const attempts = Number(row?.attempts ?? 0);
    const succeeded = Number(row?.succeeded ?? 0);
    return { bucket: { start: start.toISOString(), attempts, succeeded, failed: attempts - succeeded }, row };
  });
}

/** A window's statistics: its bounds, its totals and every bucket of it, oldest first (a quiet one has zeros). */
export interface StatsSeries<B extends CountedBucket> {
  interval: StatsInterval;
  since: string;
  until: string;
  totals: StatsCounts;
  buckets: B[];
}

/** The statistics of `window` from its buckets, with the totals summed over them. */
export function statsSeries<B extends CountedBucket>(window: StatsWindow, buckets: B[]): StatsSeries<B> {
  const totals = buckets.reduce((t, b) => ({ attempts: t.attempts + b.attempts, succeeded: t.succeeded + b.succeeded, failed: t.failed + b.failed }),
    { attempts: 0, succeeded: 0, failed: 0 });
  return { interval: window.interval, since: window.since.toISOString(), until: window.until.toISOString(), totals, buckets };
}
