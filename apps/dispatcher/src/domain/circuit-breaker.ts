/** Breaker thresholds (configuration, see config.ts BREAKER_*). */
export interface BreakerSettings {
  windowMs: number;
  /** Attempts within the window before the ratio is trusted: two failures out of two say little. */
  minVolume: number;
  failureRatio: number;
  openMs: number;
}

export type BreakerState = 'closed' | 'open' | 'half_open';

/** A permission to attempt: `probe` is the single attempt a half-open breaker lets through. */
export type BreakerAdmission = { allowed: true; probe: boolean } | { allowed: false; retryAt: number };

export interface BreakerTransition {
  from: BreakerState;
  to: BreakerState;
  failureRatio: number;
}

const BUCKETS = 20;

/** Attempts in a window: succeeded and failed. */
export interface WindowCounts {
  ok: number;
  failed: number;
}

interface Bucket {
  start: number;
  ok: number;
  failed: number;
}

/**
 * One endpoint's circuit breaker. Closed: outcomes are counted in a sliding window of time buckets (memory stays
 * bounded at any volume); once the window holds `minVolume` attempts and the failure share reaches `failureRatio` it
 * opens. Open: nothing goes for `openMs`. Then half-open: exactly one probe goes; its success closes the breaker
 * (with a fresh window), its failure opens it again. Time is passed in; the class holds no clock.
 */
export class CircuitBreaker {
  private state: BreakerState = 'closed';
  private buckets: Bucket[] = [];
  private openUntil = 0;
  private probeInFlight = false;
  /** What the other instances counted in their windows (breakers shared across instances; zero alone). */
  private others: WindowCounts = { ok: 0, failed: 0 };

  constructor(private settings: BreakerSettings) {}

  get current(): BreakerState {
    return this.state;
  }

  /** How long this breaker stays open once it opens. */
  get openMs(): number {
    return this.settings.openMs;
  }

  /**
   * New thresholds (the endpoint's own changed). The state and the counts stay: a closed breaker is judged by the new
   * ratio and volume from its next result on, over the new window; an open one keeps the period it opened with.
   */
  reconfigure(settings: BreakerSettings): void {
    this.settings = settings;
  }

  /** May an attempt start now? Moves open → half-open when the open period is over (returned as a transition). */
  admit(now: number): { admission: BreakerAdmission; transition: BreakerTransition | null } {
    let transition: BreakerTransition | null = null;
    if (this.state === 'open') {
      if (now < this.openUntil) return { admission: { allowed: false, retryAt: this.openUntil }, transition };
      transition = this.moveTo('half_open', now);
    }
    if (this.state === 'half_open') {
      if (this.probeInFlight) return { admission: { allowed: false, retryAt: this.probeRecheckAt(now) }, transition };
      this.probeInFlight = true;
      return { admission: { allowed: true, probe: true }, transition };
    }
    return { admission: { allowed: true, probe: false }, transition };
  }

  /**
   * Records an attempt's result. Results of attempts that started before the breaker opened are ignored while it is
   * open or half-open: only the probe decides.
   */
  record(ok: boolean, probe: boolean, now: number): BreakerTransition | null {
    if (this.state === 'half_open') {
      if (!probe) return null;
      this.probeInFlight = false;
      return ok ? this.moveTo('closed', now) : this.moveTo('open', now);
    }
    if (this.state === 'open') return null;
    const bucket = this.bucketAt(now);
    if (ok) bucket.ok += 1;
    else bucket.failed += 1;
    if (ok) return null;
    return this.trip(now);
  }

  /**
   * This instance's own attempts in the window, for the other instances, when they matter: a closed breaker's, once a
   * failure was counted here or elsewhere (its successes then weigh against the others' failures). Null otherwise.
   */
  ownWindow(now: number): WindowCounts | null {
    if (this.state !== 'closed') return null;
    const own = this.counts(now);
    return own.failed > 0 || this.others.failed > 0 ? own : null;
  }

