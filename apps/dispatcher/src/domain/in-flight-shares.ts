/**
 * An endpoint's `max_in_flight` held across dispatcher instances: each instance sending to the endpoint holds a share
 * of it, and the shares never add up to more than the cap. Pure: the store decides under a lock per endpoint, with
 * what the other live instances hold.
 */

/** How often the remainder of an uneven split moves to the next instance, so no instance keeps it for good. */
export const REMAINDER_ROTATION_MS = 10_000;

export interface ShareInput {
  /** The endpoint's max_in_flight. */
  max: number;
  /** This instance's id. */
  self: string;
  /** What every other live instance holding a share reports it holds (never less than its attempts in flight). */
  others: ReadonlyArray<{ instanceId: string; held: number }>;
  /** For the remainder's rotation. */
  nowMs: number;
}

/**
 * How many attempts this instance may have in flight to the endpoint until its next look: an even split among the
 * instances sending to it (the remainder of an uneven split taking turns), and never more than the others leave free.
 * An instance that holds more than its part gives the rest back at its own next look, once its attempts finish, so
 * the free part is what keeps the sum under the cap meanwhile.
 */
export function shareOf({ max, self, others, nowMs }: ShareInput): number {
  const instances = [self, ...others.map((o) => o.instanceId)].sort();
  const n = instances.length;
  const turn = Math.floor(nowMs / REMAINDER_ROTATION_MS);
  const position = (instances.indexOf(self) + turn) % n;
  const part = Math.floor(max / n) + (position < max % n ? 1 : 0);
  const free = max - others.reduce((sum, o) => sum + o.held, 0);
  return Math.max(0, Math.min(part, free));
}
