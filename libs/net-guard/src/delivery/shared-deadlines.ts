import { setMaxListeners } from 'node:events';

interface Window {
  signal: AbortSignal;
  /** Requests that start before this time (ms, `now()`'s clock) share `signal`. */
  closesAt: number;
}

/** How late a shared deadline may fire: a twentieth of the timeout, at most 100 ms (at least 1 ms). */
export function deadlineSlackMs(timeoutMs: number): number {
  return Math.min(100, Math.max(1, Math.floor(timeoutMs / 20)));
}

/**
 * Total-deadline signals for outbound requests, one per short window of start times instead of one per request.
 *
 * `AbortSignal.timeout()` per request cost about a fifth of a keep-alive POST's CPU here (measured with undici against
 * a local receiver: 46 µs per request with it, 37 µs with a shared signal, 35 µs with none). Every one of them also
 * keeps a 15 s timer and a weak reference alive long after its request is done, so they all survive young-generation
 * collections. The requests that start within `deadlineSlackMs(timeout)` of each other share one signal. It aborts
 * `timeout + slack` after the window opened, which is never before any of them reached its own timeout and at most
 * `slack` later.
 */
export class SharedDeadlines {
  private readonly windows = new Map<number, Window>();

  constructor(private readonly now: () => number = Date.now) {}

  /** A signal that aborts with a `TimeoutError` no sooner than `timeoutMs` from now, and at most `deadlineSlackMs(timeoutMs)` later. */
  signal(timeoutMs: number): AbortSignal {
    const now = this.now();
    const open = this.windows.get(timeoutMs);
    if (open && now < open.closesAt) return open.signal;

    const slack = deadlineSlackMs(timeoutMs);
    const controller = new AbortController();
    // Every request in flight in the window listens to it; Node would warn about a leak past 10 listeners.
    setMaxListeners(0, controller.signal);
    const window: Window = { signal: controller.signal, closesAt: now + slack };
    this.windows.set(timeoutMs, window);
    setTimeout(() => {
      if (this.windows.get(timeoutMs) === window) this.windows.delete(timeoutMs);
      controller.abort(new DOMException(`The operation was aborted due to timeout (${timeoutMs} ms)`, 'TimeoutError'));
    }, timeoutMs + slack).unref();
    return controller.signal;
  }
}
