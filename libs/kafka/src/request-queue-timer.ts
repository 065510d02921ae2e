/**
 * kafkajs 2.2.4 (its last release) keeps every broker connection's request queue on a 1 ms timer for as long as the
 * connection is open. After each response it re-arms "check the pending requests" with a delay of
 * `throttledUntil - now`, which is hugely negative when nothing is throttled (throttledUntil starts at -1), and Node
 * runs a negative delay after 1 ms. The check then re-arms itself, whether or not anything is pending (kafkajs issues
 * #1556, #1604 and #1704; the fixes proposed there were never released). Every Hookline process that talks to Kafka
 * woke up about 900 times a second while idle; on a two-core machine that was a fifth of a core doing nothing, and the
 * same timer storm under load competed with the real work.
 *
 * The replacement below arms the timer only while requests wait: for as long as the broker asked us to throttle, or,
 * when they wait for an in-flight slot (maxInFlightRequests), as a fallback after kafkajs' own 10 ms, since a response
 * freeing a slot checks the queue anyway.
 */

/** kafkajs' CHECK_PENDING_REQUESTS_INTERVAL: how soon requests held back by maxInFlightRequests are looked at again. */
export const PENDING_RECHECK_MS = 10;

/** The fields of kafkajs' (internal) RequestQueue the schedule reads and writes. */
export interface RequestQueueState {
  pending: unknown[];
  /** Epoch ms until which the broker asked for client-side throttling; -1 when never throttled. */
  throttledUntil: number;
  throttleCheckTimeoutId: NodeJS.Timeout | null;
  checkPendingRequests(): void;
}

/** kafkajs' RequestQueue.scheduleCheckPendingRequests, with a timer only while requests are pending. */
export function schedulePendingCheck(this: RequestQueueState): void {
  if (this.throttleCheckTimeoutId || this.pending.length === 0) return;
  const untilUnthrottled = this.throttledUntil - Date.now();
  this.throttleCheckTimeoutId = setTimeout(() => {
    this.throttleCheckTimeoutId = null;
    this.checkPendingRequests();
  }, untilUnthrottled > 0 ? untilUnthrottled : PENDING_RECHECK_MS);
}

let installed: boolean | undefined;

/**
 * Puts schedulePendingCheck in place of the method on kafkajs' RequestQueue prototype, once per loaded kafkajs.
 * Returns false (and changes nothing) when this kafkajs has no such class: a later release laid out differently.
 */
export function installPendingCheckSchedule(): boolean {
  if (installed !== undefined) return installed;
  let RequestQueue: { prototype: Partial<Record<'scheduleCheckPendingRequests' | 'checkPendingRequests', unknown>> } | undefined;
  try {
    // Not part of kafkajs' public API, hence the deep path; kafkajs is pinned to the release this was written against.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    RequestQueue = require('kafkajs/src/network/requestQueue');
  } catch {
    RequestQueue = undefined;
  }
  const proto = RequestQueue?.prototype;
  installed = typeof proto?.scheduleCheckPendingRequests === 'function' && typeof proto.checkPendingRequests === 'function';
  if (installed) proto!.scheduleCheckPendingRequests = schedulePendingCheck;
  return installed;
}
