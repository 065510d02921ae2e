/**
 * Finding the highest sustainable rate of an open-model load: offer a constant arrival rate for a while and see
 * whether the backlog (work scheduled so far minus work done so far) stays flat. Pure functions; the harness runs
 * the steps.
 */

/** One expected delivery of a step: when its message was scheduled to be sent, and when it arrived (null: not yet). */
export interface StepDelivery {
  scheduledAt: number;
  arrivedAt: number | null;
}

export interface StepInput {
  /** Deliveries offered per second (messages/s × fan-out). */
  offeredPerSecond: number;
  /** The scheduled window of the step. */
  startAt: number;
  endAt: number;
  /** Expected deliveries of the messages the command service accepted in this step. */
  deliveries: StepDelivery[];
  /** Publishes scheduled in the step. */
  publishes: number;
  /** Publishes that were refused or failed. */
  failedPublishes: number;
}

export interface StepVerdict {
  sustainable: boolean;
  /** Deliveries per second that arrived during the second half of the step. */
  deliveredPerSecond: number;
  /** Backlog (deliveries) at mid-step and at the end of the step. */
  backlogAtMid: number;
  backlogAtEnd: number;
  /** Why the step was not sustainable; empty when it was. */
  reasons: string[];
}

/** How much the backlog may grow over the second half of a step: 5 % of the work offered then, or 250 ms of work. */
export const BACKLOG_GROWTH_TOLERANCE = 0.05;
export const BACKLOG_SLACK_SECONDS = 0.25;
export const MAX_FAILED_PUBLISH_RATIO = 0.001;
/** A flat backlog must also be short: at most this many seconds of work may be waiting at the end of a step. */
export const MAX_STANDING_BACKLOG_SECONDS = 1;

/** Work scheduled by `t` minus work arrived by `t`. */
export function backlogAt(deliveries: StepDelivery[], t: number): number {
  let backlog = 0;
  for (const d of deliveries) {
    if (d.scheduledAt <= t) backlog++;
    if (d.arrivedAt !== null && d.arrivedAt <= t) backlog--;
  }
  return backlog;
}

/** Judges one step: sustainable when publishes succeeded and the backlog neither grew over the second half nor stands above 1 s of work. */
export function evaluateStep(step: StepInput): StepVerdict {
  const mid = step.startAt + (step.endAt - step.startAt) / 2;
  const halfSeconds = (step.endAt - mid) / 1000;
  const backlogAtMid = backlogAt(step.deliveries, mid);
  const backlogAtEnd = backlogAt(step.deliveries, step.endAt);
  const arrivedLate = step.deliveries.filter((d) => d.arrivedAt !== null && d.arrivedAt > mid && d.arrivedAt <= step.endAt).length;
  const deliveredPerSecond = halfSeconds > 0 ? arrivedLate / halfSeconds : 0;

  const reasons: string[] = [];
  const offeredInHalf = step.offeredPerSecond * halfSeconds;
  const allowed = Math.max(BACKLOG_GROWTH_TOLERANCE * offeredInHalf, step.offeredPerSecond * BACKLOG_SLACK_SECONDS);
  const growth = backlogAtEnd - backlogAtMid;
  if (growth > allowed) reasons.push(`backlog grew by ${growth} deliveries in the second half (allowed ${Math.round(allowed)})`);
  const standing = step.offeredPerSecond * MAX_STANDING_BACKLOG_SECONDS;
  if (growth <= allowed && backlogAtEnd > standing) reasons.push(`${backlogAtEnd} deliveries still waiting at the end (more than ${MAX_STANDING_BACKLOG_SECONDS} s of work)`);
  if (step.publishes > 0 && step.failedPublishes / step.publishes > MAX_FAILED_PUBLISH_RATIO) {
    reasons.push(`${step.failedPublishes} of ${step.publishes} publishes failed`);
  }
  return { sustainable: reasons.length === 0, deliveredPerSecond, backlogAtMid, backlogAtEnd, reasons };
}

export interface SearchOptions {
  /** First rate tried. */
  startRate: number;
  /** Factor between rates while every step passes (and the step down after a first failure). */
  growth: number;
  /** Stop when the gap between the best pass and the lowest failure is at most this fraction of the pass. */
  precision: number;
  maxSteps: number;
  /** Give up below this rate. */
  minRate: number;
}

export interface SearchStep {
  rate: number;
  sustainable: boolean;
  /** For an unsustainable step: the rate actually served (an estimate of capacity), in the same unit as `rate`. */
  capacityHint?: number;
}

/**
 * The next rate to try, or null when the search is done. Grows by `growth` while steps pass, then bisects between
 * the best pass and the lowest failure. Before any pass, it steps down to 90 % of the rate the failing step actually
 * served (its capacity hint), or by `growth` when there is no hint.
 */
export function nextRate(steps: SearchStep[], opts: SearchOptions): number | null {
  if (steps.length === 0) return opts.startRate;
  if (steps.length >= opts.maxSteps) return null;
  const passed = steps.filter((s) => s.sustainable).map((s) => s.rate);
  const failed = steps.filter((s) => !s.sustainable).map((s) => s.rate);
  const lo = passed.length ? Math.max(...passed) : null;
  const hi = failed.length ? Math.min(...failed.filter((r) => lo === null || r > lo)) : null;
  if (hi === null || !Number.isFinite(hi)) return (lo as number) * opts.growth;
  if (lo === null) {
    const lowest = steps.find((s) => !s.sustainable && s.rate === hi);
    const hint = lowest?.capacityHint;
    const down = hint !== undefined && hint > 0 ? Math.min(0.9 * hint, hi / 1.1) : hi / opts.growth;
    return down < opts.minRate ? null : Math.round(down);
  }
  if ((hi - lo) / lo <= opts.precision) return null;
  return Math.round((lo + hi) / 2);
}

/** The highest sustainable rate found, or null. */
export function bestRate(steps: SearchStep[]): number | null {
  const passed = steps.filter((s) => s.sustainable).map((s) => s.rate);
  return passed.length ? Math.max(...passed) : null;
}
