import { AttemptErrorClass } from '@hookline/contracts';

/** What one attempt came to, as far as retrying is concerned. */
export type AttemptOutcome =
  | { kind: 'response'; status: number; retryAfter: string | null }
  /** A Kafka destination's cluster acknowledged the record from all in-sync replicas: there is no HTTP status to speak of. */
  | { kind: 'acknowledged' }
  | { kind: 'error'; errorClass: AttemptErrorClass; message: string };

export interface RetryPolicySettings {
  /**
   * Delay before each attempt in seconds: entry 0 is the first attempt (always immediate), entry n is the wait after
   * attempt n failed. Its length is the number of attempts.
   */
  scheduleSeconds: number[];
  /** Each delay is scaled by a factor drawn from [1 - jitter, 1 + jitter]. */
  jitter: number;
  /** Least wait after a 429 or a timeout: the receiver said (or showed) it is overloaded. */
  minDelayAfterThrottleSeconds: number;
  /** Retry-After values beyond this are capped, so a receiver cannot park a delivery forever. */
  retryAfterMaxSeconds: number;
}

export type RetryDecision =
  | { kind: 'succeeded' }
  /** 410 Gone: the receiver asked us to stop; the endpoint is disabled and the delivery dead-lettered. */
  | { kind: 'gone'; reason: string }
  | { kind: 'retry'; at: Date; reason: string }
  | { kind: 'exhausted'; reason: string };

/** The schedule for an endpoint: its own delays between attempts (after the first), or the deployment default. */
export function scheduleFor(defaultSchedule: number[], endpointDelays: number[] | null): number[] {
  return endpointDelays && endpointDelays.length > 0 ? [0, ...endpointDelays] : defaultSchedule;
}

export function isSuccess(outcome: AttemptOutcome): boolean {
  return outcome.kind === 'acknowledged' || (outcome.kind === 'response' && outcome.status >= 200 && outcome.status < 300);
}

/** Why an attempt failed, in one line for logs, rows and dead letters. */
export function describeOutcome(outcome: AttemptOutcome): string {
  switch (outcome.kind) {
    case 'error':
      return `${outcome.errorClass}: ${outcome.message}`;
    case 'acknowledged':
      return 'record acknowledged by the Kafka cluster';
    case 'response':
      return outcome.status >= 300 && outcome.status < 400 ? `HTTP ${outcome.status} (redirects are not followed)` : `HTTP ${outcome.status}`;
    default: {
      const unhandled: never = outcome;
      return unhandled;
    }
  }
}

/**
 * Parses a Retry-After header: delay-seconds or an HTTP-date (RFC 9110 §10.2.3). Returns seconds from `now`, or null
 * when absent or unreadable (an unreadable header is ignored rather than trusted).
 */
export function parseRetryAfter(value: string | null, now: Date): number | null {
  if (value === null) return null;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text);
  const at = Date.parse(text);
  if (Number.isNaN(at) || !/[a-z]/i.test(text)) return null;
  return Math.max(0, (at - now.getTime()) / 1000);
}

/**
 * What happens after attempt number `attempt` (1-based) ended with `outcome` at `now`.
 * - 2xx, or a Kafka destination's acknowledgement, succeeds; 410 is "gone"; everything else (3xx included: redirects
 *   are not followed) fails. A Kafka destination's failures are all errors, retried like an https endpoint's.
 * - The next attempt is `scheduleSeconds[attempt]` later, scaled by the jitter factor (`random()` in [0, 1)).
 * - After a 429 or a timeout the wait is at least `minDelayAfterThrottleSeconds`.
 * - A Retry-After header (any failed status) can push the next attempt later, up to `retryAfterMaxSeconds`; it never
 *   brings it earlier than the schedule, so a receiver cannot make us hammer it.
 * - When the schedule has no entry left the delivery is exhausted.
 */
export function decideAfterAttempt(
  outcome: AttemptOutcome,
  attempt: number,
  settings: RetryPolicySettings,
  now: Date,
  random: () => number,
): RetryDecision {
  if (isSuccess(outcome)) return { kind: 'succeeded' };
  const reason = describeOutcome(outcome);
  if (outcome.kind === 'response' && outcome.status === 410) return { kind: 'gone', reason };
  if (attempt >= settings.scheduleSeconds.length) return { kind: 'exhausted', reason };

  const factor = 1 + settings.jitter * (2 * random() - 1);
  let delaySeconds = settings.scheduleSeconds[attempt] * factor;
  const throttled = (outcome.kind === 'response' && outcome.status === 429) || (outcome.kind === 'error' && outcome.errorClass === 'timeout');
  if (throttled) delaySeconds = Math.max(delaySeconds, settings.minDelayAfterThrottleSeconds);
  if (outcome.kind === 'response') {
    const retryAfter = parseRetryAfter(outcome.retryAfter, now);
    if (retryAfter !== null) delaySeconds = Math.max(delaySeconds, Math.min(retryAfter, settings.retryAfterMaxSeconds));
  }
  return { kind: 'retry', at: new Date(now.getTime() + Math.round(delaySeconds * 1000)), reason };
}
