/** A point in time: a Date, or whole Unix seconds (what the `webhook-timestamp` header carries). */
export type WebhookTimestamp = Date | number;

/** Above this a "seconds" value is really milliseconds (Unix seconds reach 1e11 in the year 5138). */
const MAX_PLAUSIBLE_UNIX_SECONDS = 1e11;

/**
 * Whole Unix seconds for a Date or a seconds value.
 * @throws RangeError for an invalid Date, a negative or fractional number, or a number that is evidently
 * milliseconds (`Date.now()` passed where seconds belong would otherwise sign for the year 50000).
 */
export function toUnixSeconds(timestamp: WebhookTimestamp, what = 'timestamp'): number {
  if (timestamp instanceof Date) {
    const ms = timestamp.getTime();
    if (Number.isNaN(ms)) throw new RangeError(`${what} is an invalid Date`);
    if (ms < 0) throw new RangeError(`${what} is before 1970; webhook timestamps are non-negative Unix seconds`);
    return Math.floor(ms / 1000);
  }
  if (!Number.isSafeInteger(timestamp) || timestamp < 0) {
    throw new RangeError(`${what} must be whole Unix seconds (a non-negative integer) or a Date, got ${timestamp}`);
  }
  if (timestamp >= MAX_PLAUSIBLE_UNIX_SECONDS) {
    throw new RangeError(`${what} ${timestamp} looks like milliseconds; pass Unix seconds or a Date`);
  }
  return timestamp;
}