  /**
   * What the other instances counted in their windows: the minimum volume and the ratio are then judged over every
   * attempt to the endpoint. Opens the breaker when, together, they reach the threshold.
   */
  countOthers(others: WindowCounts, now: number): BreakerTransition | null {
    this.others = others;
    return this.state === 'closed' && others.failed > 0 ? this.trip(now) : null;
  }

  private trip(now: number): BreakerTransition | null {
    const { total, ratio } = this.window(now);
    return total >= this.settings.minVolume && ratio >= this.settings.failureRatio ? this.moveTo('open', now) : null;
  }

  /** The open period is over: the next admission would be the half-open probe. */
  probeDue(now: number): boolean {
    return this.state === 'open' && now >= this.openUntil;
  }

  /**
   * Another instance decided (breakers shared across instances): the breaker is open until `until` (or another
   * instance probes until then). No transition: the one that made the change announces it. This instance's own probe,
   * while it runs, still decides for it.
   */
  followOpen(until: number): void {
    if (this.state === 'half_open' && this.probeInFlight) return;
    this.state = 'open';
    this.openUntil = until;
  }

  /**
   * Another instance sends the half-open probe, its claim lapsing at `claimLapsesAt`: look again when a probe out here
   * would be looked at again, or when the claim lapses if that is sooner.
   */
  followProbedElsewhere(claimLapsesAt: number, now: number): void {
    this.followOpen(Math.min(claimLapsesAt, this.probeRecheckAt(now)));
  }

  /** Another instance's probe closed the breaker: closed, with a fresh window. */
  followClosed(): void {
    if (this.state === 'half_open' && this.probeInFlight) return;
    this.state = 'closed';
    this.buckets = [];
    this.others = { ok: 0, failed: 0 };
  }

  /** A probe that never ran (e.g. the delivery was parked) must not leave the breaker waiting for it forever. */
  releaseProbe(): void {
    this.probeInFlight = false;
  }

  /** Failure share in the current window. */
  failureRatio(now: number): number {
    return this.window(now).ratio;
  }

  /** When attempts turned away while a probe is out are looked at again. */
  private probeRecheckAt(now: number): number {
    return now + Math.min(this.settings.openMs, 1000);
  }

  private moveTo(to: BreakerState, now: number): BreakerTransition {
    const transition = { from: this.state, to, failureRatio: this.failureRatio(now) };
    this.state = to;
    if (to === 'open') this.openUntil = now + this.settings.openMs;
    if (to === 'closed') {
      this.buckets = [];
      this.others = { ok: 0, failed: 0 }; // the others' windows start afresh too, and say so at their next report
    }
    if (to !== 'half_open') this.probeInFlight = false;
    return transition;
  }

  private bucketAt(now: number): Bucket {
    const width = Math.max(1, this.settings.windowMs / BUCKETS);
    const start = Math.floor(now / width) * width;
    let last = this.buckets[this.buckets.length - 1];
    if (!last || last.start !== start) {
      last = { start, ok: 0, failed: 0 };
      this.buckets.push(last);
      this.prune(now);
    }
    return last;
  }

  private prune(now: number): void {
    const oldest = now - this.settings.windowMs;
    while (this.buckets.length > 0 && this.buckets[0].start < oldest) this.buckets.shift();
  }

  private counts(now: number): WindowCounts {
    this.prune(now);
    return this.buckets.reduce((sum, b) => ({ ok: sum.ok + b.ok, failed: sum.failed + b.failed }), { ok: 0, failed: 0 });
  }

  /** This instance's window and what the others last said they counted in theirs. */
  private window(now: number): { total: number; ratio: number } {
    const own = this.counts(now);
    const ok = own.ok + this.others.ok;
    const failed = own.failed + this.others.failed;
    const total = ok + failed;
    return { total, ratio: total === 0 ? 0 : failed / total };
  }
}
