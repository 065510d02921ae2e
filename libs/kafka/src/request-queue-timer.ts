/**
 * kafkajs 2.2.4 (its last release) keeps two timers per broker connection in its request queue, and both woke every
 * Hookline process far more often than the work needs. On the virtualised machines Hookline is benchmarked on, a
 * wake-up costs far more than the little work each one does, so this file replaces both:
 *
 * - **The pending-request check.** After each response kafkajs re-arms "check the pending requests" with a delay of
 *   `throttledUntil - now`, hugely negative when nothing is throttled (throttledUntil starts at -1), which Node runs
 *   after 1 ms; the check then re-arms itself whether or not anything is pending (kafkajs issues #1556, #1604 and #1704;
 *   the fixes proposed there were never released). Every process woke about 900 times a second while idle. The
 *   replacement arms the timer only while requests wait: for as long as the broker asked us to throttle, or, when they
 *   wait for an in-flight slot (maxInFlightRequests), as a fallback after kafkajs' own 10 ms, since a response freeing
 *   a slot checks the queue anyway.
 * - **The request-timeout sweep.** Every connection looks for timed-out requests every min(requestTimeout, 100) ms: with
 *   eight connections (the dispatcher's) that is 80 wake-ups a second for a 30 s timeout. The replacement sweeps every
 *   min(requestTimeout / 10, 1 s): a timed-out request is still failed within a tenth of its timeout of it.
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

/** How often, at most, a connection looks for requests past their timeout. */
export const TIMEOUT_SWEEP_MAX_MS = 1000;

/** A request kafkajs has on the wire. */
interface InFlightRequest {
  sentAt: number;
  requestTimeout: number;
  timeoutRequest(): void;
}

/** The fields of kafkajs' RequestQueue the timeout sweep reads and writes. */
export interface RequestQueueSweepState {
  enforceRequestTimeout: boolean;
  requestTimeout: number;
  inflight: Map<number, InFlightRequest>;
  requestTimeoutIntervalId?: NodeJS.Timeout;
  isConnected(): boolean;
  /** Clears both of the queue's timers. */
  destroy(): void;
}

/** kafkajs' RequestQueue.scheduleRequestTimeoutCheck, sweeping every min(requestTimeout / 10, 1 s) instead of 100 ms. */
export function scheduleTimeoutSweep(this: RequestQueueSweepState): void {
  if (!this.enforceRequestTimeout) return;
  this.destroy();
  this.requestTimeoutIntervalId = setInterval(() => {
    const now = Date.now();
    for (const request of this.inflight.values()) {
      if (now - request.sentAt > request.requestTimeout) request.timeoutRequest();
    }
    if (!this.isConnected()) this.destroy();
  }, Math.max(1, Math.min(Math.floor(this.requestTimeout / 10), TIMEOUT_SWEEP_MAX_MS)));
}

type RequestQueueMethod = 'scheduleCheckPendingRequests' | 'checkPendingRequests' | 'scheduleRequestTimeoutCheck' | 'destroy';

let installed: boolean | undefined;

/**
 * Puts schedulePendingCheck and scheduleTimeoutSweep in place of kafkajs' RequestQueue methods, once per loaded kafkajs.
 * Returns false (and changes nothing) when this kafkajs has no such class: a later release laid out differently.
 */
export function installRequestQueueTimers(): boolean {
  if (installed !== undefined) return installed;
  let RequestQueue: { prototype: Partial<Record<RequestQueueMethod, unknown>> } | undefined;
  try {
    // Not part of kafkajs' public API, hence the deep path; kafkajs is pinned to the release this was written against.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    RequestQueue = require('kafkajs/src/network/requestQueue');
  } catch {
    RequestQueue = undefined;
  }
  const proto = RequestQueue?.prototype;
  const methods: RequestQueueMethod[] = ['scheduleCheckPendingRequests', 'checkPendingRequests', 'scheduleRequestTimeoutCheck', 'destroy'];
  installed = proto !== undefined && methods.every((name) => typeof proto[name] === 'function');
  if (installed) {
    proto!.scheduleCheckPendingRequests = schedulePendingCheck;
    proto!.scheduleRequestTimeoutCheck = scheduleTimeoutSweep;
  }
  return installed;
}
