import { ProblemError } from '@hookline/service-kit';

/** A time range whose end is before its start is a mistake worth naming rather than an empty page. */
export function checkTimeRange(since?: string, until?: string): void {
  if (since && until && Date.parse(since) > Date.parse(until)) {
    throw new ProblemError('validation', 'invalid time range: since is after until', [{ pointer: '/since', detail: 'since must not be after until' }]);
  }
}
