/**
 * An endpoint's rate limit as a schedule of send slots (the generic cell rate algorithm): slots are `1000 / rate` ms
 * apart, and up to `rate` of them may lie in the last second, so an idle endpoint takes a burst of `rate` at once
 * (as a token bucket holding a second's worth) and a busy one exactly its rate. The whole state is the time of the
 * next free slot, which is what lets every dispatcher instance share one limit through one Postgres row. The grant
 * itself is decided in that row's UPDATE (`SendSlotStore.take`), so it costs one round trip and holds the row's
 * lock for one statement.
 */
export interface SendSlotDecision {
  /** How many of the wanted sends may go now. */
  granted: number;
  /** Epoch ms of the next free slot after the grant. */
  nextSlotMs: number;
}

export function slotIntervalMs(ratePerSecond: number): number {
  return 1000 / ratePerSecond;
}

/** How many slots an idle endpoint has saved up: a burst of `rate`, never less than one. */
export function burstOf(ratePerSecond: number): number {
  return Math.max(1, ratePerSecond);
}

/**
 * When the sends that were not granted should ask again: from the next free slot on, one interval apart, so they
 * come back spread at the endpoint's rate rather than all at once.
 */
export function askAgainAt(decision: SendSlotDecision, ratePerSecond: number, refused: number): number[] {
  const interval = slotIntervalMs(ratePerSecond);
  return Array.from({ length: refused }, (_, i) => decision.nextSlotMs + i * interval);
}
